import { overlaps, type Segment } from './body-slots.js';
import type { Draft, FaultClass, Injected, JsonBody, Part } from './draft.js';
import { isPlainObject, RawJson } from './json-text.js';
import type { Schema } from './operations.js';

/* What the fault classes share: the spec, the recorder, the claims that keep two faults apart, the hostile values of more than one part. */

/**
 * One fault, as data: its class, the part of the request it goes into, which place there (`at`)
 * and which of the class's hostile values (`variant`). Both numbers are taken modulo what the
 * operation offers, so every spec applies to every request of its operation, and fast-check
 * shrinks a failure towards the first place and the first value.
 */
export interface FaultSpec {
  readonly fault: FaultClass;
  readonly part: Part;
  readonly at: number;
  readonly variant: number;
}

/** Records what a fault asks of the answer; its class and part are the spec's. */
export type Recorder = (entry: Omit<Injected, 'fault' | 'part'>) => void;

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];
export const UNSAFE_NUMBERS = ['1e308', '-1e308', '9007199254740993', '-9007199254740993', '1e400', '-1e400', '18446744073709551616', '123456789012345678901234567890'];

/** The draft's JSON body, made (an empty object) where the operation takes none. */
export function jsonBody(draft: Draft): JsonBody {
  if (draft.body?.kind !== 'json') draft.body = { kind: 'json', value: {}, contentType: 'application/json' };
  return draft.body;
}

/** Claims a parameter for a fault: false if another fault holds it. */
export function claimParam(draft: Draft, where: string): boolean {
  if (draft.takenParams.has(where)) return false;
  draft.takenParams.add(where);
  return true;
}

/** Claims a body path for a fault: false if another fault holds it, a place inside it or around it. */
export function claim(draft: Draft, path: readonly Segment[]): boolean {
  if (draft.taken.some((taken) => overlaps(taken, path))) return false;
  draft.taken.push([...path]);
  return true;
}

export const pick = <T>(values: readonly T[], index: number): T => values[index % values.length]!;
export const hex = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');

export const constraintsOf = (schema: Schema): string =>
  Object.entries(schema)
    .filter(([key]) => ['enum', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'minItems', 'maxItems', 'type'].includes(key))
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
    .join(', ');

export function describe(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return value.length > 3 ? `an array of ${value.length}` : JSON.stringify(value);
  if (isPlainObject(value)) return 'an object';
  if (typeof value === 'string' && value.length > 40) return `a string of ${value.length}`;
  return JSON.stringify(value);
}
