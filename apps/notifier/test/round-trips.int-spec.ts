import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, TaskAssigned } from '@shanhai/contracts';
import { startMailInbox, type MailInbox } from '@shanhai/mail-inbox';
import { countRoundTrips, OutboxRelay, type RoundTripCounter } from '@shanhai/platform';
import { eventually, type TestApp } from '@shanhai/platform/testing';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import type { NotifierConfig } from '../src/config.js';
import { DeliveriesService } from '../src/deliveries/deliveries.service.js';
import { Delivery } from '../src/deliveries/delivery.entity.js';
import { WorkflowEventsProcessor } from '../src/notifications/workflow-events.processor.js';
import { startNotifier } from './support/notifier-app.js';

const verbose = (label: string, statements: readonly string[]): void => {
  if (process.env.ROUND_TRIPS_VERBOSE) process.stdout.write(`${label}:\n  ${statements.map((q) => q.replace(/\s+/g, ' ').slice(0, 160)).join('\n  ')}\n`);
};

/**
 * What an event and its emails cost the notifier's database, statement by statement (each a round
 * trip, BEGIN and COMMIT included): planning an event's emails writes them in a fixed number of
 * statements however many there are, and each email costs its claim and its outcome. Budgets are
 * docs/performance.md's.
 */
describe('notifier: round trips per event and per email', () => {
  let inbox: MailInbox;
  let t: TestApp<NotifierConfig>;
  let counter: RoundTripCounter;

  beforeAll(async () => {
    inbox = await startMailInbox({ httpPort: null });
    t = await startNotifier({ smtpUrl: inbox.smtpUrl });
    counter = countRoundTrips(t.app.get(DataSource));
  });

  afterAll(async () => {
    counter?.stop();
    await t?.close();
    await inbox?.close();
  });

  it('plans the emails of an event in a fixed number of round trips however many there are, and sends each in two', async () => {
    const submission = {
      submissionId: randomUUID(),
      kind: 'zone_plan' as const,
      revision: 1,
      title: '浙江松阳经济开发区',
      county: { code: 'songyang', name: '松阳县' },
      city: { code: 'lishui', name: '丽水市' },
      applicant: { name: '松阳县人民政府', email: 'songyang@shanhai.example' },
      stakeholders: [{ name: '杭州萧山经济技术开发区', email: 'xiaoshan@shanhai.example' }],
    };
    const step = { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'lishui-commerce@shanhai.example' } };
    const message = createMessage(
      TaskAssigned,
      { instanceId: randomUUID(), submission, definition: { key: 'zone_plan', version: 1 }, taskId: randomUUID(), step, stepCount: 3 },
      { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' },
    );
    const planned = await counter.measure(() => t.app.get(WorkflowEventsProcessor).process({ data: message } as Job));
    expect(planned.result).toBe('handled');
    verbose('approval.task_assigned', planned.statements);
    const rows = await t.app.get(DataSource).manager.findBy(Delivery, { eventId: message.id });
    expect(rows.length).toBeGreaterThanOrEqual(2);

    const relayed = await counter.measure(() => t.app.get(OutboxRelay).drain());
    verbose('relay', relayed.statements);
    // Once the worker sent them, put one back as if re-driven (without a job) and send it here.
    await inbox.waitFor(() => inbox.messages().filter((m) => m.subject.includes(submission.title)).length === rows.length);
    await eventually(() => t.app.get(DataSource).manager.findBy(Delivery, { eventId: message.id }), (all) => all.every((d) => d.status === 'sent'));
    await t.app.get(DataSource).manager.update(Delivery, { id: rows[0]!.id }, { status: 'queued' });
    const delivered = await counter.measure(() => t.app.get(DeliveriesService).deliver(rows[0]!.id, { lastAttempt: false }));
    expect(delivered.result).toBe('sent');
    verbose('deliver', delivered.statements);

    const counts = { emails: rows.length, planned: planned.statements.length, relay: relayed.statements.length, delivery: delivered.statements.length };
    process.stdout.write(`notifier round trips: ${JSON.stringify(counts)}\n`);
    expect(planned.statements.filter((q) => /pg_notify/i.test(q))).toEqual([]);
    expect(counts.planned).toBeLessThanOrEqual(10);
    // The claim and the outcome.
    expect(counts.delivery).toBe(2);
  });
});
