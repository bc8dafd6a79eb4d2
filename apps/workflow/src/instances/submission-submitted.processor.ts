import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@shanhai/contracts';
import { Inbox, MessageConsumer } from '@shanhai/platform';
import { InstancesService } from './instances.service.js';

/** Workflow's inbound queue: submitted revisions (first or corrected), and applicants' withdrawals. */
@Processor(QueueName.Workflow)
export class SubmissionSubmittedProcessor extends MessageConsumer {
  constructor(inbox: Inbox, instances: InstancesService) {
    super(QueueName.Workflow, inbox, {
      'submission.submitted': (message, manager) => instances.submitted(manager, message),
      'submission.withdrawn': (message, manager) => instances.withdraw(manager, message),
    });
  }
}
