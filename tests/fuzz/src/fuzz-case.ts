import fc from 'fast-check';
import { AUTHS, type Auth, type Draft, type Injected } from './draft.js';
import { applyFault, faultSpec, type FaultSpec } from './faults.js';
import { BadBytes, cloneValue, jsonBytes } from './json-text.js';
import { asText, type Operation, type Parameter } from './operations.js';
import { valueOf } from './schema-values.js';

/** What the fuzzer knows of the running system: tokens of each role, and ids that exist. */
export interface FuzzContext {
  readonly operations: readonly Operation[];
  readonly tokens: Readonly<Record<'applicant' | 'reviewer' | 'admin', string>>;
  /** UUIDs of rows that exist (a draft plan, a draft event, users): a path that names one reaches deeper. */
  readonly knownIds: readonly string[];
}

/** One generated request, as data: small, so a failure prints readably and shrinks well. */
export interface FuzzCase {
  readonly operation: number;
  readonly auth: Auth;
  readonly forgery: number;
  readonly faults: readonly FaultSpec[];
  /** The documented example to start from (when the operation has one), or a generated body. */
  readonly example: number | null;
  readonly generatedBody: unknown;
  readonly pathPicks: readonly number[];
  readonly query: readonly unknown[];
  readonly idempotencyKey: boolean;
  readonly chunked: boolean;
  /** The id a path names when it names none that exists, and the Idempotency-Key sent. */
  readonly uuid: string;
  /** Which spelling of JSON the body is sent as (JSON_TYPES). */
  readonly jsonType: number;
}

/** The bytes on the wire. */
export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
  readonly chunked: boolean;
}

export interface RenderedCase {
  readonly op: Operation;
  readonly auth: Auth;
  readonly request: WireRequest;
  readonly injected: readonly Injected[];
}

/** JSON as clients spell it: every one is read as JSON, so every fault in the body must be found. */
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'APPLICATION/JSON', 'application/merge-patch+json', 'application/vnd.shanhai+json'];

const FORGED = [
  'Bearer not-a-token',
  'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiJ9.',
  'Basic YWRtaW46c2hhbmhhaS1kZW1v',
  'Bearer',
  'Bearer tampered', // replaced below by a real token with its signature changed
];

/** A request for any operation of any service, with one to three faults. */
export function fuzzCase(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  // Unbiased: every operation as often as any other (fast-check favours small numbers otherwise).
  return fc.noBias(fc.nat({ max: ctx.operations.length - 1 })).chain((operation) => {
    const op = ctx.operations[operation]!;
    return fc.record({
      operation: fc.constant(operation),
      auth: fc.constantFrom(...AUTHS),
      forgery: fc.nat({ max: FORGED.length - 1 }),
      // One fault alone most often, so that the later layers (pipes, handlers) get to answer too.
      faults: fc.oneof(
        { weight: 5, arbitrary: fc.tuple(faultSpec(op)) },
        { weight: 3, arbitrary: fc.tuple(faultSpec(op), faultSpec(op)) },
        { weight: 2, arbitrary: fc.tuple(faultSpec(op), faultSpec(op), faultSpec(op)) },
      ),
      example: op.body?.examples.length ? fc.option(fc.nat({ max: op.body.examples.length - 1 }), { freq: 2 }) : fc.constant(null),
      generatedBody: op.body?.mediaType === 'application/json' ? valueOf(op.body.schema) : fc.constant(undefined),
      pathPicks: fc.array(fc.nat(), { minLength: op.pathParams.length, maxLength: op.pathParams.length }),
      query: fc.tuple(...op.queryParams.map((p) => fc.option(valueOf(p.schema), { nil: undefined }))),
      idempotencyKey: fc.boolean(),
      chunked: fc.boolean(),
      uuid: fc.uuid({ version: 4 }),
      jsonType: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat({ max: JSON_TYPES.length - 1 }) }),
    });
  });
}

