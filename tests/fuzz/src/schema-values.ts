import fc from 'fast-check';
import type { Schema } from './operations.js';

/** Strings the services take as they are: printable, no NUL, no lone surrogate (those are faults of their own). */
const text = (minLength: number, maxLength: number): fc.Arbitrary<string> => fc.string({ unit: 'grapheme', minLength, maxLength });

/**
 * A value shaped as `schema` says: types, enums, formats, patterns and bounds. Not always valid
 * (a cross-field rule, a code that must exist in the directory), and it need not be: every request
 * also carries a fault, and a stray problem of its own only adds to the list the answer names.
 */
export function valueOf(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const shaped = shapedValue(schema, depth);
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: fc.constant(null) }) : shaped;
}

function shapedValue(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'object':
      return objectOf(schema, depth);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? 3, minLength + 3);
      return fc.array(valueOf(schema.items ?? {}, depth + 1), { minLength, maxLength });
    }
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? -1000), max: Math.floor(schema.maximum ?? 1_000_000) });
    case 'number': {
      const min = schema.minimum ?? -1000;
      return fc.double({ min, max: schema.maximum ?? 1_000_000, minExcluded: schema.exclusiveMinimum === true, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
    }
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringOf(schema);
    default:
      return schema.properties ? objectOf(schema, depth) : fc.oneof(text(0, 10), fc.integer(), fc.boolean());
  }
}

function objectOf(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  if (depth > 6) return fc.constant({});
  return fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, child]) => [name, valueOf(child, depth + 1)])),
    { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) },
  );
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 40, Math.max(minLength, 40));
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'email':
      return fc.emailAddress();
    case 'date':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'binary':
      return fc.constant('');
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
  return text(minLength, maxLength);
}
