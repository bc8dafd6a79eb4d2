import { PROBLEM_CONTENT_TYPE } from '@shanhai/platform';

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  items?: Schema;
}

interface Document {
  paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Every member a schema names, through `$ref` and `allOf`. */
function membersOf(document: Document, schema: Schema | undefined): Record<string, Schema> {
  if (!schema) return {};
  if (schema.$ref) return membersOf(document, document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]);
  return Object.assign({}, ...(schema.allOf ?? []).map((s) => membersOf(document, s)), schema.properties ?? {}) as Record<string, Schema>;
}

/**
 * What an error response carries that the operation's OpenAPI document does not say: its status, or
 * a member of its problem (or of a field problem in `errors`), as `"409 currentVersion"`. Empty when
 * the document tells a client everything the body holds.
 */
export function undocumented(document: object, method: string, path: string, response: { status: number; body: unknown }): string[] {
  const doc = document as Document;
  const operation = doc.paths?.[path]?.[method];
  if (!operation) return [`${method.toUpperCase()} ${path} (no such operation)`];
  const documented = operation.responses?.[String(response.status)];
  if (!documented) return [`${response.status} (not documented)`];
  const schema = documented.content?.[PROBLEM_CONTENT_TYPE]?.schema;
  if (!schema) return [`${response.status} (no ${PROBLEM_CONTENT_TYPE} schema)`];
  const members = membersOf(doc, schema);
  const body = response.body as Record<string, unknown>;
  const missing = Object.keys(body).filter((name) => !(name in members));
  const fieldMembers = membersOf(doc, members.errors?.items);
  const fieldsMissing = Array.isArray(body.errors) ? [...new Set((body.errors as object[]).flatMap((e) => Object.keys(e)).filter((name) => !(name in fieldMembers)))].map((n) => `errors[].${n}`) : [];
  return [...missing, ...fieldsMissing].map((name) => `${response.status} ${name}`);
}
