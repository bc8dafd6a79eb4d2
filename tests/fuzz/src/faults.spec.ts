import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FAULT_CLASSES } from './draft.js';
import { faultMenu } from './faults.js';
import { fuzzCase, render, type FuzzContext } from './fuzz-case.js';
import { expectationOf } from './oracle.js';
import { operationsOf } from './operations.js';

/** A small document with every kind of input a fault can go into: a JSON body, a query, a uuid path, If-Match, and an upload. */
const document = {
  paths: {
    '/plans/{id}': {
      patch: {
        security: [{ bearer: [] }],
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          { name: 'If-Match', in: 'header', schema: { type: 'string', pattern: '^"[0-9]{1,9}"$' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
          { $ref: '#/components/parameters/IdempotencyKey' },
        ],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Plan' }, example: { name: '区块', blocks: [{ areaKm2: 3.5 }] } } } },
        responses: { '403': {} },
      },
    },
    '/plans/{id}/files': {
      post: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        requestBody: { content: { 'multipart/form-data': { schema: { type: 'object', properties: { kind: { type: 'string', enum: ['letter'] }, file: { type: 'string', format: 'binary' } } } } } },
        responses: {},
      },
    },
  },
  components: {
    parameters: { IdempotencyKey: { name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255, pattern: '^[!-~]+$' } } },
    schemas: {
      Plan: {
        type: 'object',
        required: ['name', 'blocks'],
        properties: {
          name: { type: 'string', maxLength: 100 },
          blocks: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'object', required: ['areaKm2'], properties: { areaKm2: { type: 'number', minimum: 0, exclusiveMinimum: true } } } },
        },
      },
    },
  },
};
const operations = operationsOf('intake', document);
const ctx: FuzzContext = { operations, tokens: { applicant: 'a.b.c', reviewer: 'a.b.c', admin: 'a.b.c' }, knownIds: [] };

describe('the fault classes', () => {
  it('offers every class to an operation that has every kind of input', () => {
    const offered = new Set(operations.flatMap((op) => faultMenu(op).map((entry) => entry.fault)));
    expect([...offered].sort()).toEqual([...FAULT_CLASSES].sort());
  });

  it('puts at least one fault into every request, and each class somewhere into the bytes sent', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fuzzCase(ctx), (c) => {
        const rendered = render(ctx, c);
        expect(rendered.injected.length).toBeGreaterThan(0);
        expect(() => expectationOf(rendered)).not.toThrow();
        for (const injected of rendered.injected) seen.add(injected.fault);
      }),
      { numRuns: 2000, seed: 1 },
    );
    expect([...seen].sort()).toEqual([...FAULT_CLASSES].sort());
  });

  it('expects the gate before authentication, authentication before the guard, and lets a signed-in caller be refused 403', () => {
    const [patch] = operations;
    const at = (faults: { fault: string; part: string }[], auth: 'none' | 'admin') =>
      expectationOf(render(ctx, { operation: 0, auth, forgery: 0, faults: faults.map((f) => ({ ...f, at: 0, variant: 0 })) as never, example: 0, generatedBody: {}, pathPicks: [0], query: [undefined], idempotencyKey: false, chunked: false, uuid: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f', jsonType: 0 }));
    expect(patch!.guarded).toBe(true);
    expect(at([{ fault: 'nul', part: 'query' }, { fault: 'unsupported-content-type', part: 'media' }], 'none')).toMatchObject({ layer: 'gate', statuses: [400] });
    expect(at([{ fault: 'unsupported-content-type', part: 'media' }], 'none')).toMatchObject({ layer: 'auth', statuses: [401] });
    expect(at([{ fault: 'unsupported-content-type', part: 'media' }], 'admin')).toMatchObject({ layer: 'media', statuses: [415, 403] });
    expect(at([{ fault: 'unknown-key', part: 'body' }], 'admin')).toMatchObject({ layer: 'pipe', statuses: [400, 403], faults: [{ field: 'fuzz' }] });
  });
});
