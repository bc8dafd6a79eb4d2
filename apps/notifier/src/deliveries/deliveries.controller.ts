import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, Roles } from '@shanhai/platform';
import { IsEmail, IsOptional, IsUUID } from 'class-validator';
import { noticeTemplates, notifiedEvents } from '../notifications/notices.js';
import type { Delivery } from './delivery.entity.js';
import { DeliveriesService } from './deliveries.service.js';

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ description: "Only this submission's emails.", format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  @IsOptional() @IsUUID()
  submissionId?: string;

  @ApiPropertyOptional({ description: 'Only the emails to this address (compared in lower case).', format: 'email', example: 'qingyuan@county.shanhai.example' })
  @IsOptional() @IsEmail()
  recipient?: string;
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid', example: '3c9e1f2a-8b4d-4e6f-a1b2-c3d4e5f6a7b8' })
  id!: string;

  @ApiProperty({ description: 'The workflow event the email tells of.', enum: [...notifiedEvents], example: 'approval.task_assigned' })
  event!: string;

  @ApiProperty({ format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  submissionId!: string;

  @ApiProperty({ format: 'email', example: 'qingyuan@county.shanhai.example' })
  recipient!: string;

  @ApiProperty({
    description: 'Which email of the event this is.',
    enum: [...noticeTemplates],
    example: 'task_assigned.applicant',
  })
  template!: string;

  @ApiProperty({ example: '【进度】浙江庆元经济开发区创建方案已进入市商务局初审' })
  subject!: string;

  @ApiProperty({ description: '`failed` is retried until the attempts run out.', enum: ['queued', 'sending', 'sent', 'failed'], example: 'sent' })
  status!: string;

  @ApiProperty({ description: 'SMTP attempts so far.', type: 'integer', example: 1 })
  attempts!: number;

  @ApiProperty({ description: 'Why the last attempt failed, if it did.', type: 'string', nullable: true, example: null })
  lastError!: string | null;

  @ApiProperty({ description: 'Derived from (event, recipient, template): a resend carries the same one.', example: '<2f6c0d9a1b3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a@shanhai.example>' })
  messageId!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2025-11-27T08:00:02.000Z' })
  sentAt!: string | null;
}

export class DeliveryListResponse {
  @ApiProperty({ type: [DeliveryResponse], description: 'At most 500, oldest first.' })
  items!: DeliveryResponse[];
}

const toResponse = (d: Delivery): DeliveryResponse => ({
  id: d.id,
  event: d.eventName,
  submissionId: d.submissionId,
  recipient: d.recipient,
  template: d.template,
  subject: d.subject,
  status: d.status,
  attempts: d.attempts,
  lastError: d.lastError,
  messageId: d.messageId,
  sentAt: d.sentAt?.toISOString() ?? null,
});

/** The delivery log: what was sent to whom, and how it went. */
@ApiTags('deliveries')
@ApiBearerAuth('bearer')
@Roles('admin')
@ApiProblemResponses({ status: 401, description: 'No valid access token.' }, { status: 403, description: 'Not an admin.' })
@Controller('deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOperation({ summary: 'List the delivery log', description: 'What was sent to whom, its status, attempts, last error and Message-ID: at most 500 emails, oldest first.' })
  @ApiOkResponse({ type: DeliveryListResponse, description: 'The matching emails.' })
  @ApiProblemResponses({ status: 400, description: 'A filter is not valid (`VALIDATION_FAILED`, every problem listed in `errors`).' })
  async list(@Query() query: ListDeliveriesQuery): Promise<DeliveryListResponse> {
    return { items: (await this.deliveries.list(query)).map(toResponse) };
  }
}
