import { fieldOf, placeAt, removeAt, slotsOf, valueAt, type Segment, type Slot } from './body-slots.js';
import type { Draft, Layer } from './draft.js';
import { claim, constraintsOf, describe, hex, jsonBody, pick, PROTOTYPE_KEYS, UNSAFE_NUMBERS, type FaultSpec, type Recorder } from './fault-kit.js';
import { BadBytes, cloneValue, Nested, RawJson } from './json-text.js';
import type { Schema } from './operations.js';

/* Faults in a JSON body, placed at the slots its schema describes, and in a multipart upload. */

/** The services' JSON body limit (bootstrap.ts). */
const BODY_LIMIT = 256 * 1024;
const INVALID_UTF8: readonly (readonly number[])[] = [[0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf4, 0x90, 0x80, 0x80]];
const NUL_STRINGS = ['a\u0000b', '\u0000', 'end\u0000'];
const SURROGATE_STRINGS = ['\uD800', 'a\uDBFFb', '\uDC00', '\uDFFF\uD800'];

export function applyBodyFault(draft: Draft, spec: FaultSpec, record: Recorder): void {
  if (spec.fault === 'multipart-field') return applyMultipartFault(draft, spec, record);
  const body = jsonBody(draft);
  const schema = draft.op.body?.mediaType === 'application/json' ? draft.op.body.schema : { type: 'object' as const };
  const slots = slotsOf(schema);
  const put = (path: readonly Segment[], value: unknown): void => void (body.value = placeAt(body.value, path, value));
  const slotOf = (candidates: Slot[]): Slot => pick(candidates.length ? candidates : [slots[0]!], spec.at);
  const objects = slots.filter((s) => s.schema.type === 'object' || s.schema.properties || !s.path.length);
  const strings = slots.filter((s) => s.schema.type === 'string' && s.schema.format !== 'binary');
  const gate = (path: readonly Segment[], note: string, field = fieldOf(path), fatal = false): void => record({ layer: 'gate', statuses: [400], field, note, fatal });
  // A bound the DTO leaves to the handler is checked once the resource is found: a 404, 409 or 422 refuses it too.
  const pipe = (path: readonly Segment[], note: string, rule = false): void =>
    record({ layer: 'pipe', statuses: rule ? [400, 404, 409, 422] : [400], field: fieldOf(path), note, rule });

  switch (spec.fault) {
    case 'nul':
    case 'lone-surrogate': {
      const values = spec.fault === 'nul' ? NUL_STRINGS : SURROGATE_STRINGS;
      const inKey = spec.variant % 4 === 3;
      if (inKey || !strings.length) {
        const key = spec.fault === 'nul' ? 'ke\u0000y' : 'k\uD800';
        const path = [...slotOf(objects).path, inKey ? key : 'note'];
        if (!claim(draft, path)) return;
        put(path, inKey ? 'x' : pick(values, spec.variant));
        return gate(path, `${spec.fault} in the ${inKey ? 'name' : 'value'} of body field ${JSON.stringify(fieldOf(path))}`);
      }
      const { path } = slotOf(strings);
      if (!claim(draft, path)) return;
      put(path, pick(values, spec.variant));
      return gate(path, `${spec.fault} in body field ${fieldOf(path) || '(root)'}`);
    }
    case 'invalid-utf8': {
      const path = strings.length ? slotOf(strings).path : [...slotOf(objects).path, 'note'];
      if (!claim(draft, path)) return;
      const bytes = pick(INVALID_UTF8, spec.variant);
      put(path, new BadBytes('x', bytes, 'y'));
      return gate(path, `bytes ${hex(bytes)} (not UTF-8) in body field ${fieldOf(path)}`, 'body', true);
    }
    case 'prototype-key': {
      const key = pick(PROTOTYPE_KEYS, spec.variant);
      const path = [...slotOf(objects).path, key];
      if (!claim(draft, path)) return;
      put(path, pick([{ polluted: true }, 1, null, [], 'x'], Math.floor(spec.variant / 3)));
      return gate(path, `prototype key at body ${fieldOf(path)}`);
    }
    case 'unsafe-number': {
      // Not at the root: a bare number is no JSON body the parser takes (a 400 of its own).
      const path = slotOf(slots.filter((s) => s.path.length)).path;
      const at = path.length ? path : ['note'];
      if (!claim(draft, at)) return;
      const raw = pick(UNSAFE_NUMBERS, spec.variant);
      put(at, new RawJson(raw));
      return gate(at, `${raw} at body ${fieldOf(at)}`);
    }
    case 'deep-nesting': {
      const { path } = slotOf(slots);
      if (!claim(draft, path)) return;
      // The gate takes 32 levels below the root: 34 levels of arrays are too deep wherever they start.
      const depths = [34, 100, 1000, 5000, 20000];
      const nested = new Nested(pick(depths, spec.variant), spec.variant % 2 ? 'object' : 'array');
      put(path, nested);
      return gate(path, `${nested.kind}s nested ${nested.depth} deep at body ${fieldOf(path) || '(root)'}`, fieldOf(path), true);
    }
    case 'body-too-large': {
      const path = strings.length ? slotOf(strings).path : ['padding'];
      if (!claim(draft, path)) return;
      put(path, 'x'.repeat(BODY_LIMIT + 1 + (spec.variant % 4) * 250_000));
      return record({ layer: 'parser', statuses: [413], note: `a body over ${BODY_LIMIT} bytes (at ${fieldOf(path)})` });
    }
    case 'unknown-key': {
      const candidates = slots.filter((s) => s.schema.properties && s.schema.additionalProperties === undefined);
      const slot = slotOf(candidates);
      const key = pick(['fuzz', 'isAdmin', 'role_', 'id_', 'createdAt', 'extra_field', '$where', 'a.b', '0'], spec.variant);
      if (slot.schema.properties && key in slot.schema.properties) return;
      const path = [...slot.path, key];
      if (!claim(draft, path)) return;
      put(path, pick([true, 'x', {}, 1, []], Math.floor(spec.variant / 9)));
      return pipe(path, `unknown field ${fieldOf(path)}`);
    }
    case 'wrong-type': {
      const slot = slotOf(slots.filter((s) => s.schema.type || s.schema.enum));
      const values = wrongTypes(slot);
      if (!values.length || !claim(draft, slot.path)) return;
      const value = pick(values, spec.variant);
      put(slot.path, value);
      if (!slot.path.length && !Array.isArray(value)) {
        // A bare string, number, boolean or null is not a body the JSON parser takes (strict mode).
        return record({ layer: 'parser', statuses: [400], note: `the body is ${JSON.stringify(value)}` });
      }
      return pipe(slot.path, `${describe(value)} where ${slot.schema.type ?? 'an enum value'} belongs, at body ${fieldOf(slot.path) || '(root)'}`);
    }
    case 'out-of-bounds': {
      const slot = slotOf(slots.filter((s) => outOfBounds(s.schema).length));
      if (!claim(draft, slot.path)) return;
      const values = outOfBounds(slot.schema);
      const value = pick(values, spec.variant);
      put(slot.path, typeof value === 'function' ? (value as (v: unknown) => unknown)(valueAt(body.value, slot.path)) : value);
      return pipe(slot.path, `${describe(valueAt(body.value, slot.path))} outside what ${fieldOf(slot.path)} allows (${constraintsOf(slot.schema)})`, true);
    }
    case 'missing-required': {
      const slot = slotOf(slots.filter((s) => s.path.length && s.required));
      if (!claim(draft, slot.path)) return;
      body.value = removeAt(body.value, slot.path);
      return pipe(slot.path, `required ${fieldOf(slot.path)} left out`);
    }
    case 'huge-string': {
      const slot = slotOf(strings.filter((s) => s.schema.maxLength !== undefined));
      const max = slot.schema.maxLength!;
      // Under the body limit, so that the field's own limit answers: '山' is 3 bytes of UTF-8.
      const lengths = [max + 1, max * 2 + 1, Math.min(max * 50, 60_000)].map((n) => Math.max(n, max + 1));
      const unit = spec.variant % 2 ? '山' : 'x';
      const length = pick(lengths, Math.floor(spec.variant / 2));
      if (!claim(draft, slot.path)) return;
      put(slot.path, unit.repeat(length));
      return pipe(slot.path, `${length} characters in ${fieldOf(slot.path)} (at most ${max})`, true);
    }
    default:
      throw new Error(`no body fault ${spec.fault}`);
  }
}

