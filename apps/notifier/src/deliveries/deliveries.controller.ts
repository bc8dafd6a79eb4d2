import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, malformedIdProblem, PROBLEM_TYPE_BASE, Roles } from '@shanhai/platform';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { noticeTemplateIds, notifiedEvents } from '../notifications/notices.js';
import { DELIVERY_STATUSES, type Delivery, type DeliveryStatus } from './delivery.entity.js';
import { DeliveriesService, MAX_PAGE } from './deliveries.service.js';

const DEAD_REASON_EXAMPLE = '550 5.1.1 <qingyuan@county.shanhai.example>: Recipient address rejected: User unknown';

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ description: "Only this submission's emails.", format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  @IsOptional() @IsUUID()
  submissionId?: string;

  @ApiPropertyOptional({ description: 'Only the emails to this address (compared in lower case).', format: 'email', example: 'qingyuan@county.shanhai.example' })
  @IsOptional() @IsEmail()
  recipient?: string;

  @ApiPropertyOptional({ description: 'Only the emails in this status: `dead` lists the dead letters.', enum: DELIVERY_STATUSES, example: 'dead' })
  @IsOptional() @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'Page size.', type: 'integer', minimum: 1, maximum: MAX_PAGE, default: MAX_PAGE, example: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'How many to skip, oldest first.', type: 'integer', minimum: 0, default: 0, example: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;
}

export class RedriveDeadQuery {
  @ApiPropertyOptional({ description: 'Only the dead letters of this template.', example: 'task_assigned.applicant' })
  @IsOptional() @IsString() @MaxLength(200)
  template?: string;
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

  @ApiProperty({ description: 'Which email of the event this is.', enum: [...noticeTemplateIds], example: 'task_assigned.applicant' })
  template!: string;

  @ApiProperty({ example: '【进度】浙江庆元经济开发区创建方案已进入市商务局初审' })
  subject!: string;

  @ApiProperty({
    description:
      '`queued` → `sending` → `sent`. `failed`: a temporary failure (4xx, connection, timeout), retried with backoff. ' +
      '`dead`: refused for good (5xx) or out of attempts; sent again only when re-driven.',
    enum: DELIVERY_STATUSES,
    example: 'sent',
  })
  status!: string;

  @ApiProperty({ description: 'SMTP attempts so far, re-drives included.', type: 'integer', example: 1 })
  attempts!: number;

  @ApiProperty({ description: 'Why the last attempt failed, if it did.', type: 'string', nullable: true, example: null })
  lastError!: string | null;

  @ApiProperty({ description: 'Why it is dead: the last SMTP response, or the attempts running out. Null unless `dead`.', type: 'string', nullable: true, example: null })
  deadReason!: string | null;

  @ApiProperty({ description: 'The SMTP transport of the last attempt (`smtp://host:port`), null before the first.', type: 'string', nullable: true, example: 'smtp://mail-1.shanhai.example:587' })
  transport!: string | null;

  @ApiProperty({ description: 'How often it was re-driven.', type: 'integer', example: 0 })
  redrives!: number;

  @ApiProperty({ description: 'Derived from (event, recipient, template): a resend carries the same one.', example: '<2f6c0d9a1b3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a@shanhai.example>' })
  messageId!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2025-11-27T08:00:02.000Z' })
  sentAt!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', example: '2025-11-27T08:00:02.000Z' })
  updatedAt!: string;
}

export class DeliveryListResponse {
  @ApiProperty({ type: [DeliveryResponse], description: `At most ${MAX_PAGE} (\`limit\`), oldest first.` })
  items!: DeliveryResponse[];
}

export class RedriveCountResponse {
  @ApiProperty({ description: 'How many dead deliveries were put back in the queue.', type: 'integer', example: 3 })
  redriven!: number;
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
  deadReason: d.deadReason,
  transport: d.transport,
  redrives: d.redrives,
  messageId: d.messageId,
  sentAt: d.sentAt?.toISOString() ?? null,
  updatedAt: d.updatedAt.toISOString(),
});

