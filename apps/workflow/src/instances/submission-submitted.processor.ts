import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@shanhai/contracts';
import { Inbox, MessageConsumer } from '@shanhai/platform';
import { InstancesService } from './instances.service.js';

/** Workflow's inbound queue: submissions to review, and applicants' withdrawals. */
@Processor(QueueName.Workflow)
export class SubmissionSubmittedProcessor extends MessageConsumer {
  constructor(inbox: Inbox, instances: InstancesService) {
    super(QueueName.Workflow, inbox, {
      'submission.submitted': (message, manager) => instances.start(manager, message),
      'submission.withdrawn': (message, manager) => instances.withdraw(manager, message),
    });
  }
}