/** Values of another JSON type than the slot's (null only where a value is required and not nullable). */
function wrongTypes(slot: Slot): unknown[] {
  const { schema } = slot;
  const nullOk = !slot.required || schema.nullable;
  const withNull = (values: unknown[]): unknown[] => (nullOk ? values : [...values, null]);
  if (!slot.path.length) return [[], [{}], 'body', 42, null];
  if (schema.enum) return withNull([7, true, {}, [], [schema.enum[0]]]);
  switch (schema.type) {
    case 'object':
      return withNull([[], [{}], 'object', 7, true]);
    case 'array':
      return withNull([{}, 'array', 7, true, { 0: 'x' }]);
    case 'string':
      return withNull([7, new RawJson('-0'), true, {}, [], ['text']]);
    case 'number':
    case 'integer':
      return withNull(['12', 'NaN', 'Infinity', '-Infinity', '1e308', true, {}, [], [1]]);
    case 'boolean':
      return withNull(['true', 1, 0, 'yes', {}, []]);
    default:
      return [];
  }
}

/**
 * Values just outside what a schema allows; a function maps the value there (a list one item too
 * long). Bounds only: a code that is well-formed but not in the directory is the handler's to refuse.
 */
export function outOfBounds(schema: Schema): unknown[] {
  const values: unknown[] = [];
  if (schema.enum) values.push('not-a-member', `${String(schema.enum[0])} `, String(schema.enum[0]).toUpperCase() === schema.enum[0] ? 'x' : String(schema.enum[0]).toUpperCase());
  if (schema.type === 'string' && !schema.enum) {
    if (schema.minLength) values.push('x'.repeat(schema.minLength - 1));
    if (schema.pattern) values.push(...['NOT A MATCH!', '', '-', 'x'.repeat(300), 'Ab'].filter((s) => !new RegExp(schema.pattern!).test(s)));
    const malformed: Record<string, string[]> = { uuid: ['not-a-uuid', '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4'], email: ['not-an-email', 'a@', '@b.c'], date: ['not-a-date', '2021-13-01'], 'date-time': ['yesterday'] };
    values.push(...(malformed[schema.format ?? ''] ?? []));
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    if (schema.minimum !== undefined) values.push(schema.exclusiveMinimum ? schema.minimum : schema.minimum - 1);
    if (schema.minimum === 0 && schema.exclusiveMinimum) values.push(new RawJson('-0'));
    if (schema.maximum !== undefined) values.push(schema.exclusiveMaximum ? schema.maximum : schema.maximum + 1);
    if (schema.type === 'integer') values.push((schema.minimum ?? 0) + 1.5);
  }
  if (schema.type === 'array') {
    if (schema.minItems) values.push([]);
    if (schema.maxItems !== undefined) {
      const max = schema.maxItems;
      values.push((current: unknown) => {
        const items: unknown[] = Array.isArray(current) && current.length ? current : ['x'];
        return Array.from({ length: max + 1 }, (_, i) => cloneValue(items[i % items.length]));
      });
    }
  }
  return values;
}

