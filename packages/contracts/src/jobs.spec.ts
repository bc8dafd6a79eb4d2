import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { allJobs, createJob, defineJob, DeliveryJob, JobContractError, parseJob } from './jobs.js';
import { QueueName, ServiceName } from './queues.js';

/** A second job on the same queue, to show a registry telling jobs apart. */
const ResendJob = defineJob(QueueName.NotifierDeliveries, 'resend', 2, z.object({ deliveryId: z.uuid(), reason: z.string().min(1) }));

function refusal(run: () => unknown): JobContractError {
  try {
    run();
  } catch (error) {
    if (error instanceof JobContractError) return error;
    throw error;
  }
  throw new Error('expected a JobContractError, nothing was thrown');
}

describe('job contracts', () => {
  it('builds a delivery job that its processor parses back unchanged', () => {
    const deliveryId = randomUUID();
    const job = createJob(DeliveryJob, { deliveryId }, `${deliveryId}:redrive:1`);
    expect(job).toEqual({ queue: 'notifier.deliveries', name: 'deliver@v1', jobId: `${deliveryId}:redrive:1`, data: { deliveryId } });
    const relayed = JSON.parse(JSON.stringify(job)) as typeof job;
    expect(parseJob(DeliveryJob, relayed)).toEqual({ key: 'deliver@v1', payload: { deliveryId } });
  });

  it('reads a delivery job queued before jobs had definitions, named plain deliver', () => {
    const deliveryId = randomUUID();
    expect(parseJob(DeliveryJob, { name: 'deliver', data: { deliveryId } }).payload).toEqual({ deliveryId });
  });

  it('refuses a payload that breaks its schema, naming the field', () => {
    const produced = refusal(() => createJob(DeliveryJob, { deliveryId: 'not-a-uuid' }, 'job-1'));
    expect(produced.message).toMatch(/^invalid deliver@v1: deliveryId: /);
    expect(refusal(() => parseJob(DeliveryJob, { name: 'deliver@v1', data: {} })).issues).toEqual([expect.stringMatching(/^deliveryId: /)]);
    expect(refusal(() => parseJob(DeliveryJob, { name: 'deliver@v1', data: null })).issues).toEqual([expect.stringMatching(/^\(root\): /)]);
  });

  it('names every problem at once', () => {
    const refused = refusal(() => parseJob(ResendJob, { name: 'resend@v2', data: { deliveryId: 7, reason: '', extra: true } }));
    expect(refused.issues.map((i) => i.split(':')[0]).sort()).toEqual(['(root)', 'deliveryId', 'reason']);
    expect(refused.message).toMatch(/extra/);
  });

  it('refuses unknown members, even when the schema was not written strict', () => {
    const deliveryId = randomUUID();
    expect(() => createJob(DeliveryJob, { deliveryId, recipient: 'x@shanhai.example' } as { deliveryId: string }, 'job-1')).toThrow(/recipient/);
    expect(() => parseJob(DeliveryJob, { name: 'deliver@v1', data: { deliveryId, attempts: 3 } })).toThrow(/Unrecognized key: "attempts"/);
  });

  it('refuses a job of another name or version than its definition', () => {
    const data = { deliveryId: randomUUID() };
    expect(() => parseJob(DeliveryJob, { name: 'deliver@v2', data })).toThrow(/unknown job deliver@v2, expected deliver@v1/);
    expect(() => parseJob(DeliveryJob, { name: 'approval.task_assigned', data })).toThrow(JobContractError);
  });

  it('tells the jobs of a registry apart by name and version', () => {
    const deliveryId = randomUUID();
    const registry = [DeliveryJob, ResendJob] as const;
    const parsed = parseJob(registry, createJob(ResendJob, { deliveryId, reason: '退信后重发' }, `resend-${deliveryId}`));
    expect(parsed.key).toBe('resend@v2');
    // The key narrows the payload: only a resend has a reason.
    if (parsed.key === 'resend@v2') expect(parsed.payload.reason).toBe('退信后重发');
    expect(parseJob(registry, { name: 'deliver@v1', data: { deliveryId } }).key).toBe('deliver@v1');
    expect(() => parseJob(registry, { name: 'remind@v1', data: {} })).toThrow(/unknown job remind@v1, expected deliver@v1 or resend@v2/);
  });

  it.each([
    ['empty', ''],
    ['an integer', '42'],
    ['one colon', 'a:b'],
    ['three colons', 'a:b:c:d'],
  ])('refuses a job id that is %s, which BullMQ would refuse in the relay', (_, id) => {
    expect(refusal(() => createJob(DeliveryJob, { deliveryId: randomUUID() }, id)).issues).toEqual([expect.stringMatching(/^jobId: /)]);
  });

  it('registers every job once, on an internal queue', () => {
    const keys = allJobs.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    const inbound = Object.values(ServiceName) as string[];
    for (const definition of allJobs) {
      expect(Object.values(QueueName)).toContain(definition.queue);
      expect(inbound).not.toContain(definition.queue);
      expect(definition.queue).toMatch(/^[a-z]+\.[a-z_]+$/);
    }
  });
});