/** The request a case describes, faults applied, and what each fault asks of the answer. */
export function render(ctx: FuzzContext, c: FuzzCase): RenderedCase {
  const op = ctx.operations[c.operation]!;
  // Validation answers one part at a time: a part without a fault of its own is sent valid (the documented
  // example, no query), so that it never answers in place of the part that has one.
  const bodyFaulted = c.faults.some((f) => f.part === 'body');
  const queryFaulted = c.faults.some((f) => f.part === 'query');
  const draft: Draft = {
    op,
    auth: c.auth,
    pathValues: Object.fromEntries(op.pathParams.map((p, i) => [p.name, encodeURIComponent(validPathValue(ctx, p, c.pathPicks[i] ?? 0, c.uuid))])),
    pathTail: '',
    query: !queryFaulted
      ? []
      : op.queryParams.flatMap((p, i): [string, string][] => (c.query[i] === undefined ? [] : [[encodeURIComponent(p.name), encodeURIComponent(asText(c.query[i]))]])),
    headers: {},
    body: baseBody(op, c, bodyFaulted),
    injected: [],
    taken: [],
    takenParams: new Set(),
  };
  if (c.idempotencyKey) draft.headers['Idempotency-Key'] = c.uuid;
  // Media faults last: they decide how the body (with the other faults in it) is sent.
  for (const spec of [...c.faults].sort((a, b) => Number(a.part === 'media') - Number(b.part === 'media'))) applyFault(draft, spec);
  // A fault can find no place (an unknown key that is a known one after all): every request still carries one.
  if (!draft.injected.length) applyFault(draft, { fault: 'prototype-key', part: 'query', at: 0, variant: 0 });

  const headers: Record<string, string> = { ...draft.headers };
  const authorization = authorizationOf(ctx, c);
  if (authorization) headers.authorization = authorization;
  const { body, contentType, contentEncoding } = bodyBytes(draft);
  if (contentType) headers['content-type'] = contentType;
  if (contentEncoding) headers['content-encoding'] = contentEncoding;
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => draft.pathValues[name] ?? 'x') + draft.pathTail;
  const search = draft.query.map(([k, v]) => `${k}=${v}`).join('&');
  return {
    op,
    auth: c.auth,
    request: { method: op.method, path: search ? `${path}?${search}` : path, headers, body, chunked: c.chunked },
    injected: moot(draft.injected, draft.body, contentType),
  };
}

/**
 * Faults a request no longer carries as sent: in a body sent as another type (a media fault), the
 * body's faults and the JSON parser's are not there to be found.
 */
function moot(injected: readonly Injected[], body: Draft['body'], contentType: string | undefined): Injected[] {
  if (body?.kind === 'json' && isJson(contentType)) return [...injected];
  if (body?.kind === 'multipart') return injected.filter((i) => i.fault === 'multipart-field' || i.part !== 'body');
  return injected.filter((i) => i.part !== 'body' && !(i.part === 'media' && i.layer === 'parser'));
}

/** As the ContentTypeGuard reads a type: `application/json` or any `+json`, parameters aside. */
export function isJson(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

function validPathValue(ctx: FuzzContext, param: Parameter, pickIndex: number, uuid: string): string {
  const { schema } = param;
  if (schema.format === 'uuid') {
    const ids = [...ctx.knownIds, uuid];
    return ids[pickIndex % ids.length]!;
  }
  return asText(param.example ?? schema.example ?? schema.enum?.[0] ?? schema.minimum ?? 'fuzz');
}

function baseBody(op: Operation, c: FuzzCase, faulted: boolean): Draft['body'] {
  if (!op.body) return undefined;
  if (op.body.mediaType === 'multipart/form-data') {
    const properties = Object.entries(op.body.schema.properties ?? {});
    return {
      kind: 'multipart',
      fields: properties.filter(([, s]) => s.format !== 'binary').map(([name, s]): [string, string] => [name, asText(s.example ?? s.enum?.[0] ?? 'x')]),
      files: properties.filter(([, s]) => s.format === 'binary').map(([name]) => ({ field: name, filename: 'fuzz.pdf', content: Buffer.from('%PDF-1.4\n% fuzz\ntrailer << /Root 1 0 R >>\n%%EOF\n') })),
    };
  }
  const example = !faulted ? (op.body.examples[0] ?? null) : c.example === null ? null : op.body.examples[c.example];
  return { kind: 'json', value: cloneValue(example ?? c.generatedBody ?? {}), contentType: JSON_TYPES[c.jsonType]! };
}

function authorizationOf(ctx: FuzzContext, c: FuzzCase): string | undefined {
  switch (c.auth) {
    case 'none':
      return undefined;
    case 'forged': {
      const forged = FORGED[c.forgery]!;
      if (forged !== 'Bearer tampered') return forged;
      const token = ctx.tokens.admin;
      return `Bearer ${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    }
    default:
      return `Bearer ${ctx.tokens[c.auth]}`;
  }
}

function bodyBytes(draft: Draft): { body?: Buffer; contentType?: string; contentEncoding?: string } {
  const body = draft.body;
  if (!body) return {};
  if (body.kind === 'raw') return { body: body.bytes, contentType: body.contentType };
  if (body.kind === 'json') return { body: jsonBytes(body.value), contentType: body.contentType, contentEncoding: body.contentEncoding };
  const boundary = '----shanhai-fuzz-boundary';
  const chunks: Buffer[] = [];
  for (const [name, value] of body.fields) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`));
    chunks.push(value instanceof BadBytes ? Buffer.concat([Buffer.from(value.before), Buffer.from(value.bytes), Buffer.from(value.after)]) : Buffer.from(value));
    chunks.push(Buffer.from('\r\n'));
  }
  for (const file of body.files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: application/pdf\r\n\r\n`));
    chunks.push(file.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
