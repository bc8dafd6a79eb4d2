import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** What the server answers to one RCPT TO: take the mail, or refuse with an SMTP reply. */
export type RcptReply = 'accept' | { readonly code: number; readonly message: string };

/**
 * A refusal of one send, decided when its RCPT TO arrives: answered there, or after the whole
 * message came in (`data`: the server read it, then refused to take it).
 */
export interface Refusal {
  readonly at: 'rcpt' | 'data';
  readonly code: number;
  readonly message: string;
}

/** Decides the fate of the `nth` RCPT TO (1 for the first) the server is asked for `address`: a refusal, or null to take it. */
export type RefusalPlan = (address: string, nth: number) => Refusal | null;

export interface RefusedSend extends Refusal {
  readonly address: string;
  readonly nth: number;
  /** Which mail of its connection it was: 1 on a fresh connection, more on a reused (pooled) one. */
  readonly mailOfConnection: number;
}

export interface ReceivedMessage {
  readonly messageId: string | null;
  readonly rcptTo: readonly string[];
  readonly raw: string;
}

/**
 * A real SMTP server on loopback (smtp-server) whose answers a spec scripts per recipient:
 * `script(address, { code: 451, … }, 'accept')` refuses the first RCPT TO with a 451 and takes the
 * next; `always(address, { code: 550, … })` refuses every one. It counts what it received.
 */
export interface TestSmtpServer {
  readonly port: number;
  readonly url: string;
  script(address: string, ...replies: RcptReply[]): void;
  always(address: string, reply: RcptReply): void;
  /** Messages taken (DATA accepted), in order. */
  received(): ReceivedMessage[];
  /** How many messages with this Message-ID it took. */
  countOf(messageId: string): number;
  /** How many RCPT TO it was asked for this address, refused ones included. */
  rcptCount(address: string): number;
  /** The sends the `refuse` plan refused, in order. */
  refused(): RefusedSend[];
  close(): Promise<void>;
}

/** An SMTP error reply as smtp-server sends it. */
const replyError = (r: { code: number; message: string }): Error => Object.assign(new Error(r.message), { responseCode: r.code });

/**
 * `options.refuse` plans refusals for every recipient (scripted and fixed replies come first): a
 * refusal `at: 'data'` is remembered for the session and answered when the message has come in.
 */
export async function startTestSmtpServer(port = 0, options: { refuse?: RefusalPlan } = {}): Promise<TestSmtpServer> {
  const scripted = new Map<string, RcptReply[]>();
  const fixed = new Map<string, RcptReply>();
  const rcpts = new Map<string, number>();
  const messages: ReceivedMessage[] = [];
  const refusals: RefusedSend[] = [];
  // By session id: one transaction at a time per connection, whose refusal waits here for DATA,
  // and how many mails (MAIL FROM) the connection has begun.
  const atData = new Map<string, Refusal>();
  const mailsOf = new Map<string, number>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    // Pooled clients stay connected: do not let close() wait smtp-server's default 30 s for them.
    closeTimeout: 500,
    onMailFrom(_address, session, callback) {
      mailsOf.set(session.id, (mailsOf.get(session.id) ?? 0) + 1);
      callback();
    },
    onRcptTo(address, session, callback) {
      const to = address.address.toLowerCase();
      const nth = (rcpts.get(to) ?? 0) + 1;
      rcpts.set(to, nth);
      const reply = scripted.get(to)?.shift() ?? fixed.get(to) ?? 'accept';
      if (reply !== 'accept') return callback(replyError(reply));
      const refusal = options.refuse?.(to, nth) ?? null;
      if (refusal) refusals.push({ ...refusal, address: to, nth, mailOfConnection: mailsOf.get(session.id) ?? 1 });
      if (refusal?.at === 'rcpt') return callback(replyError(refusal));
      if (refusal?.at === 'data') atData.set(session.id, refusal);
      callback();
    },
    onClose(session) {
      mailsOf.delete(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = atData.get(session.id);
        atData.delete(session.id);
        // Read to the end, then refused: not taken, so not received.
        if (refusal) return callback(replyError(refusal));
        const raw = Buffer.concat(chunks).toString('utf8');
        const messageId = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(raw)?.[1] ?? null;
        messages.push({ messageId, rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `smtp://127.0.0.1:${bound}`,
    script: (address, ...replies) => void scripted.set(address.toLowerCase(), [...replies]),
    always: (address, reply) => void fixed.set(address.toLowerCase(), reply),
    received: () => [...messages],
    countOf: (messageId) => messages.filter((m) => m.messageId === messageId).length,
    rcptCount: (address) => rcpts.get(address.toLowerCase()) ?? 0,
    refused: () => [...refusals],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on (taken, then let go): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
