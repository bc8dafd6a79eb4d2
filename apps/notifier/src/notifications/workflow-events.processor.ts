import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@shanhai/contracts';
import { DirectoryReplica, Inbox, MessageConsumer } from '@shanhai/platform';
import { DigestNotifications } from './digest.service.js';
import { NotificationsService } from './notifications.service.js';

/** The notifier's inbound queue: workflow events that someone must be told about, and the directory's changes. */
@Processor(QueueName.Notifier)
export class WorkflowEventsProcessor extends MessageConsumer {
  constructor(inbox: Inbox, notifications: NotificationsService, directory: DirectoryReplica, digests: DigestNotifications) {
    super(QueueName.Notifier, inbox, {
      'approval.task_assigned': (message, manager) => notifications.plan(manager, message),
      'approval.approved': (message, manager) => notifications.plan(manager, message),
      'approval.rejected': (message, manager) => notifications.plan(manager, message),
      'approval.withdrawn': (message, manager) => notifications.plan(manager, message),
      'approval.returned': (message, manager) => notifications.plan(manager, message),
      'approval.delegated': (message, manager) => notifications.plan(manager, message),
      'approval.deadline_extended': (message, manager) => notifications.plan(manager, message),
      'approval.reminder': (message, manager) => notifications.plan(manager, message),
      'approval.escalated': (message, manager) => notifications.plan(manager, message),
      'approval.urged': (message, manager) => notifications.plan(manager, message),
      'approval.digest': (message, manager) => digests.plan(manager, message),
      ...directory.handlers,
    });
  }
}
