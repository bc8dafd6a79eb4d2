import { Readable } from 'node:stream';
import { type CallHandler, type ExecutionContext, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { catchError, defer, finalize, from, map, mergeMap, type Observable, of, throwError } from 'rxjs';
import type { AuthenticatedRequest } from '../../auth/principal.js';
import { DomainError } from '../domain-error.js';
import { RequestValidationError } from '../problem-details.filter.js';
import { requestFingerprint } from './fingerprint.js';
import { type Claim, IdempotencyStore, type StoredResponse } from './idempotency.store.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** 1–255 visible ASCII characters (a UUID is a good choice). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** The most a multipart body is buffered to be fingerprinted; beyond it the request is refused (413). */
export const IDEMPOTENT_MULTIPART_MAX_BYTES = 64 * 1024 * 1024;

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** What a replay repeats of the first response's headers; the rest is recomputed or per-request. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'] as const;

/**
 * `Idempotency-Key` on every mutating request (POST, PUT, PATCH, DELETE), for every service.
 *
 * A key belongs to its caller (the verified principal, else `anonymous`), method and path. The
 * first request with a key claims it and runs; a retry with the same key and the same request
 * gets the first response again (`Idempotent-Replayed: true`) without running the handler; a
 * retry while the first still runs gets 409 IDEMPOTENCY_IN_PROGRESS; the same key with another
 * request gets 422 IDEMPOTENCY_KEY_REUSED. Keys are kept 24 hours.
 *
 * Only a 2xx response is remembered. Any error (4xx refusal, 5xx failure) releases the key, so the
 * request may be retried with it. This is safe because a handler that fails has no effect — each
 * command commits its state, audit and outbox in one transaction — so running it again cannot double
 * anything; and useful, because refusals depend on the current state (`NOT_EDITABLE`,
 * `STALE_VERSION`, …) or on a transient failure, and a retry deserves a fresh answer rather than a
 * stale one. A response that is not JSON (a stream, a buffer) or that the handler sent itself
 * (`@Res()` without passthrough) cannot be replayed, and one marked `Cache-Control: no-store`
 * (tokens) must not be kept: these release the key too.
 *
 * Guards run before interceptors, so a 401/403 never touches a key, and `request.principal` is
 * known here.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(private readonly store: IdempotencyStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.header(IDEMPOTENCY_KEY_HEADER);
    if (!MUTATING.has(request.method) || key === undefined) return next.handle();
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new RequestValidationError([{ field: IDEMPOTENCY_KEY_HEADER, message: `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 visible ASCII characters` }]);
    }

    const path = request.originalUrl.split('?')[0]!;
    const scope = `${request.principal?.userId ?? 'anonymous'} ${request.method} ${path}`;
    const fingerprint = requestFingerprint({ query: request.query, body: request.body, multipart: await bufferMultipart(request) });
    const outcome = await this.store.claim(scope, key, fingerprint);
    switch (outcome.kind) {
      case 'reused':
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', `this ${IDEMPOTENCY_KEY_HEADER} was used for another request to ${request.method} ${path}; use a new key`);
      case 'in_progress':
        throw new DomainError('IDEMPOTENCY_IN_PROGRESS', `a request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed; retry later`, {}, { 'Retry-After': '1' });
      case 'replay':
        response.status(outcome.response.status);
        for (const [name, value] of Object.entries(outcome.response.headers)) response.setHeader(name, value);
        response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return of(outcome.response.body);
      case 'claimed':
        return this.run(outcome.claim, response, next);
    }
  }

  private run(claim: Claim, response: Response, next: CallHandler): Observable<unknown> {
    let settled = false;
    const settle = async (work: () => Promise<void>): Promise<void> => {
      settled = true;
      // The response matters more than the record: a failure here is logged, and the key stays
      // claimed until its lease runs out rather than failing a request whose effect is done.
      await work().catch((error: unknown) => this.logger.error(`idempotency key ${claim.key}: ${error instanceof Error ? error.message : String(error)}`));
    };
    return defer(() => next.handle()).pipe(
      mergeMap((body: unknown) => {
        const stored = replayable(response, body);
        return from(settle(() => (stored ? this.store.complete(claim, stored) : this.store.release(claim)))).pipe(map((): unknown => body));
      }),
      catchError((error: unknown) => from(settle(() => this.store.release(claim))).pipe(mergeMap(() => throwError(() => error)))),
      // Torn down before an outcome (the client went away mid-request): give the key back.
      finalize(() => {
        if (!settled) void settle(() => this.store.release(claim));
      }),
    );
  }
}

/** The response as it will be replayed, or undefined when it must not be remembered. */
function replayable(response: Response, body: unknown): StoredResponse | undefined {
  if (response.headersSent || response.statusCode < 200 || response.statusCode > 299) return undefined;
  // A response no cache may keep (e.g. tokens, RFC 6749 §5.1) is not kept here either: a retry runs again.
  if (/\bno-store\b/i.test(String(response.getHeader('cache-control') ?? ''))) return undefined;
  if (body !== undefined && body !== null && (Buffer.isBuffer(body) || body instanceof Readable || typeof (body as { getStream?: unknown }).getStream === 'function')) {
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  // Stored as it will be serialised (dates become strings), so a replay is byte-for-byte the same JSON.
  return { status: response.statusCode, headers, body: body === undefined ? null : (JSON.parse(JSON.stringify(body)) as unknown) };
}

/**
 * Multipart bodies are parsed by multer inside the route (after this interceptor), so their bytes
 * are read here to be fingerprinted, and handed to multer again from memory. Other bodies are
 * parsed already (JSON) or absent.
 */
async function bufferMultipart(request: AuthenticatedRequest): Promise<{ raw: Buffer; boundary: string } | undefined> {
  if (!request.is('multipart/*') || request.readableEnded) return undefined;
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(request.header('content-type') ?? '');
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep reading past the limit (and drop it) so the client gets the 413 instead of a reset.
      if (size <= IDEMPOTENT_MULTIPART_MAX_BYTES) chunks.push(chunk);
    });
    request.once('end', resolve);
    request.once('error', reject);
  });
  if (size > IDEMPOTENT_MULTIPART_MAX_BYTES) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `a multipart request with ${IDEMPOTENCY_KEY_HEADER} can be at most ${IDEMPOTENT_MULTIPART_MAX_BYTES} bytes`);
  }
  const raw = Buffer.concat(chunks);
  // multer feeds busboy with `req.pipe(busboy)` (and `unpipe` on error): serve those from memory.
  let replay: Readable | undefined;
  const readable = request as unknown as { pipe: Readable['pipe']; unpipe: Readable['unpipe'] };
  readable.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    replay = Readable.from([raw]);
    return replay.pipe(destination, options);
  };
  readable.unpipe = (destination?: NodeJS.WritableStream) => {
    replay?.unpipe(destination);
    return request;
  };
  return { raw, boundary: boundary?.[1] ?? boundary?.[2] ?? '' };
}
