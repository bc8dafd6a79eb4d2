import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiAuthProblems, Roles } from '@shanhai/platform';
import { DELIVERY_STATUSES } from '../deliveries/delivery-book.js';
import { noticeTemplateIds, notifiedEvents } from '../notifications/notices.js';
import { ReconcilerService, type UnreconciledEvent } from './reconciler.service.js';

export class ReconciliationDeliveryResponse {
  @ApiProperty({ format: 'uuid', example: '3c9e1f2a-8b4d-4e6f-a1b2-c3d4e5f6a7b8' })
  id!: string;

  @ApiProperty({ format: 'email', example: 'qingyuan@county.shanhai.example' })
  recipient!: string;

  @ApiProperty({ description: 'Which email of the event this is (`<event>.<recipient>`).', enum: noticeTemplateIds, example: 'task_assigned.applicant' })
  template!: string;

  @ApiProperty({ description: 'Final once `sent` or `dead`; anything else is still on its way, or stuck.', enum: DELIVERY_STATUSES, example: 'queued' })
  status!: string;

  @ApiProperty({ description: 'SMTP attempts so far.', type: 'integer', example: 0 })
  attempts!: number;

  @ApiProperty({ description: 'Why the last attempt failed, if it did.', type: 'string', nullable: true, example: null })
  lastError!: string | null;

  @ApiProperty({ description: 'When the delivery last changed.', type: 'string', format: 'date-time', example: '2025-11-27T08:00:00.000Z' })
  updatedAt!: string;
}

export class UnreconciledEventResponse {
  @ApiProperty({ description: 'The workflow event id.', format: 'uuid', example: '9b2f4c1e-6d3a-4f8b-a7e5-1c0d2e3f4a5b' })
  eventId!: string;

  @ApiProperty({ description: 'The workflow event.', enum: [...notifiedEvents], example: 'approval.task_assigned' })
  event!: string;

  @ApiProperty({ format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  submissionId!: string;

  @ApiProperty({ description: 'When the notifier received it.', type: 'string', format: 'date-time', example: '2025-11-27T08:00:00.000Z' })
  receivedAt!: string;

  @ApiProperty({ description: 'How many deliveries were planned for it (after preferences); fewer may exist if some are missing.', type: 'integer', example: 2 })
  planned!: number;

  @ApiProperty({ description: 'Its deliveries, sent or not, oldest first.', type: [ReconciliationDeliveryResponse] })
  deliveries!: ReconciliationDeliveryResponse[];
}

export class ReconciliationResponse {
  @ApiProperty({ description: 'NOTIFIER_RECONCILE_AFTER_SECONDS: how long an event may wait for its deliveries to be final.', type: 'integer', example: 900 })
  afterSeconds!: number;

  @ApiProperty({ description: 'The overdue events, oldest first (at most 500).', type: [UnreconciledEventResponse] })
  items!: UnreconciledEventResponse[];
}

const toResponse = (e: UnreconciledEvent): UnreconciledEventResponse => ({
  eventId: e.eventId,
  event: e.event,
  submissionId: e.submissionId,
  receivedAt: e.receivedAt.toISOString(),
  planned: e.planned,
  deliveries: e.deliveries.map((d) => ({ ...d, updatedAt: d.updatedAt.toISOString() })),
});

/** The events the notifier received whose emails did not all end sent or dead in time. */
@ApiTags('reconciliation')
@ApiBearerAuth('bearer')
@Roles('admin')
@ApiAuthProblems('Not an admin (`FORBIDDEN`).')
@Controller('admin/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciler: ReconcilerService) {}

  @Get()
  @ApiOperation({
    summary: 'List the events whose emails are overdue',
    description:
      'Every workflow event that requires notice, received more than NOTIFIER_RECONCILE_AFTER_SECONDS ago, with a planned delivery missing or neither `sent` nor `dead`, and its deliveries\' statuses.',
  })
  @ApiOkResponse({ type: ReconciliationResponse, description: 'The overdue events; `items` is empty when every email is accounted for.' })
  async list(): Promise<ReconciliationResponse> {
    return { afterSeconds: this.reconciler.settings.afterSeconds, items: (await this.reconciler.overdue()).map(toResponse) };
  }
}
