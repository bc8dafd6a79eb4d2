import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApprovalApproved, createMessage, QueueName, TaskAssigned, type AnyMessage, type SubmissionSummary } from '@shanhai/contracts';
import { startMailInbox, type MailInbox, type ReceivedMail } from '@shanhai/mail-inbox';
import { defaultJobOptions } from '@shanhai/platform';
import { eventually, Stack, testServers } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import pg from 'pg';

/**
 * ADR 0004: however often an event or a delivery job is redelivered, and however the notifier
 * dies, each (event, recipient, template) is emailed once — except a mail the SMTP server took
 * just before the crash, whose `sent` was never stored: that one may come again, under the same
 * Message-ID. This spec kills the notifier with SIGKILL in the middle of a batch and counts what
 * the SMTP server received.
 */

/** Task assignments (reviewer + applicant each) alternating with approvals (applicant + two stakeholders each). */
const EVENTS = 48;
const PLANNED = (EVENTS / 2) * 2 + (EVENTS / 2) * 3;
/** Each SMTP reply reaches the notifier this much later, so the batch takes seconds, not milliseconds. */
const REPLY_DELAY_MS = 15;
/** A send claimed before the crash is retried once its lease (10 s here) has run out, after BullMQ notices the stalled job (up to a minute). */
const RECOVERY_TIMEOUT_MS = 5 * 60_000;

/**
 * A TCP relay in front of the mail inbox that holds every server → client chunk for `delayMs`,
 * in order. The inbox stores a mail before it answers the DATA with 250, so a notifier killed
 * while that 250 is on its way leaves a mail received but its delivery still `sending`: the
 * window ADR 0004 admits a second copy for.
 */
async function startSlowSmtpRelay(upstreamPort: number, delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let chain = Promise.resolve();
    upstream.on('data', (chunk: Buffer) => {
      chain = chain.then(async () => {
        await new Promise((r) => setTimeout(r, delayMs));
        if (!client.destroyed) client.write(chunk);
      });
    });
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    // A killed notifier resets its connections; the inbox sees the relay's side close.
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', () => void chain.then(end));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

interface DeliveryRow {
  id: string;
  event_id: string;
  recipient: string;
  template: string;
  message_id: string;
  status: 'queued' | 'sending' | 'sent' | 'failed';
  attempts: number;
}

const summary = (i: number): SubmissionSummary => ({
  submissionId: randomUUID(),
  kind: 'zone_plan',
  revision: 1,
  title: `浙江崩溃测试${i}号经济开发区`,
  county: { code: `county-${i}`, name: `测试${i}县` },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: `测试${i}县人民政府`, email: `applicant-${i}@county.example` },
  stakeholders: [],
});
const step = (i: number) => ({
  index: 0,
  key: 'city_review',
  name: '市商务局初审',
  organisation: { code: `reviewer-${i}`, name: `测试${i}市商务局`, email: `reviewer-${i}@shanhai.example` },
});
const definition = { key: 'zone_plan', version: 2 };
const meta = () => ({ id: randomUUID(), occurredAt: new Date(), correlationId: `notifier-crash-${randomUUID()}` });

/** The batch as workflow's relay would put it on the notifier's queue. */
function batch(): AnyMessage[] {
  const messages: AnyMessage[] = [];
  for (let i = 0; i < EVENTS; i += 1) {
    const base = { instanceId: randomUUID(), taskId: randomUUID(), step: step(i), definition };
    messages.push(
      i % 2 === 0
        ? createMessage(TaskAssigned, { ...base, submission: summary(i), stepCount: 5, party: 0 }, meta())
        : createMessage(
            ApprovalApproved,
            {
              ...base,
              submission: {
                ...summary(i),
                stakeholders: [
                  { name: `结对开发区${i}甲`, email: `stakeholder-${i}-a@shanhai.example` },
                  { name: `结对开发区${i}乙`, email: `stakeholder-${i}-b@shanhai.example` },
                ],
              },
              decidedBy: '市商务局 审核员',
            },
            meta(),
          ),
    );
  }
  return messages;
}

