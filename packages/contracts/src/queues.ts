/**
 * Queue names live in Redis: never rename one once shipped; add a new queue and drain the old.
 * Each service has one inbound queue named after it; internal queues are `<service>.<purpose>`.
 */
export const QueueName = {
  Intake: 'intake',
  Workflow: 'workflow',
  Notifier: 'notifier',
  NotifierDeliveries: 'notifier.deliveries',
  /** Workflow's daily digest (每日待办): a job scheduler's tick once a working day. */
  WorkflowDigest: 'workflow.digest',
  /** Workflow's reminder and escalation timers, and the sweeper that catches the ones Redis lost. */
  WorkflowTimers: 'workflow.timers',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ServiceName = { Intake: 'intake', Workflow: 'workflow', Notifier: 'notifier' } as const;
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];
