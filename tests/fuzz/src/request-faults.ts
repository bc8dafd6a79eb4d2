import type { Draft, Layer } from './draft.js';
import { claimParam, constraintsOf, jsonBody, pick, PROTOTYPE_KEYS, UNSAFE_NUMBERS, type FaultSpec, type Recorder } from './fault-kit.js';
import { jsonBytes } from './json-text.js';
import { asText, MUTATING, type Operation, type Parameter, type Schema } from './operations.js';

/* Faults in the query, the path, the documented headers, and in how the body is sent (Content-Type, charset, Content-Encoding). */

const PERCENT_NUL = ['%00', 'a%00b'];
const PERCENT_INVALID_UTF8 = ['%FF', '%C3%28', '%ED%A0%80', '%C0%AF', 'a%E4%B8'];
const PERCENT_MALFORMED = ['%ZZ', '%', 'a%2', '%%41'];
/** The content types a JSON operation does not take, and a body each might carry; `null`: no Content-Type at all. */
const FOREIGN_TYPES: readonly (string | null)[] = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'text/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
  null,
  'application/jsonx',
  'json',
  'text/json',
  'application/javascript',
];
const FOREIGN_CHARSETS = ['latin1', 'iso-8859-1', 'gbk', 'shift_jis', 'x-fuzz'];
/** Content-Encoding values: unknown ones are 415; known ones over bytes that are not so encoded, 400. */
const ENCODINGS: readonly { readonly name: string; readonly status: number }[] = [
  { name: 'compress', status: 415 },
  { name: 'x-fuzz', status: 415 },
  { name: 'gzip', status: 400 },
  { name: 'deflate', status: 400 },
];

// ------------------------------------------------------------------------------------------ query

export function applyQueryFault(draft: Draft, spec: FaultSpec, record: Recorder): void {
  const documented = draft.op.queryParams;
  const name = documented.length ? pick(documented, spec.at).name : pick(['q', 'offset', 'filter'], spec.at);
  const set = (key: string, ...values: string[]): boolean => {
    if (!claimParam(draft, `query:${key}`)) return false;
    draft.query = [...draft.query.filter(([k]) => k !== encodeURIComponent(key)), ...values.map((v): [string, string] => [encodeURIComponent(key), v])];
    return true;
  };
  const gate = (field: string, note: string): void => record({ layer: 'gate', statuses: [400], field, note });
  switch (spec.fault) {
    case 'nul':
      if (!set(name, pick(PERCENT_NUL, spec.variant))) return;
      return gate(name, `NUL in query ${name}`);
    case 'invalid-utf8':
      if (!set(name, pick(PERCENT_INVALID_UTF8, spec.variant))) return;
      return gate(name, `query ${name}=${pick(PERCENT_INVALID_UTF8, spec.variant)} (not UTF-8)`);
    case 'bad-percent-encoding':
      if (!set(name, pick(PERCENT_MALFORMED, spec.variant))) return;
      return gate(name, `query ${name}=${pick(PERCENT_MALFORMED, spec.variant)} (malformed percent-encoding)`);
    case 'prototype-key': {
      const key = pick(PROTOTYPE_KEYS, spec.variant);
      if (!set(key, 'x')) return;
      return gate(key, `query key ${key}`);
    }
    case 'unsafe-number':
      if (!set(name, pick(UNSAFE_NUMBERS, spec.variant))) return;
      return gate(name, `query ${name}=${pick(UNSAFE_NUMBERS, spec.variant)}`);
    case 'bad-query-param': {
      const param = pick(documented, spec.at);
      const values = badQueryValues(param);
      const value = pick(values, spec.variant);
      if (!(Array.isArray(value) ? set(param.name, ...value) : set(param.name, encodeURIComponent(value)))) return;
      return record({ layer: 'pipe', statuses: [400], field: param.name, note: `query ${param.name}=${JSON.stringify(value)} (${constraintsOf(param.schema)})` });
    }
    case 'unknown-query-param': {
      const key = pick(['fuzz', 'debug', 'admin', '_method', 'callback'], spec.variant);
      if (documented.some((p) => p.name === key) || !set(key, 'x')) return;
      return record({ layer: 'pipe', statuses: [400], field: key, note: `unknown query parameter ${key}` });
    }
    default:
      throw new Error(`no query fault ${spec.fault}`);
  }
}

