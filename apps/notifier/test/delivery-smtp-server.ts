import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** What the server answers to one RCPT TO: take the mail, or refuse with an SMTP reply. */
export type RcptReply = 'accept' | { readonly code: number; readonly message: string };

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
  close(): Promise<void>;
}

export async function startTestSmtpServer(port = 0): Promise<TestSmtpServer> {
  const scripted = new Map<string, RcptReply[]>();
  const fixed = new Map<string, RcptReply>();
  const rcpts = new Map<string, number>();
  const messages: ReceivedMessage[] = [];

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    // Pooled clients stay connected: do not let close() wait smtp-server's default 30 s for them.
    closeTimeout: 500,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      rcpts.set(to, (rcpts.get(to) ?? 0) + 1);
      const reply = scripted.get(to)?.shift() ?? fixed.get(to) ?? 'accept';
      if (reply === 'accept') return callback();
      callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
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
