import type { HeaderValue, ParsedMail } from 'mailparser';

/** One message as the inbox received it: what a test or a person looking at the page needs. */
export interface ReceivedMail {
  id: number;
  messageId: string;
  /** The From header as text (`"Name" <addr>`), or the envelope sender when the header is missing. */
  from: string;
  /** Envelope recipients (RCPT TO): Bcc recipients appear here, header-only addresses do not. */
  to: string[];
  /** Decoded subject (RFC 2047 encoded words resolved). */
  subject: string;
  text: string;
  html: string | null;
  /** Decoded headers keyed by lowercase name; repeated headers are joined with `, `. */
  headers: Record<string, string>;
  receivedAt: string;
  /** Size of the raw message in bytes. */
  size: number;
}

export interface Envelope {
  mailFrom: string | null;
  rcptTo: string[];
}

export function toReceivedMail(
  id: number,
  parsed: ParsedMail,
  envelope: Envelope,
  size: number,
  receivedAt: Date,
): ReceivedMail {
  return {
    id,
    messageId: parsed.messageId ?? '',
    from: parsed.from?.text ?? envelope.mailFrom ?? '',
    to: envelope.rcptTo,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    headers: headersAsText(parsed.headers),
    receivedAt: receivedAt.toISOString(),
    size,
  };
}

function headersAsText(headers: ParsedMail['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of headers) result[name] = headerText(value);
  return result;
}

/** mailparser turns headers into dates, address lists and structured values; flatten them back to text. */
function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return (value as HeaderValue[]).map(headerText).join(', ');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('value' in value && typeof value.value === 'string' && 'params' in value) {
    const params = Object.entries(value.params).map(([key, param]) => `; ${key}=${param}`);
    return value.value + params.join('');
  }
  // The combined List-* headers: no single text form, JSON keeps every part readable.
  return JSON.stringify(value);
}