// ------------------------------------------------------------------------------------- multipart

/** What a multipart upload must refuse: fields it does not take, a bad or missing kind, a missing or empty or stray file. */
function applyMultipartFault(draft: Draft, spec: FaultSpec, record: Recorder): void {
  const body = draft.body;
  if (body?.kind !== 'multipart') return;
  const text = body.fields.find(([, value]) => typeof value === 'string')?.[0] ?? 'kind';
  const file = body.files[0]?.field ?? 'file';
  const handler = (field: string, note: string, layer: Layer = 'handler'): void => record({ layer, statuses: [400], field, note });
  switch (spec.variant % 9) {
    case 0:
      body.fields = body.fields.map(([name, value]) => [name, name === text ? 'fuzz_kind' : value]);
      return handler(text, `${text} not one of its values`);
    case 1:
      body.fields = body.fields.map(([name, value]) => [name, name === text ? `${typeof value === 'string' ? value : ''}\u0000` : value]);
      return handler(text, `NUL in multipart field ${text}`);
    case 2:
      body.fields = body.fields.filter(([name]) => name !== text);
      return handler(text, `multipart field ${text} left out`);
    case 3:
      body.files = [];
      return handler(file, `no file part ${file}`);
    case 4:
      body.files = body.files.map((f) => ({ ...f, content: Buffer.alloc(0) }));
      return handler(file, `an empty file ${file}`);
    case 5:
      body.fields.push(['fuzz', 'x']);
      return handler('fuzz', 'unknown multipart field fuzz');
    case 6:
      body.files = body.files.map((f) => ({ ...f, field: 'attachment' }));
      return handler('attachment', 'the file under a field the operation does not take', 'interceptor');
    case 7:
      body.files.push({ field: file, filename: 'second.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') });
      return handler(file, `a second file in ${file}`, 'interceptor');
    default:
      body.fields = body.fields.map(([name, value]) => [name, name === text ? new BadBytes(typeof value === 'string' ? value : '', [0xff, 0xfe], '') : value]);
      return handler(text, `bytes ff fe (not UTF-8) in multipart field ${text}`);
  }
}
