import { type CanActivate, type ExecutionContext, Injectable, type Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, type FieldProblem } from './domain-error.js';
import { RequestValidationError } from './problem-details.filter.js';
import { createValidationPipe } from './validation.js';

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

/**
 * The query string as sent: Express's parser replaces bytes that are not UTF-8 and broken escapes
 * (`%FF`, `%ZZ`) with U+FFFD or keeps them as text, so the parsed query alone would take them.
 */
function rawQueryProblems(url: string): FieldProblem[] {
  const start = url.indexOf('?');
  if (start < 0) return [];
  const decode = (text: string): string | undefined => {
    try {
      return decodeURIComponent(text.replaceAll('+', ' '));
    } catch {
      return undefined;
    }
  };
  return url
    .slice(start + 1)
    .split('&')
    .flatMap((pair) => {
      const [name, value = ''] = pair.split(/=(.*)/s);
      const field = decode(name!);
      if (field === undefined) return [{ field: 'query', message: 'has a parameter name that is not valid percent-encoded UTF-8' }];
      return decode(value) === undefined ? [{ field, message: 'is not valid percent-encoded UTF-8' }] : [];
    });
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

/** Problems the gate found that DTO validation may add to, kept on the request for InputGateGuard. */
const GATE_PROBLEMS = Symbol('shanhai.gateProblems');
type GatedRequest = Request & { rawBody?: Buffer; [GATE_PROBLEMS]?: FieldProblem[] };

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * Deletes prototype keys and replaces lone surrogates (with U+FFFD) wherever they appear, so the
 * DTOs' validation can look at the rest safely: validators that encode a string (IsEmail, IsUrl)
 * throw on a lone surrogate, which would turn the gate's 400 into a 500.
 */
function defuse(value: unknown, depth = 0): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  const node = value as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    const child = node[key];
    if (PROTOTYPE_KEYS.has(key)) delete node[key];
    else if (typeof child === 'string') node[key] = child.replace(LONE_SURROGATES, '\uFFFD');
    else defuse(child, depth + 1);
  }
}

/**
 * One input gate for every request, before any handler: the path, every query parameter and the
 * JSON body are checked for NUL, lone surrogates, prototype keys, unsafe numbers and depth.
 * Bytes that are not UTF-8, a broken path and a body too deep are answered at once (nothing else
 * can be read safely). Any other problem is kept on the request, the body defused, and
 * InputGateGuard answers it together with what the operation's DTOs find: one 400, every problem.
 */
export function inputGate(req: GatedRequest, _res: Response, next: NextFunction): void {
  const fatal = [...utf8Problems(req.rawBody), ...pathProblems(req.path)];
  const found = [...rawQueryProblems(req.originalUrl), ...queryProblems(req.query), ...(req.body === undefined ? [] : valueProblems(req.body, ''))];
  if (fatal.length || found.some((p) => p.message.startsWith('nested deeper'))) return next(new RequestValidationError([...fatal, ...found]));
  if (found.length) {
    defuse(req.body);
    req[GATE_PROBLEMS] = found;
  }
  next();
}

/**
 * The second half of the gate, the first guard of every route: a request the gate found problems
 * in is refused here, before authentication and the handler, with the problems of its body and
 * query DTOs (run through the same validation pipe) merged in, so that a NUL in one field does
 * not hide a wrong type in another. One problem per field: the gate's, where both name it.
 */
@Injectable()
export class InputGateGuard implements CanActivate {
  private readonly pipe = createValidationPipe();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<GatedRequest>();
    const found = request[GATE_PROBLEMS];
    if (!found) return true;
    const problems = [...found];
    for (const { type, metatype } of dtoParameters(context)) {
      try {
        await this.pipe.transform(type === 'body' ? request.body : request.query, { type, metatype });
      } catch (error) {
        if (!(error instanceof RequestValidationError)) throw error;
        problems.push(...error.problems.filter((p) => !found.some((f) => f.field === p.field)));
      }
    }
    throw new RequestValidationError(problems);
  }
}

/** The handler's whole-object `@Body()` and `@Query()` parameters and their DTO classes. */
function dtoParameters(context: ExecutionContext): { type: 'body' | 'query'; metatype: Type<unknown> }[] {
  const handler = context.getHandler().name;
  const controller = context.getClass();
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, handler) ?? []) as Type<unknown>[];
  // Nest keys each parameter `${RouteParamtypes}:${index}`.
  const kinds: Record<string, 'body' | 'query'> = { [RouteParamtypes.BODY]: 'body', [RouteParamtypes.QUERY]: 'query' };
  return Object.entries(args).flatMap(([key, { index, data }]) => {
    const type = kinds[key.split(':')[0]!];
    const metatype = types[index];
    return type && data === undefined && metatype ? [{ type, metatype } as const] : [];
  });
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