const redrivenExample = {
  id: '3c9e1f2a-8b4d-4e6f-a1b2-c3d4e5f6a7b8',
  event: 'approval.task_assigned',
  submissionId: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f',
  recipient: 'qingyuan@county.shanhai.example',
  template: 'task_assigned.applicant',
  subject: '【进度】浙江庆元经济开发区创建方案已进入市商务局初审',
  status: 'queued',
  attempts: 1,
  lastError: `smtp://mail-1.shanhai.example:587: Can't send mail - all recipients were rejected: ${DEAD_REASON_EXAMPLE}`,
  deadReason: null,
  transport: 'smtp://mail-1.shanhai.example:587',
  redrives: 1,
  messageId: '<2f6c0d9a1b3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a@shanhai.example>',
  sentAt: null,
  updatedAt: '2025-11-27T09:30:00.000Z',
};

/** The delivery log: what was sent to whom, and how it went; and the re-drive of dead letters. */
@ApiTags('deliveries')
@ApiBearerAuth('bearer')
@Roles('admin')
@ApiProblemResponses({ status: 401, description: 'No valid access token.' }, { status: 403, description: 'Not an admin.' })
@Controller('deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOperation({
    summary: 'List the delivery log',
    description: 'What was sent to whom: status, attempts, last error, why it is dead, the transport used and the Message-ID; oldest first, paged with `limit` and `offset`.',
  })
  @ApiOkResponse({ type: DeliveryListResponse, description: 'The matching emails.' })
  @ApiProblemResponses({ status: 400, description: 'A filter is not valid (`VALIDATION_FAILED`, every problem listed in `errors`).' })
  async list(@Query() query: ListDeliveriesQuery): Promise<DeliveryListResponse> {
    return { items: (await this.deliveries.list(query)).map(toResponse) };
  }

  @Post('redrive')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Re-drive every dead delivery',
    description: 'Puts every dead delivery (of one template, with `template`) back in the queue: each keeps its row, Message-ID and attempt count. Answers how many.',
  })
  @ApiAcceptedResponse({ type: RedriveCountResponse, description: 'The dead deliveries are queued again.', example: { redriven: 3 } })
  @ApiProblemResponses({ status: 400, description: 'The template filter is not valid (`VALIDATION_FAILED`).' })
  async redriveDead(@Query() query: RedriveDeadQuery): Promise<RedriveCountResponse> {
    return { redriven: await this.deliveries.redriveDead(query.template ? { template: query.template } : {}) };
  }

  @Post(':id/redrive')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Re-drive one delivery',
    description: 'Puts one dead (or failed) delivery back in the queue: the same row and Message-ID, its attempts counting on. Answers the delivery, `queued`.',
  })
  @ApiParam({ name: 'id', description: 'The delivery id.', format: 'uuid', example: '3c9e1f2a-8b4d-4e6f-a1b2-c3d4e5f6a7b8' })
  @ApiAcceptedResponse({ type: DeliveryResponse, description: 'The delivery is queued again.', example: redrivenExample })
  @ApiProblemResponses(
    malformedIdProblem,
    { status: 404, description: 'No delivery has this id (`NOT_FOUND`).' },
    {
      status: 409,
      description: 'The delivery was sent, or is queued or being sent: only dead or failed ones are re-driven (`NOT_REDRIVABLE`, with its `deliveryStatus`).',
      extensions: { deliveryStatus: { type: 'string', enum: ['queued', 'sending', 'sent'], description: 'Where the delivery stands.' } },
      example: {
        type: `${PROBLEM_TYPE_BASE}not-redrivable`,
        title: 'Not redrivable',
        status: 409,
        code: 'NOT_REDRIVABLE',
        detail: 'delivery 3c9e1f2a-8b4d-4e6f-a1b2-c3d4e5f6a7b8 was sent; it is not re-driven',
        deliveryStatus: 'sent',
      },
    },
  )
  async redrive(@Param('id', new ParseUUIDPipe()) id: string): Promise<DeliveryResponse> {
    return toResponse(await this.deliveries.redrive(id));
  }
}
