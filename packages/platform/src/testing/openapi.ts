import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { redoclyEnv } from './test-config.js';

const run = promisify(execFile);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

export interface DocumentedOperation {
  readonly path: string;
  readonly method: (typeof METHODS)[number];
  readonly operation: {
    summary?: string;
    tags?: string[];
    parameters?: { name: string; in: string; example?: unknown; schema?: { format?: string; example?: unknown } }[];
    requestBody?: { content?: Record<string, MediaType> };
    security?: Record<string, string[]>[];
    responses?: Record<string, { content?: Record<string, MediaType> }>;
  };
}

/** Every operation of an OpenAPI document, as `{ path, method, operation }`. */
export function documentedOperations(document: { paths?: Record<string, Record<string, unknown>> }): DocumentedOperation[] {
  return Object.entries(document.paths ?? {}).flatMap(([p, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path: p, method, operation: item[method] as DocumentedOperation['operation'] })),
  );
}

/**
 * The operations a document marks as needing a token (`method path`, e.g. `post /zone-plans`) that
 * `covered` does not list: what a permission matrix forgot.
 */
export function guardedOperationsMissing(document: Parameters<typeof documentedOperations>[0], covered: Iterable<string>): string[] {
  const listed = new Set(covered);
  return documentedOperations(document)
    .filter((o) => (o.operation.security ?? []).some((r) => 'bearer' in r))
    .map((o) => `${o.method} ${o.path}`)
    .filter((op) => !listed.has(op));
}


/** The request body examples of one media type, named (`examples`) or single (`example`, named `example`). */
export function requestBodyExamples(operation: DocumentedOperation['operation'], mediaType = 'application/json'): Record<string, unknown> {
  const media = operation.requestBody?.content?.[mediaType];
  if (!media) return {};
  const named = Object.fromEntries(Object.entries(media.examples ?? {}).map(([name, e]) => [name, e.value]));
  return media.example === undefined ? named : { example: media.example, ...named };
}

/** The documented example of each parameter in `location` (e.g. a query string made of the examples). */
export function parameterExamples(operation: DocumentedOperation['operation'], location: 'query' | 'path'): Record<string, unknown> {
  return Object.fromEntries(
    (operation.parameters ?? []).filter((p) => p.in === location).map((p) => [p.name, p.example !== undefined ? p.example : p.schema?.example]),
  );
}

export interface LintProblem {
  readonly ruleId: string;
  readonly severity: 'error' | 'warn';
  readonly message: string;
  readonly pointer?: string;
}

/**
 * Runs `redocly lint --format=json` over the document with the repository's `redocly.yaml`, and
 * returns its problems split by severity. The CLI is the root's own install: never fetched.
 */
export async function lintOpenApi(document: object): Promise<{ errors: LintProblem[]; warnings: LintProblem[] }> {
  const root = repositoryRoot();
  const dir = await mkdtemp(path.join(tmpdir(), 'shanhai-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document, null, 2), 'utf8');
    const cli = path.join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const args = [cli, 'lint', file, '--format=json', '--config', path.join(root, 'redocly.yaml')];
    // Exit status 1 means "errors found": the report on stdout is still what we want.
    const env = redoclyEnv();
    const stdout = await run(process.execPath, args, { cwd: root, env, maxBuffer: 16 * 1024 * 1024 }).then(
      (r) => r.stdout,
      (error: Error & { stdout?: string; stderr?: string }) => {
        if (!error.stdout) throw new Error(`redocly lint failed without a report: ${error.stderr || error.message}`);
        return error.stdout;
      },
    );
    const report = JSON.parse(stdout) as { problems: { ruleId: string; severity: string; message: string; location?: { pointer?: string }[] }[] };
    const problems = report.problems.map((p) => ({
      ruleId: p.ruleId,
      severity: p.severity === 'error' ? ('error' as const) : ('warn' as const),
      message: p.message,
      pointer: p.location?.[0]?.pointer,
    }));
    return { errors: problems.filter((p) => p.severity === 'error'), warnings: problems.filter((p) => p.severity === 'warn') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The monorepo root: the nearest directory upwards holding `redocly.yaml`. */
function repositoryRoot(from = process.cwd()): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'redocly.yaml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no redocly.yaml above ${from}`);
  }
}
