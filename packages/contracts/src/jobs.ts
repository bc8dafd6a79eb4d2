import { z } from 'zod';
import { QueueName, type ServiceName } from './queues.js';

/**
 * A service's own queues (`<service>.<purpose>`): a job is enqueued and processed by the same
 * service, so it is not routed and carries no envelope. The inbound queues take messages only.
 */
export type InternalQueueName = Exclude<QueueName, ServiceName>;

/**
 * A service-internal job: the queue it runs on, its name and version, and a strict schema of its
 * data. On the wire the BullMQ job name is the `key` and the job data is the payload itself, as it
 * was before jobs had definitions, so jobs already queued and replicas still running the previous
 * build read each other's data.
 */
export interface JobDefinition<Q extends InternalQueueName, N extends string, V extends number, S extends z.ZodObject> {
  readonly queue: Q;
  readonly name: N;
  readonly version: V;
  /** `name@vN`: the BullMQ job name, and how a registry tells versions apart. */
  readonly key: `${N}@v${V}`;
  readonly payload: z.ZodObject<S['shape'], z.core.$strict>;
}

/** The schema is made strict here, so a job can never carry a member its consumer does not know. */
export function defineJob<Q extends InternalQueueName, N extends string, V extends number, S extends z.ZodObject>(
  queue: Q,
  name: N,
  version: V,
  payload: S,
): JobDefinition<Q, N, V, S> {
  return { queue, name, version, key: `${name}@v${version}`, payload: payload.strict() };
}

/** Any job definition, whatever its queue, name and schema. */
export type SomeJobDefinition = JobDefinition<InternalQueueName, string, number, z.ZodObject>;

/** What a consumer gets back: the key (a union's discriminant) and the validated payload. */
export type JobOf<D extends SomeJobDefinition> = D extends SomeJobDefinition ? { key: D['key']; payload: z.infer<D['payload']> } : never;

/** One email to send (or re-send) from the delivery log; the row holds everything else. */
export const DeliveryJob = defineJob(QueueName.NotifierDeliveries, 'deliver', 1, z.object({ deliveryId: z.uuid() }));

/** A reminder before the due day, on the due day, or the escalation once overdue. */
export const deadlineTimerKind = z.enum(['remind_before', 'remind_due', 'escalate']);
export type DeadlineTimerKind = z.infer<typeof deadlineTimerKind>;

/**
 * One timer of a step's clock (ADR 0015): the job only wakes workflow, which decides from the
 * deadline row whether it still fires (open, still due on `dueOn`, not fired yet). `fireAt` is the
 * moment it is for: a job that arrives early waits in the delayed set until then.
 */
export const DeadlineTimerJob = defineJob(
  QueueName.WorkflowTimers,
  'deadline_timer',
  1,
  z.object({
    instanceId: z.uuid(),
    step: z.number().int().nonnegative(),
    round: z.number().int().positive(),
    kind: deadlineTimerKind,
    dueOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    fireAt: z.iso.datetime(),
  }),
);

/** The sweeper's tick (a job scheduler with a fixed id): fires what is due but was not fired. */
export const DeadlineSweepJob = defineJob(QueueName.WorkflowTimers, 'deadline_sweep', 1, z.object({}));

/** The daily digest's tick (a job scheduler with a fixed id, at DIGEST_TIME in Asia/Shanghai): workflow reads the date from its clock. */
export const DailyDigestJob = defineJob(QueueName.WorkflowDigest, 'daily_digest', 1, z.object({}));

/** Every internal job definition, old versions included while they may still be in a queue. */
export const allJobs = [DeliveryJob, DeadlineTimerJob, DeadlineSweepJob, DailyDigestJob] as const;

export type AnyJobDefinition = (typeof allJobs)[number];
export type AnyJob = JobOf<AnyJobDefinition>;

export class JobContractError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length ? `${message}: ${issues.join('; ')}` : message);
    this.name = 'JobContractError';
  }
}

/** What an outbox row (and then BullMQ) needs to add one job. */
export interface JobRequest {
  readonly queue: InternalQueueName;
  readonly name: string;
  readonly jobId: string;
  readonly data: Record<string, unknown>;
}

/**
 * A deterministic job id, so that a second add of the same job is a no-op. BullMQ refuses ids that
 * are integers or hold a `:` other than as `a:b:c`; refused here, at the producer, such an id would
 * otherwise fail the relay's whole batch in Redis, and every batch after it.
 */
export const deterministicJobId = z
  .string()
  .min(1)
  .max(200)
  .refine((id) => String(Number.parseInt(id, 10)) !== id, 'a job id cannot be an integer')
  .refine((id) => !id.includes(':') || id.split(':').length === 3, 'a job id holds a ":" only as in "a:b:c"');

/** Builds and validates a job; the producer's half of "both sides validate". */
export function createJob<D extends SomeJobDefinition>(definition: D, payload: z.input<D['payload']>, id: string): JobRequest {
  const checkedId = deterministicJobId.safeParse(id);
  if (!checkedId.success) throw new JobContractError(`invalid job id for ${definition.key}`, checkedId.error.issues.map((i) => `jobId: ${i.message}`));
  const { payload: data } = parseJob(definition, { name: definition.key, data: payload });
  return { queue: definition.queue, name: definition.key, jobId: id, data };
}

/**
 * Validates a job (a BullMQ job, or anything with its `name` and `data`) against one definition or
 * a registry of them; throws JobContractError naming every problem. A name without a version is
 * version 1: the delivery jobs queued before jobs had definitions were named plain `deliver`.
 */
export function parseJob<D extends SomeJobDefinition>(definitions: D | readonly D[], job: { readonly name: string; readonly data: unknown }): JobOf<D> {
  const key = job.name.includes('@v') ? job.name : `${job.name}@v1`;
  const list: readonly D[] = isList(definitions) ? definitions : [definitions];
  const definition = list.find((d) => d.key === key);
  if (!definition) throw new JobContractError(`unknown job ${job.name}, expected ${list.map((d) => d.key).join(' or ')}`);
  const result = definition.payload.safeParse(job.data);
  if (!result.success) {
    throw new JobContractError(
      `invalid ${key}`,
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return { key: definition.key, payload: result.data } as JobOf<D>;
}

function isList<D>(definitions: D | readonly D[]): definitions is readonly D[] {
  return Array.isArray(definitions);
}
