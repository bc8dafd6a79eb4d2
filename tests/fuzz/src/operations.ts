import { documentedOperations } from '@shanhai/platform/testing';

/** The part of JSON Schema (as OpenAPI 3.0 writes it) the generators read. */
export interface Schema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  default?: unknown;
  example?: unknown;
}

export type ServiceName = 'intake' | 'workflow' | 'notifier';

export interface Parameter {
  readonly name: string;
  readonly required: boolean;
  readonly schema: Schema;
  readonly example?: unknown;
}

export interface RequestBody {
  readonly mediaType: string;
  readonly schema: Schema;
  readonly required: boolean;
  /** The documented examples: known-good bodies to corrupt, beside the generated ones. */
  readonly examples: unknown[];
}

/** One operation of one service, its references resolved. */
export interface Operation {
  readonly service: ServiceName;
  readonly method: string;
  /** The path template, e.g. `/zone-plans/{id}`. */
  readonly path: string;
  /** `intake POST /zone-plans/{id}` */
  readonly id: string;
  /** Needs a bearer token: anonymous callers get 401. */
  readonly guarded: boolean;
  /** Documents a 403: a signed-in caller of another role may be refused before anything else is read. */
  readonly forbids: boolean;
  readonly pathParams: readonly Parameter[];
  readonly queryParams: readonly Parameter[];
  readonly headerParams: readonly Parameter[];
  readonly body?: RequestBody;
}

export const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A documented or generated value as a path, query or form field writes it. */
export const asText = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

interface Document {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; parameters?: Record<string, unknown> };
}

/** Every operation of a service's OpenAPI document, as the fuzzer needs it. */
export function operationsOf(service: ServiceName, document: Document): Operation[] {
  const resolve = resolver(document);
  return documentedOperations(document).map(({ path, method, operation }) => {
    const raw = operation as Record<string, unknown> & typeof operation;
    const parameters = ((raw.parameters ?? []) as unknown[]).map((p) => resolve(p) as { name: string; in: string; required?: boolean; schema?: unknown; example?: unknown });
    const params = (location: string): Parameter[] =>
      parameters.filter((p) => p.in === location).map((p) => ({ name: p.name, required: p.required === true, schema: resolve(p.schema ?? {}) as Schema, example: p.example }));
    const requestBody = resolve(raw.requestBody ?? null) as { required?: boolean; content?: Record<string, { schema?: unknown; example?: unknown; examples?: Record<string, { value?: unknown }> }> } | null;
    const [mediaType, media] = Object.entries(requestBody?.content ?? {})[0] ?? [];
    const upper = method.toUpperCase();
    return {
      service,
      method: upper,
      path,
      id: `${service} ${upper} ${path}`,
      guarded: (operation.security ?? []).some((requirement) => 'bearer' in requirement),
      forbids: '403' in (operation.responses ?? {}),
      pathParams: params('path'),
      queryParams: params('query'),
      headerParams: params('header'),
      body:
        mediaType && media
          ? {
              mediaType,
              schema: resolve(media.schema ?? {}) as Schema,
              required: requestBody?.required === true,
              examples: [...(media.example === undefined ? [] : [media.example]), ...Object.values(media.examples ?? {}).map((e) => e.value)],
            }
          : undefined,
    };
  });
}

/**
 * Inlines `$ref`s (components are acyclic here) and folds `allOf` into one schema, as Nest's
 * swagger module writes a described nested DTO (`{ description, allOf: [{ $ref }] }`).
 */
function resolver(document: Document): (value: unknown) => unknown {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const { $ref, allOf, ...own } = value as Record<string, unknown>;
    if (typeof $ref === 'string') return resolve(lookup(document, $ref));
    // Examples are data, not schemas: a `$ref` key inside one stays as it is.
    let out = Object.fromEntries(Object.entries(own).map(([key, child]) => [key, key === 'example' || key === 'examples' ? child : resolve(child)]));
    for (const part of (allOf as unknown[] | undefined) ?? []) out = merge(resolve(part) as Record<string, unknown>, out);
    return out;
  };
  return resolve;
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base, ...over };
  if (base.properties || over.properties) merged.properties = { ...(base.properties as object), ...(over.properties as object) };
  if (base.required || over.required) merged.required = [...((base.required as string[]) ?? []), ...((over.required as string[]) ?? [])];
  return merged;
}

function lookup(document: Document, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local references are followed: ${ref}`);
  let node: unknown = document;
  for (const segment of ref.slice(2).split('/')) node = (node as Record<string, unknown> | undefined)?.[segment.replaceAll('~1', '/').replaceAll('~0', '~')];
  if (node === undefined) throw new Error(`unresolved reference ${ref}`);
  return node;
}
