import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApprovalEscalated, createMessage, DirectoryOrganisationChanged, DirectoryUserChanged, QueueName, TaskAssigned, TaskDelegated, type AnyMessage, type SubmissionSummary } from '@shanhai/contracts';
import { eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { NotifierConfig } from '../src/config.js';
import { startNotifier } from './support/notifier-app.js';

const meta = () => ({ id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
const summary = (): SubmissionSummary => ({
  submissionId: randomUUID(),
  kind: 'zone_plan',
  revision: 1,
  title: '浙江松阳经济开发区',
  county: { code: 'songyang', name: '松阳县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '松阳县人民政府', email: `songyang-${randomUUID().slice(0, 8)}@county.shanhai.example` },
  stakeholders: [],
});

/** Who the notifier writes to, with its directory replica fed as intake's outbox would feed it. */
describe('notifier: the people of an organisation, from the directory replica', () => {
  let t: TestApp<NotifierConfig>;
  let queue: Queue;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await startNotifier();
    dataSource = t.app.get(DataSource);
    queue = new Queue(QueueName.Notifier, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
  });

  afterAll(async () => {
    await queue.close();
    await t.close();
  });

  const handled = async (message: AnyMessage) => {
    await queue.add(message.name, message, { jobId: message.id });
    const job = await eventually(() => queue.getJob(message.id), (j) => j?.finishedOn !== undefined);
    expect(job?.returnvalue).toBe('handled');
  };
  const recipients = async (eventId: string) =>
    (await dataSource.query<{ recipient: string; template: string }[]>('SELECT recipient, template FROM deliveries WHERE event_id = $1 ORDER BY recipient', [eventId])).filter(
      (d) => d.template.endsWith('.reviewer'),
    ).map((d) => d.recipient);
  const organisation = (code: string, version = 1) =>
    createMessage(DirectoryOrganisationChanged, { code, name: '浙江省林业局', kind: 'consulted_department', email: `${code}@shanhai.example`, cityCode: null, version }, meta());
  const user = (organisation: string, label: string, extra: { active?: boolean; version?: number; userId?: string; supervisor?: boolean } = {}) =>
    createMessage(
      DirectoryUserChanged,
      {
        userId: extra.userId ?? randomUUID(),
        username: `${organisation}-${label}`,
        name: `林业局 ${label}`,
        role: 'reviewer',
        email: `${organisation}-${label}@shanhai.example`,
        organisation,
        county: null,
        zone: null,
        active: extra.active ?? true,
        ...(extra.supervisor !== undefined ? { supervisor: extra.supervisor } : {}),
        tokensValidAfter: null,
        version: extra.version ?? 1,
      },
      meta(),
    );
  const step = (code: string) => ({ index: 1, key: 'forestry_review', name: '省林业局审核', organisation: { code, name: '浙江省林业局', email: `${code}@shanhai.example` } });
  const assigned = (code: string) =>
    createMessage(TaskAssigned, { instanceId: randomUUID(), submission: summary(), definition: { key: 'zone_plan', version: 1 }, taskId: randomUUID(), step: step(code), stepCount: 2 }, meta());

  it("writes to each active account of the step's organisation, and to its mailbox when it has none", async () => {
    const code = `forestry-${randomUUID().slice(0, 6)}`;
    const none = assigned(code);
    await handled(none);
    expect(await recipients(none.id)).toEqual([`${code}@shanhai.example`]);

    await handled(organisation(code));
    const gone = randomUUID();
    for (const m of [user(code, 'a'), user(code, 'b'), user(code, 'c', { userId: gone }), user(code, 'c', { userId: gone, active: false, version: 2 })]) await handled(m);
    const some = assigned(code);
    await handled(some);
    expect(await recipients(some.id)).toEqual([`${code}-a@shanhai.example`, `${code}-b@shanhai.example`]);
  });

  it('keeps the newest version of an account whatever order the messages arrive in', async () => {
    const code = `forestry-${randomUUID().slice(0, 6)}`;
    const id = randomUUID();
    await handled(user(code, 'x', { userId: id, active: false, version: 3 }));
    await handled(user(code, 'x', { userId: id, active: true, version: 2 }));
    const event = assigned(code);
    await handled(event);
    expect(await recipients(event.id)).toEqual([`${code}@shanhai.example`]);
  });

  it('tells the delegate of a delegated task', async () => {
    const code = `forestry-${randomUUID().slice(0, 6)}`;
    const delegateId = randomUUID();
    await handled(user(code, 'lead'));
    await handled(user(code, 'delegate', { userId: delegateId }));
    const delegated = createMessage(
      TaskDelegated,
      { instanceId: randomUUID(), submission: summary(), definition: { key: 'zone_plan', version: 1 }, taskId: randomUUID(), step: step(code), delegatedBy: '林业局 lead', delegate: { userId: delegateId, name: '林业局 delegate' } },
      meta(),
    );
    await handled(delegated);
    expect(await recipients(delegated.id)).toEqual([`${code}-delegate@shanhai.example`, `${code}-lead@shanhai.example`]);
  });

  it("escalates to the organisation's active supervisors only, as the replica last heard of them, and to its mailbox without one", async () => {
    const code = `forestry-${randomUUID().slice(0, 6)}`;
    const head = randomUUID();
    const escalated = (supervisors: boolean) =>
      createMessage(
        ApprovalEscalated,
        { instanceId: randomUUID(), submission: summary(), definition: { key: 'zone_plan', version: 3 }, round: 1, dueOn: '2026-10-10', escalatedTo: step(code).organisation, supervisors, steps: [{ taskId: randomUUID(), step: step(code) }] },
        meta(),
      );
    const supervisorsTold = async (message: AnyMessage) =>
      (await dataSource.query<{ recipient: string }[]>(`SELECT recipient FROM deliveries WHERE event_id = $1 AND template = 'escalated.supervisor' ORDER BY recipient`, [message.id])).map((d) => d.recipient);
    for (const m of [user(code, 'clerk'), user(code, 'head', { userId: head, supervisor: true }), user(code, 'former', { supervisor: true, active: false })]) await handled(m);
    const first = escalated(true);
    await handled(first);
    expect(await supervisorsTold(first)).toEqual([`${code}-head@shanhai.example`]);
    // The assignees hear of it too, each once: the head already has, as the supervisor.
    expect(await recipients(first.id)).toEqual([`${code}-clerk@shanhai.example`]);
    // To another organisation: all its people.
    const other = escalated(false);
    await handled(other);
    expect(await supervisorsTold(other)).toEqual([`${code}-clerk@shanhai.example`, `${code}-head@shanhai.example`]);
    // The head steps down: the organisation's mailbox is told.
    await handled(user(code, 'head', { userId: head, supervisor: false, version: 2 }));
    const later = escalated(true);
    await handled(later);
    expect(await supervisorsTold(later)).toEqual([`${code}@shanhai.example`]);
  });
});
