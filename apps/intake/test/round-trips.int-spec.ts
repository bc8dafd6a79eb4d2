import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApprovalReturned, ApprovalStarted, createMessage, StepApproved, TaskAssigned, type AnyMessageDefinition } from '@shanhai/contracts';
import { attachmentKinds } from '@shanhai/domain';
import { countRoundTrips, type RoundTripCounter } from '@shanhai/platform';
import { aQingyuanSummary, type TestApp } from '@shanhai/platform/testing';
import type { Job } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../src/config.js';
import { qingyuanPlanExample } from '../src/submissions/dto/zone-plan.request.js';
import { ReviewProgressProcessor } from '../src/submissions/review-progress.processor.js';
import { bearer, startIntake } from './support/intake-app.js';
import { samplePdf } from './support/samples.js';

/**
 * What one of workflow's events costs intake's database, counted statement by statement (each a
 * round trip, BEGIN and COMMIT included): the inbox row, one locked read of the submission, its
 * update and the timeline line. The budgets are docs/performance.md's; a change that spends more
 * should say why there.
 */
describe('intake: round trips per message', () => {
  let t: TestApp<IntakeConfig>;
  let counter: RoundTripCounter;
  let processor: ReviewProgressProcessor;

  beforeAll(async () => {
    t = await startIntake();
    counter = countRoundTrips(t.app.get(DataSource));
    processor = t.app.get(ReviewProgressProcessor);
  });

  afterAll(async () => {
    counter?.stop();
    await t?.close();
  });

  const step = (index: number) => ({ index, key: `step_${index}`, name: `第${index}步`, organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'l@shanhai.example' } });

  async function submittedPlan(): Promise<string> {
    const http = request(t.app.getHttpServer());
    const as = await bearer(t, 'qingyuan');
    const { id } = (await http.post('/zone-plans').set('authorization', as).send(qingyuanPlanExample).expect(201)).body as { id: string };
    for (const kind of attachmentKinds) await http.post(`/zone-plans/${id}/attachments`).set('authorization', as).field('kind', kind).attach('file', samplePdf(kind), `${kind}.pdf`).expect(201);
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as).expect(200);
    return id;
  }

  /** Handles one message as the intake worker does, and lists what it sent to PostgreSQL. */
  async function handle<D extends AnyMessageDefinition>(d: D, payload: Parameters<typeof createMessage<D>>[1]): Promise<readonly string[]> {
    const message = createMessage(d, payload, { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    const { result, statements } = await counter.measure(() => processor.process({ data: message } as Job));
    expect(result).toBe('handled');
    if (process.env.ROUND_TRIPS_VERBOSE) process.stdout.write(`${message.name}:\n  ${statements.map((q) => q.replace(/\s+/g, ' ').slice(0, 160)).join('\n  ')}\n`);
    return statements;
  }

  it('applies each review event in at most 6 round trips: BEGIN, inbox row, locked read, update, timeline line, COMMIT', async () => {
    const id = await submittedPlan();
    const ref = { instanceId: randomUUID(), submission: aQingyuanSummary({ submissionId: id, revision: 1 }), definition: { key: 'zone_plan', version: 1 } };
    const counts = {
      started: (await handle(ApprovalStarted, { ...ref, stepCount: 3 })).length,
      assigned: (await handle(TaskAssigned, { ...ref, taskId: randomUUID(), step: step(0), stepCount: 3 })).length,
      approved: (await handle(StepApproved, { ...ref, taskId: randomUUID(), step: step(0), decidedBy: '审核员' })).length,
      returned: (await handle(ApprovalReturned, { ...ref, taskId: randomUUID(), step: step(1), decidedBy: '审核员', deficiencies: [{ target: 'field', ref: 'content.zoneName', note: '名称有误' }] })).length,
    };
    process.stdout.write(`intake round trips per message: ${JSON.stringify(counts)}\n`);
    expect(Math.max(counts.started, counts.assigned, counts.approved)).toBeLessThanOrEqual(6);
    // A return also keeps the notice on its revision: one more statement.
    expect(counts.returned).toBeLessThanOrEqual(7);
  });
});
