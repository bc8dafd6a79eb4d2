const MAX_LENGTH = 255;
// C0/C1 controls, and the bidirectional overrides and isolates that make "exe.pdf" out of "fdp.exe".
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The name to keep for an upload: the last path segment of what the client sent, well-formed
 * UTF-8, NFC, without control or bidi characters, at most 255 characters (the extension kept);
 * `fallback` when nothing is left.
 */
export function cleanFilename(original: string, fallback: string): string {
  const wellFormed = Buffer.from(original, 'utf8').toString('utf8'); // lone surrogates become U+FFFD
  const name = (wellFormed.split(/[/\\]/).pop() ?? '').normalize('NFC').replace(UNSAFE, '').trim();
  if (!name || name === '.' || name === '..') return fallback;
  const chars = Array.from(name);
  if (chars.length <= MAX_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? Array.from(name.slice(dot)) : [];
  return [...chars.slice(0, MAX_LENGTH - extension.length), ...extension].join('');
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): the percent-encoded UTF-8 name for
 * every current client, and `asciiFallback` for those that only read `filename` when the real
 * name is not plain ASCII.
 */
export function contentDisposition(filename: string, asciiFallback: string): string {
  const plain = /^[\x20-\x7e]*$/.test(filename) && !/["\\%]/.test(filename) ? filename : asciiFallback.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${plain}"; filename*=UTF-8''${encoded}`;
}
