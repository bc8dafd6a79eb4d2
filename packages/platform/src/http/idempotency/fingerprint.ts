import { createHash } from 'node:crypto';

/**
 * JSON with every object's keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are one request.
 * Array order is kept: it means something. `undefined` members are left out, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * What makes two requests with one key "the same request": the query string and the body.
 * - A parsed (JSON) body: the sha256 of its canonical JSON, so key order and whitespace do not matter.
 * - A multipart body: the sha256 of its raw bytes with the boundary taken out. The boundary is
 *   chosen afresh by the client for every request; everything else (each field, each file's name,
 *   type and bytes, in the order sent) is what the client asked for. A retry resends the same parts.
 */
export function requestFingerprint(request: { query?: unknown; body?: unknown; multipart?: { raw: Buffer; boundary: string } }): string {
  const query = canonicalJson(request.query ?? {});
  if (request.multipart) {
    const { raw, boundary } = request.multipart;
    const withoutBoundary = boundary ? splitBuffer(raw, Buffer.from(boundary, 'latin1')) : [raw];
    const hash = createHash('sha256').update(`multipart\n${query}\n`);
    for (const part of withoutBoundary) hash.update(sha256(part));
    return hash.digest('hex');
  }
  return sha256(`json\n${query}\n${canonicalJson(request.body)}`);
}

function splitBuffer(buffer: Buffer, separator: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = buffer.indexOf(separator, from); at !== -1; at = buffer.indexOf(separator, from)) {
    parts.push(buffer.subarray(from, at));
    from = at + separator.length;
  }
  parts.push(buffer.subarray(from));
  return parts;
}
