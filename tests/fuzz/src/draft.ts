import type { Operation } from './operations.js';
import type { BadBytes } from './json-text.js';

/** Who calls: nobody, a signed-in demo account of each role, or a token the services never issued. */
export const AUTHS = ['none', 'applicant', 'reviewer', 'admin', 'forged'] as const;
export type Auth = (typeof AUTHS)[number];
export const signedIn = (auth: Auth): boolean => auth !== 'none' && auth !== 'forged';

/**
 * Where a refusal comes from, in the order a request meets them: the body parser (size, charset,
 * encoding), the input gate, authentication (and roles), the content-type guard, interceptors
 * (Idempotency-Key, uploads), the pipes (DTO validation of body, query and path), the handler.
 */
export const LAYERS = ['parser', 'gate', 'auth', 'media', 'interceptor', 'pipe', 'handler'] as const;
export type Layer = (typeof LAYERS)[number];

export type Part = 'body' | 'query' | 'path' | 'header' | 'media';

export const FAULT_CLASSES = [
  'nul',
  'lone-surrogate',
  'invalid-utf8',
  'bad-percent-encoding',
  'prototype-key',
  'unsafe-number',
  'deep-nesting',
  'unknown-key',
  'wrong-type',
  'out-of-bounds',
  'missing-required',
  'huge-string',
  'body-too-large',
  'bad-path-param',
  'bad-query-param',
  'unknown-query-param',
  'bad-header',
  'unsupported-content-type',
  'unsupported-charset',
  'bad-content-encoding',
  'multipart-field',
] as const;
export type FaultClass = (typeof FAULT_CLASSES)[number];

/** One fault put into a request, and what it asks of the answer. */
export interface Injected {
  readonly fault: FaultClass;
  readonly part: Part;
  readonly layer: Layer;
  /** The statuses it is refused with, when its layer is the first to answer. */
  readonly statuses: readonly number[];
  /**
   * The field the problem must name (`blocks.0.name`, `offset`, `If-Match`, `path`); `''` for the
   * body itself (any field names it); absent when the refusal names no field (413, 415).
   */
  readonly field?: string;
  /** A reader's account of the fault, for a failure report. */
  readonly note: string;
  /**
   * The gate answers this one at once (bytes that are not UTF-8, a broken path, nesting too deep),
   * without the DTOs' problems it otherwise lists beside its own.
   */
  readonly fatal?: boolean;
  /** The path may match no route (real slashes): a 404 is a refusal too. */
  readonly unrouted?: boolean;
  /**
   * A bound (length, range, pattern, count) rather than the shape: a DTO may check it, or the
   * handler once the shape is right (workflow's definitions are shaped by their DTO, ruled by the domain).
   */
  readonly rule?: boolean;
}

export interface JsonBody {
  readonly kind: 'json';
  value: unknown;
  contentType: string;
  contentEncoding?: string;
}
export interface MultipartBody {
  readonly kind: 'multipart';
  fields: [string, string | BadBytes][];
  files: { field: string; filename: string; content: Buffer }[];
}
export interface RawBody {
  readonly kind: 'raw';
  bytes: Buffer;
  contentType?: string;
}
export type DraftBody = JsonBody | MultipartBody | RawBody;

/** A request being built: an operation's well-shaped request, then each fault applied to it. */
export interface Draft {
  readonly op: Operation;
  readonly auth: Auth;
  /** Path parameters, already percent-encoded. */
  readonly pathValues: Record<string, string>;
  /** Raw text after the last segment: a fault in the path of an operation that has no parameter. */
  pathTail: string;
  /** Query pairs, already percent-encoded. */
  query: [string, string][];
  readonly headers: Record<string, string>;
  body?: DraftBody;
  readonly injected: Injected[];
  /** Body paths a fault took: a second fault inside (or around) one is not applied, so each stays as put. */
  readonly taken: (string | number)[][];
  /** Parameters a fault took (`path:id`, `query:limit`, `header:If-Match`): one fault each. */
  readonly takenParams: Set<string>;
}
