import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, type FieldProblem } from './domain-error.js';
import { RequestValidationError } from './problem-details.filter.js';

/** How deep a request body may nest: the deepest of our own documents is 5 levels. */
export const MAX_DEPTH = 32;
/** Keys that would reach an object's prototype, refused wherever they appear. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether the request's bytes are valid UTF-8: decoding replaces bad bytes with U+FFFD, storing what the client never sent. */
function utf8Problems(raw: Buffer | undefined): FieldProblem[] {
  if (!raw?.length) return [];
  try {
    strictUtf8.decode(raw);
    return [];
  } catch {
    return [{ field: 'body', message: 'is not valid UTF-8' }];
  }
}

/** What is wrong with one string of a request (`where` names it), if anything. */
function stringProblem(value: string, where: string): FieldProblem | undefined {
  if (value.includes('\u0000')) return { field: where, message: 'contains a NUL character' };
  if (LONE_SURROGATE.test(value)) return { field: where, message: 'contains a lone UTF-16 surrogate (not a character)' };
  return undefined;
}

/** Every problem of a parsed JSON value: prototype keys, NUL, lone surrogates, unsafe numbers, too deep. */
export function valueProblems(value: unknown, path: string, depth = 0, problems: FieldProblem[] = []): FieldProblem[] {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (depth > MAX_DEPTH) {
    problems.push({ field: path || 'body', message: `nested deeper than ${MAX_DEPTH} levels` });
    return problems;
  }
  if (typeof value === 'string') {
    const problem = stringProblem(value, path || 'body');
    if (problem) problems.push(problem);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) problems.push({ field: path || 'body', message: 'is a number outside the safe range (±9007199254740991)' });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => valueProblems(item, at(String(i)), depth + 1, problems));
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const keyProblem = stringProblem(key, at(key));
      if (keyProblem) problems.push({ ...keyProblem, message: `its name ${keyProblem.message}` });
      else if (PROTOTYPE_KEYS.has(key)) problems.push({ field: at(key), message: 'unknown field (a prototype key)' });
      else valueProblems((value as Record<string, unknown>)[key], at(key), depth + 1, problems);
    }
  }
  return problems;
}

/** Query values: the strings' problems, and numbers beyond the safe range (`offset=1e308`). */
function queryProblems(query: unknown): FieldProblem[] {
  const problems = valueProblems(query, '');
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string' && NUMERIC.test(value.trim())) {
      const n = Number(value);
      if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) problems.push({ field: path, message: 'is a number outside the safe range (±9007199254740991)' });
    } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(query, '');
  return problems;
}

function pathProblems(rawPath: string): FieldProblem[] {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return [{ field: 'path', message: 'is not valid percent-encoded UTF-8' }];
  }
  const problem = stringProblem(decoded, 'path');
  return problem ? [problem] : [];
}

/**
 * One input gate for every request, before any handler: the path, every query parameter and the
 * JSON body are checked for NUL, lone surrogates, prototype keys, unsafe numbers and depth, and
 * every problem is answered in one 400 (the DTOs' own validation then sees only clean input).
 */
export function inputGate(req: Request & { rawBody?: Buffer }, _res: Response, next: NextFunction): void {
  const problems = [...utf8Problems(req.rawBody), ...pathProblems(req.path), ...queryProblems(req.query), ...(req.body === undefined ? [] : valueProblems(req.body, ''))];
  next(problems.length ? new RequestValidationError(problems) : undefined);
}

const SWAGGER_CONSUMES = 'swagger/apiConsumes';
const JSON_TYPES = ['application/json'];

/**
 * A request that carries a body must send it as the operation consumes it: JSON unless the
 * operation says otherwise (`@ApiConsumes('multipart/form-data')`, an upload). Anything else —
 * text/plain, XML, a form, no content type at all — is 415 before the handler runs, rather than
 * read as an empty body.
 */
@Injectable()
export class ContentTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const length = Number(request.header('content-length') ?? 0);
    const hasBody = length > 0 || request.header('transfer-encoding') !== undefined;
    if (!hasBody) return true;
    const consumes = this.reflector.getAllAndOverride<string[] | undefined>(SWAGGER_CONSUMES, [context.getHandler(), context.getClass()]) ?? JSON_TYPES;
    const type = (request.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (consumes.includes(type) || (type.endsWith('+json') && consumes.includes('application/json'))) return true;
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `this operation takes ${consumes.join(' or ')}${type ? `, not ${type}` : '; the request has no Content-Type'}`, { accepts: consumes });
  }
}
