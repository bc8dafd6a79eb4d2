import fc from 'fast-check';
import { slotsOf } from './body-slots.js';
import { applyBodyFault, outOfBounds } from './body-faults.js';
import type { Draft, FaultClass, Injected, Part } from './draft.js';
import type { FaultSpec } from './fault-kit.js';
import type { Operation } from './operations.js';
import { applyHeaderFault, applyMediaFault, applyPathFault, applyQueryFault, badPathValues, headerFaultsOf } from './request-faults.js';

export type { FaultSpec } from './fault-kit.js';

/*
 * Every fault class, and which an operation offers: those of the input gate, the body parser and
 * the content-type guard to every operation; those of its body schema, query, path parameters and
 * headers where it has them (body-faults.ts, request-faults.ts).
 */

const GATE_BODY_FAULTS = ['nul', 'lone-surrogate', 'invalid-utf8', 'prototype-key', 'unsafe-number', 'deep-nesting'] as const;
const GATE_QUERY_FAULTS = ['nul', 'invalid-utf8', 'bad-percent-encoding', 'prototype-key', 'unsafe-number'] as const;
const GATE_PATH_FAULTS = ['nul', 'invalid-utf8', 'bad-percent-encoding'] as const;

/** The fault classes (with their part) an operation can carry; every request gets one to three of them. */
export function faultMenu(op: Operation): { fault: FaultClass; part: Part }[] {
  const menu: { fault: FaultClass; part: Part }[] = [
    ...GATE_BODY_FAULTS.map((fault) => ({ fault, part: 'body' as const })),
    ...GATE_QUERY_FAULTS.map((fault) => ({ fault, part: 'query' as const })),
    ...GATE_PATH_FAULTS.map((fault) => ({ fault, part: 'path' as const })),
    { fault: 'body-too-large', part: 'body' },
    { fault: 'unsupported-content-type', part: 'media' },
    { fault: 'unsupported-charset', part: 'media' },
    { fault: 'bad-content-encoding', part: 'media' },
  ];
  if (op.body?.mediaType === 'application/json') {
    const slots = slotsOf(op.body.schema);
    menu.push({ fault: 'unknown-key', part: 'body' }, { fault: 'wrong-type', part: 'body' });
    if (slots.some((s) => s.path.length && s.required)) menu.push({ fault: 'missing-required', part: 'body' });
    if (slots.some((s) => outOfBounds(s.schema).length)) menu.push({ fault: 'out-of-bounds', part: 'body' });
    if (slots.some((s) => s.schema.type === 'string' && s.schema.maxLength !== undefined)) menu.push({ fault: 'huge-string', part: 'body' });
  }
  if (op.body?.mediaType === 'multipart/form-data') menu.push({ fault: 'multipart-field', part: 'body' });
  if (op.queryParams.length) menu.push({ fault: 'bad-query-param', part: 'query' }, { fault: 'unknown-query-param', part: 'query' });
  if (op.pathParams.some((p) => badPathValues(p).length)) menu.push({ fault: 'bad-path-param', part: 'path' });
  if (headerFaultsOf(op).length) menu.push({ fault: 'bad-header', part: 'header' });
  return menu;
}

/** The faults every operation takes (the gate's, the parser's, the guard's) are many; those of its own schema weigh more, so they are not drowned. */
const OWN_WEIGHT = 4;
const OWN = new Set<FaultClass>(['unknown-key', 'wrong-type', 'missing-required', 'out-of-bounds', 'huge-string', 'multipart-field', 'bad-query-param', 'unknown-query-param', 'bad-path-param', 'bad-header']);

export const faultSpec = (op: Operation): fc.Arbitrary<FaultSpec> => {
  const menu = faultMenu(op).map((entry) => ({ weight: OWN.has(entry.fault) ? OWN_WEIGHT : 1, arbitrary: fc.constant(entry) }));
  return fc
    .record({ pick: fc.oneof(...menu), at: fc.noBias(fc.nat()), variant: fc.noBias(fc.nat()) })
    .map(({ pick, at, variant }) => ({ ...pick, at, variant }));
};

/** Puts one fault into the draft, and records what it asks of the answer (unless it would land inside another fault). */
export function applyFault(draft: Draft, spec: FaultSpec): void {
  const record = (entry: Omit<Injected, 'fault' | 'part'>): void => void draft.injected.push({ fault: spec.fault, part: spec.part, ...entry });
  switch (spec.part) {
    case 'body':
      return applyBodyFault(draft, spec, record);
    case 'query':
      return applyQueryFault(draft, spec, record);
    case 'path':
      return applyPathFault(draft, spec, record);
    case 'header':
      return applyHeaderFault(draft, spec, record);
    case 'media':
      return applyMediaFault(draft, spec, record);
  }
}
