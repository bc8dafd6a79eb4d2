import { randomUUID } from 'node:crypto';
import { createMessage, QueueName, TaskAssigned } from '@shanhai/contracts';
import { eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DEFAULT_DELIVERY, type DeliverySettings, type NotifierConfig } from '../src/config.js';
import { Delivery } from '../src/deliveries/delivery.entity.js';

/**
 * A bad hour of SMTP, compressed: the production delivery settings (attempts, breaker threshold,
 * claim lease) with the waits shortened — backoff, cool-down — and a send rate that lets a few
 * hundred sends finish in seconds. The specs never assert time; every wait is for an outcome.
 */
export const badHourSettings: DeliverySettings = { ...DEFAULT_DELIVERY, retryBaseMs: 20, retryMaxMs: 400, breakerCooldownMs: 400, ratePerSecond: 200 };

/** Two emails: to the step's reviewing organisation and to the applicant, each at an address of its own. */
const assigned = (label: string, i: number) =>
  createMessage(
    TaskAssigned,
    {
      instanceId: randomUUID(),
      submission: {
        submissionId: randomUUID(),
        kind: 'zone_plan',
        revision: 1,
        title: `浙江庆元经济开发区（${label} ${i}）`,
        county: { code: 'qingyuan', name: '庆元县' },
        city: { code: 'lishui', name: '丽水市' },
        applicant: { name: '庆元县人民政府', email: `${label}-applicant-${i}@county.shanhai.example` },
        stakeholders: [{ name: '杭州萧山经济技术开发区', email: 'xiaoshan@shanhai.example' }],
      },
      definition: { key: 'zone_plan', version: 1 },
      taskId: randomUUID(),
      step: { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: `lishui-commerce-${i}`, name: '丽水市商务局', email: `${label}-reviewer-${i}@city.shanhai.example` } },
      stepCount: 3,
    },
    { id: randomUUID(), occurredAt: new Date(), correlationId: `bad-hour-${label}` },
  );

/**
 * What the workflow service does: `events` task assignments onto the notifier's inbound queue, each
 * with its message id as job id. Returns the addresses the notifier should email, one email each.
 */
export async function publishAssignments(t: TestApp<NotifierConfig>, label: string, events: number): Promise<string[]> {
  const queue = new Queue(QueueName.Notifier, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
  try {
    const messages = Array.from({ length: events }, (_, i) => assigned(label, i));
    await queue.addBulk(messages.map((m) => ({ name: m.name, data: m, opts: { jobId: m.id } })));
    return messages.flatMap((m) => [m.payload.submission.applicant.email, m.payload.step.organisation.email]);
  } finally {
    await queue.close();
  }
}

/** The whole delivery log. */
export const allDeliveries = (t: TestApp<NotifierConfig>): Promise<Delivery[]> => t.app.get(DataSource).manager.find(Delivery, { order: { recipient: 'ASC' } });

/** Waits until `expected` deliveries are planned and none is on its way any more (each `sent` or `dead`); returns them. */
export const allSettled = (t: TestApp<NotifierConfig>, expected: number, timeoutMs = 60_000): Promise<Delivery[]> =>
  eventually(() => allDeliveries(t), (all) => all.length === expected && all.every((d) => d.status === 'sent' || d.status === 'dead'), timeoutMs, 100);

/** How many deliveries are in each status, e.g. `{ sent: 160 }`. */
export const countByStatus = (all: readonly Delivery[]): Record<string, number> => all.reduce<Record<string, number>>((n, d) => ({ ...n, [d.status]: (n[d.status] ?? 0) + 1 }), {});

/** The delivery jobs of `all` that did not end completed as `sent` after as many BullMQ attempts as the log counts, and what is left in the queue. */
export async function jobsAgainstLog(t: TestApp<NotifierConfig>, all: readonly Delivery[]): Promise<{ mismatched: unknown[]; left: Record<string, number> }> {
  const queue = new Queue(QueueName.NotifierDeliveries, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
  try {
    const seen = await Promise.all(all.map(async (d) => ({ d, job: await queue.getJob(d.id) })));
    const mismatched = seen.filter(({ d, job }) => job?.returnvalue !== 'sent' || job.attemptsMade !== d.attempts).map(({ d, job }) => [d.recipient, job?.returnvalue, job?.attemptsMade, d.attempts]);
    return { mismatched, left: await queue.getJobCounts('failed', 'delayed', 'waiting', 'active') };
  } finally {
    await queue.close();
  }
}
