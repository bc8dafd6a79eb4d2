import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@shanhai/contracts';
import { DirectoryReplica, Inbox, MessageConsumer } from '@shanhai/platform';
import { InstanceCommands } from './instance-commands.service.js';
import { SubmissionUrgedHandler } from './submission-urged.handler.js';

/** Workflow's inbound queue: submitted revisions (first or corrected), applicants' withdrawals and urges (催办), and the directory's changes. */
@Processor(QueueName.Workflow)
export class SubmissionSubmittedProcessor extends MessageConsumer {
  constructor(inbox: Inbox, instances: InstanceCommands, directory: DirectoryReplica, urges: SubmissionUrgedHandler) {
    super(QueueName.Workflow, inbox, {
      'submission.submitted': (message, manager) => instances.submitted(manager, message),
      'submission.withdrawn': (message, manager) => instances.withdraw(manager, message),
      'submission.urged': (message, manager) => urges.urged(manager, message),
      ...directory.handlers,
    });
  }
}
