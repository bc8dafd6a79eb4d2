import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@shanhai/contracts';
import { Inbox, MessageConsumer } from '@shanhai/platform';
import { SubmissionsService } from './submissions.service.js';

/** Intake's inbound queue: workflow's progress events, each applied once. */
@Processor(QueueName.Intake)
export class ReviewProgressProcessor extends MessageConsumer {
  constructor(inbox: Inbox, submissions: SubmissionsService) {
    const record = (message: Parameters<SubmissionsService['recordProgress']>[1], manager: Parameters<SubmissionsService['recordProgress']>[0]) =>
      submissions.recordProgress(manager, message);
    super(QueueName.Intake, inbox, {
      'approval.started': record,
      'approval.task_assigned': record,
      'approval.step_approved': record,
      'approval.approved': record,
      'approval.rejected': record,
      'approval.withdrawn': record,
    });
  }
}
