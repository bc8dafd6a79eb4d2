import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@shanhai/contracts';
import { Inbox, MessageConsumer } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { ReviewProgressService } from './review-progress.service.js';
import type { ReviewMessage } from './review-timeline.js';

/** Intake's inbound queue: workflow's progress events, each applied once. */
@Processor(QueueName.Intake)
export class ReviewProgressProcessor extends MessageConsumer {
  constructor(inbox: Inbox, progress: ReviewProgressService) {
    const record = (message: ReviewMessage, manager: EntityManager) => progress.record(manager, message);
    super(QueueName.Intake, inbox, {
      'approval.started': record,
      'approval.task_assigned': record,
      'approval.step_approved': record,
      'approval.delegated': record,
      'approval.deadline_extended': record,
      'approval.returned': record,
      'approval.resubmitted': record,
      'approval.approved': record,
      'approval.rejected': record,
      'approval.withdrawn': record,
    });
  }
}
