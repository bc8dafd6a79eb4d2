import { deleteQueueKeys, uniqueQueuePrefix } from '@shanhai/platform/testing';
import { Queue, Worker, type JobsOptions } from 'bullmq';
import { ProgressBar } from '../progress-bar.js';
import { perSecond } from '../stats.js';

export interface BullmqChainResult {
  readonly jobs: number;
  readonly queues: number;
  /** Jobs processed over all queues: jobs × queues. */
  readonly hops: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly hopsPerSecond: number | null;
}

/** The options the services' queues give every job (platform's queue registry): the same bookkeeping per hop. */
const jobOptions: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/**
 * Three queues in a chain, as a message travels intake → workflow → notifier: each trivial
 * processor adds the job to the next queue, the last one just completes. `jobs` enter the first
 * queue at once; the clock runs from the first add to the last completion.
 */
export async function runBullmqChain(redisUrl: string, jobs: number, concurrency: number): Promise<BullmqChainResult> {
  const prefix = uniqueQueuePrefix('bench-raw');
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const names = ['bench.first', 'bench.second', 'bench.third'] as const;
  const queues = names.map((name) => new Queue(name, { connection, prefix }));
  const progress = new ProgressBar('raw BullMQ chain', jobs, 'jobs');
  let completed = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const workers = names.map(
    (name, i) =>
      new Worker(
        name,
        async (job) => {
          const next = queues[i + 1];
          if (next) {
            await next.add(job.name, job.data as unknown, { ...jobOptions, jobId: `${job.id}-${i + 1}` });
            return;
          }
          completed += 1;
          if (completed % 50 === 0) progress.update(completed);
          if (completed === jobs) finish();
        },
        { connection, prefix, concurrency },
      ),
  );
  try {
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    const started = performance.now();
    for (let i = 0; i < jobs; i += 500) {
      const batch = Array.from({ length: Math.min(500, jobs - i) }, (_, k) => ({ name: 'hop', data: { n: i + k }, opts: { ...jobOptions, jobId: `job-${i + k}` } }));
      await queues[0]!.addBulk(batch);
    }
    await allDone;
    const ms = performance.now() - started;
    progress.finish();
    return { jobs, queues: names.length, hops: jobs * names.length, concurrency, seconds: ms / 1000, hopsPerSecond: perSecond(jobs * names.length, ms) };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all(queues.map((q) => q.close()));
    await deleteQueueKeys(prefix, redisUrl);
  }
}
