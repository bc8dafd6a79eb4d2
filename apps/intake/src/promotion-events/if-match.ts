import { RequestValidationError } from '@shanhai/platform';

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

/** The ETag of a version, as If-Match takes it back. */
export const etagOf = (version: number): string => `"${version}"`;
