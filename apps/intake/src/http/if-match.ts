import { ApiHeader, type HeadersObject, type SchemaObject } from '@nestjs/swagger';
import { RequestValidationError } from '@shanhai/platform';

/*
 * Intake's one concurrency grammar. A zone plan, a promotion event and an event report each have
 * a version; every response that carries one sends it as `ETag: "<version>"`, and an edit sends
 * that tag back in `If-Match` (or the body's `version`, where the request has one) to be refused
 * with 409 `STALE_VERSION` if someone changed the resource since. One parser, so a tag one
 * controller sends is a tag every other takes back.
 */

/** What an edit expects of the current version: a number, `any` existing one (`If-Match: *`), or no check. */
export type ExpectedVersion = number | 'any' | undefined;

// RFC 9110 entity tags, as this API mints them (`"3"`); a weak one or a bare number is taken too.
const TAG = /^(?:W\/)?"(\d{1,9})"$|^(\d{1,9})$/;

/**
 * The version a change is based on, from the body's `version` or the `If-Match` header. A list of
 * tags is refused: one version at a time is all an edit can be based on.
 */
export function expectedVersion(bodyVersion: number | undefined, ifMatch: string | undefined): ExpectedVersion {
  const header = ifMatch?.trim();
  let fromHeader: ExpectedVersion;
  if (header) {
    if (header === '*') fromHeader = 'any';
    else {
      const match = TAG.exec(header);
      if (!match) throw new RequestValidationError([{ field: 'If-Match', message: 'If-Match must be one entity tag as this API sends it in ETag, e.g. "3"' }]);
      fromHeader = Number(match[1] ?? match[2]);
    }
  }
  if (bodyVersion !== undefined && fromHeader !== undefined && fromHeader !== 'any' && fromHeader !== bodyVersion) {
    throw new RequestValidationError([{ field: 'version', message: `version ${bodyVersion} and If-Match ${header} disagree` }]);
  }
  return bodyVersion ?? fromHeader;
}

/**
 * The version to check an edit of a resource the path names against. Such a resource exists or the
 * edit answers 404, so `If-Match: *` asks nothing more.
 */
export const versionToCheck = (expected: ExpectedVersion): number | undefined => (expected === 'any' ? undefined : expected);

/** The ETag of a version, as If-Match takes it back. */
export const etagOf = (version: number): string => `"${version}"`;

/** The `ETag` of a response carrying a versioned resource (`of`: "The plan", "The report", …), as the OpenAPI document shows it. */
export const etagHeader = (of: string): HeadersObject => ({
  ETag: {
    description: `${of}'s version as an entity tag, e.g. \`"3"\`: send it back in \`If-Match\` to edit what you read.`,
    schema: { type: 'string', pattern: '^"[0-9]+"$', example: '"3"' },
  },
});

/**
 * Documents the optional `If-Match` of an operation that takes one. `why` says what it guards, and
 * what a stale tag answers (409 `STALE_VERSION`, with `currentVersion`).
 */
export const ApiIfMatch = (why: string): MethodDecorator & ClassDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: `${why} One entity tag as this API sends it in \`ETag\` (e.g. \`"3"\`; \`W/"3"\` and \`3\` are taken too), or \`*\`; anything else is refused with 400 \`VALIDATION_FAILED\` naming \`If-Match\`.`,
    schema: { type: 'string', pattern: '^\\s*(\\*|(W/)?"[0-9]{1,9}"|[0-9]{1,9})\\s*$', example: '"3"' },
  });

/** The member a `STALE_VERSION` problem adds: the version now, whose ETag is `"<currentVersion>"`. */
export const staleVersionMembers: Record<string, SchemaObject> = {
  currentVersion: { type: 'integer', minimum: 0, description: 'With `STALE_VERSION`: the version now (0: none yet); its ETag is `"<currentVersion>"`.', example: 3 },
};