describe('the notifier killed mid-batch', () => {
  let inbox: MailInbox;
  let relay: Awaited<ReturnType<typeof startSlowSmtpRelay>>;
  let stack: Stack;
  let db: pg.Client;
  let events: Queue;
  let deliveryJobs: Queue;

  beforeAll(async () => {
    inbox = await startMailInbox({ httpPort: null });
    relay = await startSlowSmtpRelay(inbox.smtpPort, REPLY_DELAY_MS);
    // A short claim lease: the delivery that was mid-send at the kill is picked up again in seconds, not minutes.
    stack = new Stack(relay.url, { NOTIFIER_CLAIM_LEASE_SECONDS: '10' });
    await stack.start(['notifier']);
    db = new pg.Client({ connectionString: stack.databases.notifier });
    await db.connect();
    const queue = (name: string) => new Queue(name, { connection: { url: testServers.redisUrl }, prefix: stack.queuePrefix, defaultJobOptions });
    events = queue(QueueName.Notifier);
    deliveryJobs = queue(QueueName.NotifierDeliveries);
  });

  afterAll(async () => {
    await events?.close();
    await deliveryJobs?.close();
    await db?.end();
    await stack?.close();
    await relay?.close();
    await inbox?.close();
  });

  const deliveries = async (): Promise<DeliveryRow[]> =>
    (await db.query<DeliveryRow>('SELECT id, event_id, recipient, template, message_id, status, attempts FROM deliveries ORDER BY created_at, id')).rows;
  /** No job waiting, running or delayed on either of the notifier's queues. */
  const idle = async (): Promise<boolean> => {
    for (const queue of [events, deliveryJobs]) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(counts).some((n) => n > 0)) return false;
    }
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL');
    return rows[0]!.n === 0;
  };
  const byMessageId = (mails: readonly ReceivedMail[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const m of mails) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
    return counts;
  };

  it('sends every planned email, never twice once stored as sent, and nothing more when the events come again', async () => {
    const started = Date.now();
    const messages = batch();
    await events.addBulk(messages.map((m) => ({ name: m.name, data: m, opts: { jobId: m.id } })));

    // Mid-batch: a third of the emails are in, the rest are not.
    await inbox.waitFor((mails) => mails.length >= Math.ceil(PLANNED / 3), 60_000);
    await stack.kill('notifier');
    const receivedAtKill = inbox.messages().length;

    // The database as the crash left it, once the dead process's connections are gone: nothing can change it any more.
    await eventually(
      () => db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'),
      (r) => r.rows[0]!.n === 0,
      10_000,
    );
    const atKill = await deliveries();
    const sentAtKill = atKill.filter((d) => d.status === 'sent');
    const sendingAtKill = atKill.filter((d) => d.status === 'sending');
    expect(receivedAtKill).toBeGreaterThan(0);
    expect(receivedAtKill).toBeLessThan(PLANNED);
    expect(sentAtKill.length).toBeGreaterThan(0);
    expect(sentAtKill.length).toBeLessThan(PLANNED);

    // Restarted, the notifier finishes the batch: events the crash left unplanned, deliveries it left queued or mid-send.
    await stack.startService('notifier');
    const done = await eventually(deliveries, (rows) => rows.length === PLANNED && rows.every((d) => d.status === 'sent'), RECOVERY_TIMEOUT_MS, 250);
    expect(done.filter((d) => d.status !== 'sent')).toEqual([]);
    expect(done).toHaveLength(PLANNED);
    expect(await eventually(idle, (ok) => ok, 30_000, 250)).toBe(true);
    const recoveredAfterMs = Date.now() - started;

    const mails = inbox.messages();
    const received = byMessageId(mails);
    const rows = new Map(done.map((d) => [d.message_id, d]));

    // (1) Every planned (event, recipient, template) arrived, under its delivery's Message-ID, to its recipient.
    expect(new Set(done.map((d) => `${d.event_id}|${d.recipient}|${d.template}`)).size).toBe(PLANNED);
    expect(received.size).toBe(PLANNED);
    expect([...received.keys()].filter((id) => !rows.has(id))).toEqual([]);
    for (const mail of mails) expect([mail.messageId, mail.to]).toEqual([mail.messageId, [rows.get(mail.messageId)!.recipient]]);

    // (2) A delivery stored as sent before the kill was received once, and never claimed again.
    expect(sentAtKill.filter((d) => received.get(d.message_id) !== 1).map((d) => [d.message_id, received.get(d.message_id)])).toEqual([]);
    const attemptsAfter = new Map(done.map((d) => [d.id, d.attempts]));
    expect(sentAtKill.filter((d) => attemptsAfter.get(d.id) !== d.attempts)).toEqual([]);

    // (3) Only a send in flight at the kill may have come twice (same Message-ID), at most once each.
    const duplicated = [...received].filter(([, n]) => n > 1);
    const inFlight = new Set(sendingAtKill.map((d) => d.message_id));
    expect(duplicated.filter(([id, n]) => !inFlight.has(id) || n > 2)).toEqual([]);
    expect(mails.length - received.size).toBeLessThanOrEqual(sendingAtKill.length);

    // (4) The same events again, under new job ids (a relay re-sending them): each is a duplicate, and no mail is sent.
    const before = mails.length;
    await events.addBulk(messages.map((m) => ({ name: m.name, data: m, opts: { jobId: `redelivered-${m.id}` } })));
    const redelivered = await eventually(
      () => Promise.all(messages.map((m) => events.getJob(`redelivered-${m.id}`))),
      (jobs) => jobs.every((j) => j?.finishedOn !== undefined),
      30_000,
      250,
    );
    expect(redelivered.map((j) => j?.returnvalue)).toEqual(messages.map(() => 'duplicate'));
    expect(await eventually(idle, (ok) => ok, 30_000, 250)).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect(inbox.messages()).toHaveLength(before);
    expect((await deliveries()).map((d) => [d.id, d.status, d.attempts])).toEqual(done.map((d) => [d.id, d.status, d.attempts]));

    console.log(
      `notifier crash: ${PLANNED} emails planned from ${messages.length} events; at the kill ${receivedAtKill} received, ` +
        `${sentAtKill.length} sent, ${sendingAtKill.length} sending; after recovery ${mails.length} received, ` +
        `${mails.length - received.size} duplicate(s) ${JSON.stringify(duplicated)}; recovered in ${recoveredAfterMs} ms`,
    );
  }, 8 * 60_000);
});
