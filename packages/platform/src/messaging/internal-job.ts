import { JobContractError, parseJob, type JobOf, type SomeJobDefinition } from '@shanhai/contracts';
import { UnrecoverableError, type Job } from 'bullmq';

/**
 * The queue edge of a service-internal job: parse with its definition (or a registry of the
 * queue's definitions). A job that breaks its contract is unrecoverable: retrying cannot mend it,
 * so it is failed at once and kept in the failed set, like a malformed message.
 */
export function parseInternalJob<D extends SomeJobDefinition>(definitions: D | readonly D[], job: Job): JobOf<D> {
  try {
    return parseJob(definitions, job);
  } catch (error) {
    if (error instanceof JobContractError) throw new UnrecoverableError(`job ${String(job.id)}: ${error.message}`);
    throw error;
  }
}