/** Values a documented query parameter refuses; an array is the parameter repeated, where one value belongs. */
function badQueryValues(param: Parameter): (string | string[])[] {
  const { schema } = param;
  const valid = asText(param.example ?? schema.example ?? schema.enum?.[0] ?? schema.minimum ?? 'x');
  const values: (string | string[])[] = [[encodeURIComponent(valid), encodeURIComponent(valid)]];
  if (schema.type === 'integer' || schema.type === 'number') {
    values.push('abc', 'NaN', 'Infinity', '-Infinity', '');
    if (schema.type === 'integer') values.push('1.5');
    if (schema.minimum !== undefined) values.push(String(schema.minimum - 1));
    if (schema.maximum !== undefined) values.push(String(schema.maximum + 1));
  }
  if (schema.enum) values.push('not-a-member', '');
  if (schema.format === 'uuid') values.push('not-a-uuid', '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4', '');
  if (schema.format === 'email') values.push('not-an-email', '');
  // An empty integer is read as 0, which a parameter whose minimum is 0 takes.
  return values.filter((v) => v !== '' || !(schema.type === 'integer' && (schema.minimum ?? -1) <= 0));
}

// ------------------------------------------------------------------------------------------- path

export function applyPathFault(draft: Draft, spec: FaultSpec, record: Recorder): void {
  const params = draft.op.pathParams;
  if (spec.fault === 'bad-path-param') {
    const candidates = params.filter((p) => badPathValues(p).length);
    const param = pick(candidates, spec.at);
    const { value, statuses } = pick(badPathValues(param), spec.variant);
    if (!claimParam(draft, `path:${param.name}`)) return;
    draft.pathValues[param.name] = value;
    return record({ layer: 'pipe', statuses, field: param.name, note: `path ${param.name}=${value} (${constraintsOf(param.schema)})`, unrouted: statuses.includes(404) });
  }
  const values = { nul: PERCENT_NUL, 'invalid-utf8': PERCENT_INVALID_UTF8, 'bad-percent-encoding': PERCENT_MALFORMED }[spec.fault as 'nul'];
  const value = pick(values, spec.variant);
  const param = params.length ? pick(params, spec.at).name : undefined;
  if (!claimParam(draft, `path:${param ?? ''}`)) return;
  if (param) draft.pathValues[param] = value;
  else draft.pathTail = value;
  record({ layer: 'gate', statuses: [400], field: 'path', note: `${spec.fault} in the path (${value})`, fatal: true });
}

/** Values a path parameter refuses, with how: 400 from its pipe, or 404 where real slashes take the request to no route. */
export function badPathValues(param: Parameter): { value: string; statuses: number[] }[] {
  const { schema } = param;
  const encoded = (values: string[]) => values.map((value) => ({ value, statuses: [400] }));
  const traversal = [
    ...encoded(['..%2F..%2Fetc%2Fpasswd', '%2E%2E%2F%2E%2E%2F', '..%5C..%5Cwindows']),
    { value: '../../etc/passwd', statuses: [400, 404] },
  ];
  if (schema.format === 'uuid') {
    return [...encoded(['not-a-uuid', '1', '0', '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4', '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f0', 'null', '%20', 'x'.repeat(2000), '%7Bid%7D', "'%20OR%201%3D1--"]), ...traversal];
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    // Malformed, or past the safe range: a 400. Well-formed but outside the documented bounds: a 400, or a 404 from a lookup of what cannot exist.
    const malformed = encoded(['abc', '1.5', '1e3', '0x10', '9007199254740993', '99999999999999999999', '%201']);
    const outside = [schema.minimum === undefined ? '-1' : String(schema.minimum - 1), ...(schema.maximum === undefined ? [] : [String(schema.maximum + 1)])];
    return [...malformed, ...outside.filter((v) => !withinBounds(Number(v), schema)).map((value) => ({ value, statuses: [400, 404] })), ...traversal];
  }
  if (schema.enum) return [...encoded(['not-a-member', 'ACCOUNT', '%20']).filter(({ value }) => !schema.enum!.includes(decodeURIComponent(value))), ...traversal];
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    return [...encoded(['UPPER', 'a', '-x', 'x'.repeat(70), '%E5%B1%B1', 'a%20b', 'a_b']).filter(({ value }) => !pattern.test(decodeURIComponent(value))), ...traversal];
  }
  return [];
}

