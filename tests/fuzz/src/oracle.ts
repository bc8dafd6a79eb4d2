import { LAYERS, signedIn, type Injected, type Layer } from './draft.js';
import type { RenderedCase } from './fuzz-case.js';
import type { WireResponse } from './wire.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface Problem {
  type?: unknown;
  title?: unknown;
  status?: unknown;
  code?: unknown;
  errors?: unknown;
}

/** The layer expected to answer first, and with what. */
export interface Expectation {
  readonly layer: Layer;
  readonly statuses: readonly number[];
  /** The faults that layer must name (every one of them, for the input gate). */
  readonly faults: readonly Injected[];
}

/**
 * What the answer to a hostile request must be. The first layer that holds a fault answers (see
 * LAYERS): the body parser, then the input gate with every problem it found in path, query and
 * body; then authentication (401 without a valid token on a guarded operation); then the guard
 * (415), the interceptors, the pipes, the handler. A signed-in caller of a role the operation does
 * not serve may be refused (403) at any layer after authentication, where the operation documents it.
 */
export function expectationOf(c: RenderedCase): Expectation {
  const expectation = firstLayer(c);
  // A path that matches no route (real slashes) reaches no guard and no handler: past the body parser and the gate's immediate answers, 404.
  const immediate = expectation.layer === 'parser' || (expectation.layer === 'gate' && expectation.faults.some((f) => f.fatal));
  if (!immediate && c.injected.some((i) => i.unrouted)) return { ...expectation, statuses: [...expectation.statuses, 404] };
  return expectation;
}

function firstLayer(c: RenderedCase): Expectation {
  const authFails = c.op.guarded && !signedIn(c.auth);
  for (const layer of LAYERS) {
    if (layer === 'auth') {
      if (authFails) return { layer, statuses: [401], faults: [] };
      continue;
    }
    const own = c.injected.filter((i) => i.layer === layer);
    if (!own.length) continue;
    const statuses = new Set(own.flatMap((f) => f.statuses));
    if (layer !== 'parser' && layer !== 'gate' && c.op.guarded && c.op.forbids) statuses.add(403);
    // Past a gate that does not answer at once, InputGateGuard (the first guard of a route) adds what the body and query DTOs find.
    const merged = layer === 'gate' && !own.some((f) => f.fatal) ? c.injected.filter((i) => i.layer === 'pipe' && (i.part === 'body' || i.part === 'query')) : [];
    return { layer, statuses: [...statuses], faults: [...own, ...merged] };
  }
  throw new Error(`${c.op.id}: a case without a fault`);
}

/** Every way the answer falls short; none means the request was refused as it must be. */
export function problemsWith(c: RenderedCase, response: WireResponse): string[] {
  const problems: string[] = [];
  const expected = expectationOf(c);
  if (response.status >= 500) problems.push(`${response.status}: a server error`);
  else if (response.status < 400) problems.push(`${response.status}: not refused`);
  else if (!expected.statuses.includes(response.status)) problems.push(`${response.status}, where the ${expected.layer} layer should answer ${expected.statuses.join(' or ')}`);

  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith(PROBLEM_CONTENT_TYPE)) problems.push(`Content-Type ${type || '(none)'}, not ${PROBLEM_CONTENT_TYPE}`);
  let problem: Problem;
  try {
    problem = JSON.parse(response.body) as Problem;
  } catch {
    return [...problems, 'the body is not JSON'];
  }
  if (problem.status !== response.status) problems.push(`the problem's status ${String(problem.status)} is not the response's`);
  if (typeof problem.type !== 'string' || typeof problem.title !== 'string') problems.push('the problem has no type or title');
  if (response.status !== 400 || problems.length) return problems;

  // A 400 must list the problems of the layer that answered.
  const validation = problem.code === 'VALIDATION_FAILED';
  const errors = validation ? fieldErrors(problem.errors) : undefined;
  if (validation && (!errors || !errors.length)) return [...problems, 'VALIDATION_FAILED without an errors list of { field, message }'];
  // The gate names the very field (or a place inside it, for deep nesting); a DTO may name the list around an item.
  const named = (fault: Injected): boolean => fault.field === undefined || errors!.some((e) => related(e.field, fault.field!, fault.layer !== 'gate'));
  const listed = expected.faults.filter((f) => f.field !== undefined);
  switch (expected.layer) {
    case 'gate':
      if (!validation) return [...problems, `the input gate answered without VALIDATION_FAILED (${String(problem.code ?? problem.title)})`];
      // Every one of the gate's own; of what InputGateGuard adds from the DTOs, as below.
      for (const fault of listed) if (fault.layer === 'gate' && !named(fault)) problems.push(notNamed(fault));
      return [...problems, ...unlisted(listed.filter((f) => f.layer !== 'gate'), named)];
    case 'parser':
      return problems;
    default: {
      if (!validation) {
        // Only a path parameter's own pipe (ParseUUIDPipe, ParseIntPipe) answers a 400 without the list.
        if (!listed.some((f) => f.part === 'path')) problems.push(`400 without VALIDATION_FAILED (${String(problem.code ?? problem.title)})`);
        return problems;
      }
      if (listed.length && !listed.some(named)) problems.push(`the errors name none of the faults (${listed.map((f) => f.note).join('; ')})`);
      return [...problems, ...unlisted(listed, named)];
    }
  }
}

const notNamed = (fault: Injected): string => `the errors do not name ${JSON.stringify(fault.field)} (${fault.note})`;

/**
 * Validation runs one check at a time — the body's DTO, the query's, a path parameter's pipe, and
 * for some operations the rules of a well-shaped body in the handler — and each lists every problem
 * it finds. So of the faults one check sees (the same part, shape or rule), all are named or none is.
 */
function unlisted(faults: readonly Injected[], named: (fault: Injected) => boolean): string[] {
  const check = (f: Injected): string => `${f.part}${f.rule ? ' rule' : ''}`;
  const answered = new Set(faults.filter(named).map(check));
  return faults.filter((f) => answered.has(check(f)) && !named(f)).map(notNamed);
}

function fieldErrors(value: unknown): { field: string; message: string }[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const ok = value.every((e) => e && typeof (e as { field?: unknown }).field === 'string' && typeof (e as { message?: unknown }).message === 'string');
  return ok ? (value as { field: string; message: string }[]) : undefined;
}

/**
 * Whether an error's field names the fault's: the same path, a path inside it (a problem deep in
 * a nested value), or — when `around` — one around it (`leadingIndustries` for an item of that
 * list). `''` is the body itself: any field names it.
 */
export function related(errorField: string, faultField: string, around = true): boolean {
  if (faultField === '' || errorField === faultField) return true;
  return errorField.startsWith(`${faultField}.`) || (around && errorField !== '' && faultField.startsWith(`${errorField}.`));
}
