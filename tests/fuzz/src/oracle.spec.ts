import { describe, expect, it } from '@jest/globals';
import type { Injected } from './draft.js';
import type { RenderedCase } from './fuzz-case.js';
import type { Operation } from './operations.js';
import { problemsWith, related } from './oracle.js';
import type { WireResponse } from './wire.js';

const op: Operation = { service: 'intake', method: 'POST', path: '/plans', id: 'intake POST /plans', guarded: true, forbids: false, pathParams: [], queryParams: [], headerParams: [] };
const nul: Injected = { fault: 'nul', part: 'body', layer: 'gate', statuses: [400], field: 'blocks.0.name', note: 'NUL' };
const unknown: Injected = { fault: 'unknown-key', part: 'body', layer: 'pipe', statuses: [400], field: 'owner', note: 'unknown owner' };
const wrongType: Injected = { fault: 'wrong-type', part: 'body', layer: 'pipe', statuses: [400], field: 'contact', note: 'an array' };
const rendered = (injected: Injected[], auth: RenderedCase['auth'] = 'applicant'): RenderedCase => ({ op, auth, injected, request: { method: 'POST', path: '/plans', headers: {}, chunked: false } });
const answer = (status: number, body: object, type = 'application/problem+json; charset=utf-8'): WireResponse => ({ status, headers: { 'content-type': type }, body: JSON.stringify(body), ms: 1 });
const validation = (...fields: string[]) => answer(400, { type: 'x', title: 'x', status: 400, code: 'VALIDATION_FAILED', errors: fields.map((field) => ({ field, message: 'bad' })) });

describe(problemsWith.name, () => {
  it('takes a refusal from the first layer that holds a fault, naming each of its faults', () => {
    expect(problemsWith(rendered([nul, unknown]), validation('blocks.0.name', 'owner'))).toEqual([]);
    expect(problemsWith(rendered([unknown, wrongType]), validation('owner', 'contact'))).toEqual([]);
    expect(problemsWith(rendered([unknown], 'none'), answer(401, { type: 'x', title: 'x', status: 401 }))).toEqual([]);
  });

  it('flags a server error, an acceptance, another content type, and a problem left unnamed', () => {
    expect(problemsWith(rendered([nul]), answer(500, { type: 'x', title: 'x', status: 500 }))).toContain('500: a server error');
    expect(problemsWith(rendered([unknown]), answer(201, {}, 'application/json'))).toEqual(expect.arrayContaining(['201: not refused', 'Content-Type application/json, not application/problem+json']));
    // Of the DTO's problems InputGateGuard adds to the gate's, all or none (a handler may check them after the shape).
    expect(problemsWith(rendered([nul, unknown, wrongType]), validation('blocks.0.name', 'owner'))).toEqual(['the errors do not name "contact" (an array)']);
    expect(problemsWith(rendered([nul, unknown]), validation('owner'))).toEqual(['the errors do not name "blocks.0.name" (NUL)']);
    expect(problemsWith(rendered([unknown, wrongType]), validation('owner'))).toEqual(['the errors do not name "contact" (an array)']);
    expect(problemsWith(rendered([nul], 'none'), answer(401, { type: 'x', title: 'x', status: 401 }))).toEqual(['401, where the gate layer should answer 400']);
  });
});

describe(related.name, () => {
  it('names a field by itself, a place inside it, or (outside the gate) the list around it', () => {
    expect(related('blocks.0.name', 'blocks.0.name')).toBe(true);
    expect(related('content.0.0.0', 'content')).toBe(true);
    expect(related('leadingIndustries', 'leadingIndustries.0')).toBe(true);
    expect(related('leadingIndustries', 'leadingIndustries.0', false)).toBe(false);
    expect(related('blocksX', 'blocks')).toBe(false);
  });
});
