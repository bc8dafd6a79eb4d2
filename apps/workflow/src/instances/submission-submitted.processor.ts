import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@shanhai/contracts';
import { DirectoryReplica, Inbox, MessageConsumer } from '@shanhai/platform';
import { InstanceCommands } from './instance-commands.service.js';

/** Workflow's inbound queue: submitted revisions (first or corrected), applicants' withdrawals, and the directory's changes. */
@Processor(QueueName.Workflow)
export class SubmissionSubmittedProcessor extends MessageConsumer {
  constructor(inbox: Inbox, instances: InstanceCommands, directory: DirectoryReplica) {
    super(QueueName.Workflow, inbox, {
      'submission.submitted': (message, manager) => instances.submitted(manager, message),
      'submission.withdrawn': (message, manager) => instances.withdraw(manager, message),
      ...directory.handlers,
    });
  }
}
