import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, SubmissionSubmitted } from '@shanhai/contracts';
import { countRoundTrips, OutboxRelay, type Principal, type RoundTripCounter } from '@shanhai/platform';
import { aSubmissionSummary, aSubmittedPayload, createTestApp, type TestApp } from '@shanhai/platform/testing';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { InstanceCommands } from '../src/instances/instance-commands.service.js';
import { SubmissionSubmittedProcessor } from '../src/instances/submission-submitted.processor.js';
import { Task } from '../src/instances/task.entity.js';
import { seedDirectoryReplica } from './support/directory.js';

const verbose = (label: string, statements: readonly string[]): void => {
  if (process.env.ROUND_TRIPS_VERBOSE) process.stdout.write(`${label}:\n  ${statements.map((q) => q.replace(/\s+/g, ' ').slice(0, 160)).join('\n  ')}\n`);
};

/**
 * What a transition costs workflow's database, statement by statement (each a round trip, BEGIN
 * and COMMIT included): a submission opening an instance, a reviewer's approval moving it on, and
 * the relay moving the messages they wrote. Budgets are docs/performance.md's, with room for the
 * audit trail's own work.
 */
describe('workflow: round trips per transition', () => {
  let t: TestApp;
  let counter: RoundTripCounter;

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica });
    counter = countRoundTrips(t.app.get(DataSource));
  });

  afterAll(async () => {
    counter?.stop();
    await t?.close();
  });

  it('opens an instance from one message and moves it on with one approval, its outbox rows written without a NOTIFY of their own', async () => {
    const summary = aSubmissionSummary();
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload(summary), { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    const submitted = await counter.measure(() => t.app.get(SubmissionSubmittedProcessor).process({ data: message } as Job));
    expect(submitted.result).toBe('handled');
    verbose('submission.submitted', submitted.statements);

    const dataSource = t.app.get(DataSource);
    const [task] = await dataSource.manager.find(Task, { where: { status: 'pending' } });
    const reviewer: Principal = { userId: randomUUID(), username: 'lishui', name: '丽水审核员', role: 'reviewer', organisation: task!.organisationCode };
    const approved = await counter.measure(() => t.app.get(InstanceCommands).decide(reviewer, task!.id, { outcome: 'approve', opinion: '同意' }));
    expect(approved.result.instance.currentStep).toBe(1);
    verbose('approve', approved.statements);

    const relayed = await counter.measure(() => t.app.get(OutboxRelay).drain());
    verbose('relay', relayed.statements);
    const counts = { submitted: submitted.statements.length, approved: approved.statements.length, relay: relayed.statements.length };
    process.stdout.write(`workflow round trips: ${JSON.stringify(counts)}\n`);
    expect(submitted.statements.filter((q) => /pg_notify/i.test(q))).toEqual([]);
    expect(approved.statements.filter((q) => /pg_notify/i.test(q))).toEqual([]);
    expect(counts.submitted).toBeLessThanOrEqual(24);
    expect(counts.approved).toBeLessThanOrEqual(24);
    expect(counts.relay).toBeLessThanOrEqual(3);
  });
});
