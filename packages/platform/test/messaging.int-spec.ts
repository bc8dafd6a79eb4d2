import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApprovalApproved, DeliveryJob, QueueName } from '@shanhai/contracts';
import { Queue } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { Inbox } from '../src/messaging/inbox.js';
import { countRoundTrips } from '../src/database/round-trips.js';
import { Outbox, OUTBOX_CHANNEL } from '../src/messaging/outbox.js';
import { OutboxMessage } from '../src/messaging/outbox-message.entity.js';
import { OutboxRelay } from '../src/messaging/outbox-relay.js';
import { InboxMessage } from '../src/messaging/inbox-message.entity.js';
import { PlatformModule } from '../src/platform.module.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';
import { eventually } from '../src/testing/eventually.js';
import { aQingyuanSummary } from '../src/testing/factories.js';

const submission = aQingyuanSummary();
const approved = {
  instanceId: randomUUID(),
  submission,
  definition: { key: 'zone_plan', version: 1 },
  taskId: randomUUID(),
  step: { index: 2, key: 'province_approval', name: '省政府审批', organisation: { code: 'zj-gov', name: '浙江省人民政府', email: 'zj-gov@shanhai.example' } },
  decidedBy: '审批人',
};


describe('outbox and inbox against PostgreSQL and Redis', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let outbox: Outbox;
  let relay: OutboxRelay;
  let queues: Record<'intake' | 'notifier', Queue>;

  beforeAll(async () => {
    t = await createTestApp({
      service: 'intake',
      module: (config) => PlatformModule.forService({ config, entities: [], migrations: [], consumes: [] }),
      schema: { entities: [], migrations: [] },
    });
    dataSource = t.app.get(DataSource);
    outbox = t.app.get(Outbox);
    relay = t.app.get(OutboxRelay);
    const open = (name: string) => new Queue(name, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    queues = { intake: open(QueueName.Intake), notifier: open(QueueName.Notifier) };
  });

  afterAll(async () => {
    await Promise.all(Object.values(queues).map((q) => q.close()));
    await t.close();
  });

  const publish = () => dataSource.transaction((m) => outbox.publish(m, ApprovalApproved, approved));

  it('relays a committed message to every queue on its route, with the message id as job id', async () => {
    const message = await publish();
    const jobs = await eventually(
      () => Promise.all([queues.intake.getJob(message.id), queues.notifier.getJob(message.id)]),
      (found) => found.every(Boolean),
    );
    expect(jobs.map((j) => j?.name)).toEqual(['approval.approved', 'approval.approved']);
    expect(jobs[0]?.data).toEqual(message);
    await expect(dataSource.manager.countBy(OutboxMessage, { jobId: message.id })).resolves.toBe(2);
    await expect(eventually(() => dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox WHERE job_id = $1 AND dispatched_at IS NULL`, [message.id]), (r) => r[0]?.n === 0)).resolves.toEqual([{ n: 0 }]);
  });

  it('relays nothing from a rolled-back transaction', async () => {
    let id = '';
    await expect(
      dataSource.transaction(async (m) => {
        id = (await outbox.publish(m, ApprovalApproved, approved)).id;
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await relay.drain();
    await expect(queues.intake.getJob(id)).resolves.toBeUndefined();
    await expect(dataSource.manager.countBy(OutboxMessage, { jobId: id })).resolves.toBe(0);
  });

  it('keeps a message committed while the relay is stopped, and delivers it once the relay is back', async () => {
    await relay.onApplicationShutdown();
    const message = await publish();
    await new Promise((r) => setTimeout(r, 400));
    await expect(queues.intake.getJob(message.id)).resolves.toBeUndefined();
    const restarted = new OutboxRelay(dataSource, t.app.get(OutboxRelay)['queues'], t.config);
    await restarted.onApplicationBootstrap();
    try {
      const job = await eventually(() => queues.intake.getJob(message.id), Boolean);
      expect(job?.data).toEqual(message);
    } finally {
      await restarted.onApplicationShutdown();
    }
  });

  it('re-adds a job whose row was not stamped without creating a second job', async () => {
    const message = await publish();
    const restarted = new OutboxRelay(dataSource, t.app.get(OutboxRelay)['queues'], t.config);
    await restarted.drain();
    // As if the relay crashed after the add but before its stamp committed.
    await dataSource.query(`UPDATE outbox SET dispatched_at = NULL WHERE job_id = $1`, [message.id]);
    await expect(restarted.drain()).resolves.toBe(2);
    const waiting = await queues.intake.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(waiting.filter((j) => j.id === message.id)).toHaveLength(1);
  });

  it('wakes the relay once per committed transaction, through the database: the writer sends no NOTIFY, a rollback wakes no one', async () => {
    const listener = new pg.Client({ connectionString: t.config.databaseUrl });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.channel));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    const counter = countRoundTrips(dataSource);
    try {
      const { statements } = await counter.measure(() =>
        dataSource.transaction(async (m) => {
          await outbox.publish(m, ApprovalApproved, approved);
          await outbox.publish(m, ApprovalApproved, approved);
          await outbox.enqueueJobs(m, DeliveryJob, [{ payload: { deliveryId: randomUUID() }, jobId: randomUUID() }, { payload: { deliveryId: randomUUID() }, jobId: randomUUID() }]);
        }),
      );
      // BEGIN, two messages and one batch of jobs (an INSERT each), COMMIT.
      expect(statements.map((q) => q.split(' ')[0])).toEqual(['START', 'INSERT', 'INSERT', 'INSERT', 'COMMIT']);
      await eventually(async () => heard.length, (n) => n >= 1);
      await expect(
        dataSource.transaction(async (m) => {
          await outbox.publish(m, ApprovalApproved, approved);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toEqual([OUTBOX_CHANNEL]);
    } finally {
      counter.stop();
      await listener.end();
    }
  });

  it('moves a batch in three round trips: BEGIN, one UPDATE that claims and stamps it, COMMIT', async () => {
    const restarted = new OutboxRelay(dataSource, t.app.get(OutboxRelay)['queues'], t.config);
    const counter = countRoundTrips(dataSource);
    try {
      const message = await publish();
      const { result, statements } = await counter.measure(() => restarted.drain());
      // Rows earlier cases left while no relay ran go in the same batch.
      expect(result).toBeGreaterThanOrEqual(2);
      expect(statements.map((q) => q.trim().split(/\s+/)[0])).toEqual(['START', 'UPDATE', 'COMMIT']);
      await expect(queues.intake.getJob(message.id)).resolves.toMatchObject({ id: message.id });
    } finally {
      counter.stop();
    }
  });

  it('relays the messages of one transaction in the order they were written', async () => {
    const ids = await dataSource.transaction(async (m) => {
      const written: string[] = [];
      for (let i = 0; i < 20; i += 1) written.push((await outbox.publish(m, ApprovalApproved, { ...approved, decidedBy: `审批人 ${i}` })).id);
      // Rewritten rows move in the table, so an order the rows merely happen to have would break.
      await m.query(`UPDATE outbox SET data = data || '{}' WHERE job_id = ANY($1)`, [written.slice(0, 10)]);
      return written;
    });
    await relay.drain();
    const queued = await eventually(
      () => queues.intake.getJobs(['waiting'], 0, -1, true),
      (jobs) => ids.every((id) => jobs.some((j) => j.id === id)),
    );
    expect(queued.map((j) => j.id).filter((id) => ids.includes(id ?? ''))).toEqual(ids);
  });

  describe(Inbox.name, () => {
    it('runs an effect once per message and consumer, whatever the redeliveries', async () => {
      const inbox = t.app.get(Inbox);
      const messageId = randomUUID();
      let effects = 0;
      const effect = async () => {
        effects += 1;
      };
      const outcomes = await Promise.all([1, 2, 3].map(() => inbox.runOnce(messageId, 'spec', effect)));
      expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'handled']);
      expect(effects).toBe(1);
      await expect(inbox.runOnce(messageId, 'another-consumer', effect)).resolves.toBe('handled');
    });

    it('forgets a message whose effect failed, so the retry runs it', async () => {
      const inbox = t.app.get(Inbox);
      const messageId = randomUUID();
      await expect(
        inbox.runOnce(messageId, 'spec', async () => {
          throw new Error('database hiccup');
        }),
      ).rejects.toThrow('database hiccup');
      await expect(dataSource.manager.countBy(InboxMessage, { messageId })).resolves.toBe(0);
      await expect(inbox.runOnce(messageId, 'spec', async () => undefined)).resolves.toBe('handled');
    });
  });
});