const withinBounds = (n: number, schema: Schema): boolean => (schema.minimum === undefined || n >= schema.minimum) && (schema.maximum === undefined || n <= schema.maximum);

// ----------------------------------------------------------------------------------------- header

/**
 * The documented headers an operation refuses bad values of. `Idempotency-Key` (a shared component
 * of every mutating operation) is checked by the platform's interceptor, before the pipes; an
 * operation's own header (`If-Match`) by its handler, so only once the rest of the request is valid.
 */
export function headerFaultsOf(op: Operation): { param: Parameter; layer: Layer; values: string[] }[] {
  return op.headerParams.flatMap((param) => {
    const { pattern, maxLength } = param.schema;
    const candidates = ['has space', 'x'.repeat(Math.max(256, (maxLength ?? 0) + 1)), 'abc', '"1234567890"', '"1", "2"', 'W/abc', '"-1"', '*x', 'ü'];
    const values = candidates.filter((v) => (pattern !== undefined && !new RegExp(pattern).test(v)) || (maxLength !== undefined && v.length > maxLength));
    if (!values.length) return [];
    const idempotency = param.name.toLowerCase() === 'idempotency-key';
    if (idempotency && !MUTATING.has(op.method)) return [];
    return [{ param, layer: idempotency ? ('interceptor' as const) : ('handler' as const), values }];
  });
}

export function applyHeaderFault(draft: Draft, spec: FaultSpec, record: Recorder): void {
  const options = headerFaultsOf(draft.op);
  const { param, layer, values } = options[spec.at % options.length]!;
  if (!claimParam(draft, `header:${param.name}`)) return;
  draft.headers[param.name] = pick(values, spec.variant);
  record({ layer, statuses: [400], field: param.name, note: `${param.name}: ${JSON.stringify(draft.headers[param.name])}` });
}

// ------------------------------------------------------------------------------------------ media

export function applyMediaFault(draft: Draft, spec: FaultSpec, record: Recorder): void {
  // One Content-Type per request: a second media fault would undo the first.
  if (draft.injected.some((i) => i.part === 'media')) return;
  if (spec.fault === 'unsupported-content-type') {
    const accepted = draft.op.body?.mediaType ?? 'application/json';
    const foreign = accepted === 'application/json' ? FOREIGN_TYPES : ['application/json', 'text/plain', null, 'application/x-www-form-urlencoded'];
    const type = pick(foreign, spec.variant);
    if (type === 'application/json') {
      // A JSON body where a multipart one belongs: parsed (and gated) like any JSON, then refused.
      const body = jsonBody(draft);
      body.contentType = type;
    } else draft.body = { kind: 'raw', bytes: foreignBytes(draft, type), contentType: type ?? undefined };
    return record({ layer: 'media', statuses: [415], note: type ? `Content-Type: ${type}` : 'a body without Content-Type' });
  }
  const body = jsonBody(draft);
  if (spec.fault === 'unsupported-charset') {
    const charset = pick(FOREIGN_CHARSETS, spec.variant);
    body.contentType = `application/json; charset=${charset}`;
    return record({ layer: 'parser', statuses: [415], note: `Content-Type: ${body.contentType}` });
  }
  const encoding = pick(ENCODINGS, spec.variant);
  body.contentEncoding = encoding.name;
  record({ layer: 'parser', statuses: [encoding.status], note: `Content-Encoding: ${encoding.name} over plain bytes` });
}

function foreignBytes(draft: Draft, type: string | null): Buffer {
  if (type?.includes('xml')) return Buffer.from('<?xml version="1.0"?><request><zoneName>x</zoneName></request>');
  if (type === 'application/x-www-form-urlencoded') return Buffer.from('zoneName=x&blocks%5B0%5D%5Bname%5D=y');
  const json = draft.body?.kind === 'json' ? jsonBytes(draft.body.value) : Buffer.from('{"note":"x"}');
  // A body of no length is no body: the guard would have nothing to refuse.
  return json.length ? json : Buffer.from('{}');
}
