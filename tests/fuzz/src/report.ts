import type { RenderedCase } from './fuzz-case.js';
import type { Expectation } from './oracle.js';
import type { WireResponse } from './wire.js';

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);

/** Bytes as a person can read them: text as it is, with NUL, other control characters and bytes that are not UTF-8 escaped. */
export function readableBytes(bytes: Buffer, max = 800): string {
  const shown = bytes.subarray(0, max * 4);
  let text = '';
  for (let i = 0; i < shown.length && text.length < max; ) {
    const byte = shown[i]!;
    const width = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 ? 2 : 0;
    const char = width ? shown.subarray(i, i + width).toString('utf8') : '\uFFFD';
    if (width && !char.includes('\uFFFD') && Buffer.byteLength(char) === width) {
      text += char.charCodeAt(0) < 0x20 ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char;
      i += width;
    } else {
      text += `\\x${byte.toString(16).padStart(2, '0')}`;
      i += 1;
    }
  }
  return bytes.length > shown.length || text.length >= max ? `${text}… (${bytes.length} bytes)` : text;
}

/** The failing request and its answer, as the run prints it once fast-check has shrunk it. */
export function failureReport(c: RenderedCase, expected: Expectation, response: WireResponse | undefined, problems: readonly string[], serviceLog?: string): string {
  const { request } = c;
  const lines = [
    `${c.op.id}, as ${c.auth}`,
    `  faults:   ${c.injected.map((i) => `[${i.fault}] ${i.note}`).join('\n            ') || '(none left as sent)'}`,
    `  expected: the ${expected.layer} layer answers ${expected.statuses.join(' or ')}${expected.faults.length ? `, naming ${expected.faults.map((f) => f.field ?? '(no field)').join(', ')}` : ''}`,
    `  request:  ${request.method} ${clip(request.path, 300)}${request.chunked && request.body ? ' (chunked)' : ''}`,
    ...Object.entries(request.headers).map(([name, value]) => `            ${name}: ${clip(name === 'authorization' ? `${value.slice(0, 24)}…` : value, 200)}`),
    ...(request.body ? [`            body (${request.body.length} bytes): ${readableBytes(request.body)}`] : []),
    response
      ? `  response: ${response.status} ${String(response.headers['content-type'] ?? '(no Content-Type)')} in ${Math.round(response.ms)} ms\n            ${clip(response.body, 1500)}`
      : '  response: none',
    `  wrong:    ${problems.join('\n            ')}`,
  ];
  if (serviceLog) lines.push(`  ${c.op.service} log (last lines):`, ...serviceLog.trim().split('\n').slice(-12).map((l) => `    ${clip(l, 400)}`));
  return lines.join('\n');
}
