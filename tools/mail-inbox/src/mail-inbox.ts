import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

import { inboxRequestHandler } from './inbox-http.js';
import { MailStore, type MailPredicate } from './mail-store.js';
import { toReceivedMail, type ReceivedMail } from './received-mail.js';

/** Enough for any real notification with attachments; refuses runaway clients. */
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** Bounds memory on a long local run; the oldest mail goes first. */
const MAX_KEPT_MAILS = 5000;
/** A pooled client left connected must not hold `close()` for smtp-server's default 30 s. */
const SMTP_CLOSE_TIMEOUT_MS = 1000;

export interface MailInboxOptions {
  /** Interface to listen on; loopback unless told otherwise. */
  host?: string;
  /** 0 picks a free port. Default 0. */
  smtpPort?: number;
  /** 0 picks a free port, null serves no web page. Default 0. */
  httpPort?: number | null;
}

export interface MailInbox {
  readonly smtpPort: number;
  readonly httpPort: number | null;
  /** `smtp://host:port`, ready for nodemailer or an SMTP_URL setting. */
  readonly smtpUrl: string;
  /** Base URL of the web page and JSON API, null without one. */
  readonly url: string | null;
  /** Received mail in arrival order. */
  messages(): ReceivedMail[];
  /** Resolves with all mail once `predicate` holds; rejects after `timeoutMs` listing what arrived. */
  waitFor(predicate: MailPredicate, timeoutMs?: number): Promise<ReceivedMail[]>;
  clear(): void;
  close(): Promise<void>;
}

export async function startMailInbox(opts: MailInboxOptions = {}): Promise<MailInbox> {
  const host = opts.host ?? '127.0.0.1';
  const store = new MailStore(MAX_KEPT_MAILS);

  const smtp = createSmtpServer(store);
  const smtpPort = await listen(smtp.server, opts.smtpPort ?? 0, host, smtp);

  let http: Server | null = null;
  const wantedHttpPort = opts.httpPort === undefined ? 0 : opts.httpPort;
  if (wantedHttpPort !== null) {
    http = createServer(inboxRequestHandler(store));
    try {
      await listen(http, wantedHttpPort, host);
    } catch (error) {
      // Do not leave the SMTP port taken behind a failed start.
      await closeSmtp(smtp);
      throw error;
    }
  }
  const httpPort = http ? (http.address() as AddressInfo).port : null;

  let closing: Promise<void> | null = null;
  return {
    smtpPort,
    httpPort,
    smtpUrl: `smtp://${urlHost(host)}:${smtpPort}`,
    url: httpPort === null ? null : `http://${urlHost(host)}:${httpPort}`,
    messages: () => store.list(),
    waitFor: (predicate, timeoutMs = 10_000) => store.waitFor(predicate, timeoutMs),
    clear: () => store.clear(),
    close: () => {
      closing ??= (async () => {
        store.failWaiters(new Error('mail inbox closed while waiting for mail'));
        await Promise.all([closeSmtp(smtp), http ? closeHttp(http) : undefined]);
      })();
      return closing;
    },
  };
}

function createSmtpServer(store: MailStore): SMTPServer {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    disableReverseLookup: true,
    closeTimeout: SMTP_CLOSE_TIMEOUT_MS,
    // Senders may authenticate without TLS; any credentials are accepted.
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    onData: (stream, session, callback) => {
      receive(store, stream, session).then(
        () => callback(),
        (error: Error) => callback(error),
      );
    },
  });
  // smtp-server reports client-side trouble (resets, timeouts) as 'error' events; an unhandled
  // one would crash the process, and none of them concern the mails already received.
  smtp.on('error', () => undefined);
  return smtp;
}

async function receive(store: MailStore, stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
  const raw = await readMessage(stream);
  if (stream.sizeExceeded) {
    throw Object.assign(new Error(`message exceeds ${MAX_MESSAGE_BYTES} bytes`), { responseCode: 552 });
  }
  const parsed = await simpleParser(raw);
  const envelope = {
    mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
    rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
  };
  store.add((id) => toReceivedMail(id, parsed, envelope, raw.length, new Date()));
}

/** Reads the whole DATA stream; stops keeping bytes past the limit but still drains the rest. */
async function readMessage(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (bytes > MAX_MESSAGE_BYTES) continue;
    chunks.push(chunk);
    bytes += chunk.length;
  }
  return Buffer.concat(chunks);
}

interface Listenable {
  listen(port: number, host: string): unknown;
  once(event: 'listening' | 'error', listener: (error?: Error) => void): unknown;
  off(event: 'listening' | 'error', listener: (error?: Error) => void): unknown;
  address(): AddressInfo | string | null;
}

/** Resolves with the bound port; rejects on EADDRINUSE and friends instead of crashing. */
function listen(
  server: Listenable,
  port: number,
  host: string,
  errorSource: Pick<Listenable, 'once' | 'off'> = server,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error?: Error) => {
      server.off('listening', onListening);
      reject(error ?? new Error('listen failed'));
    };
    const onListening = () => {
      errorSource.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    errorSource.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeSmtp(smtp: SMTPServer): Promise<void> {
  return new Promise((resolve) => smtp.close(() => resolve()));
}

function closeHttp(http: Server): Promise<void> {
  return new Promise((resolve) => {
    http.close(() => resolve());
    // Browsers keep connections open; without this close() waits for them to time out.
    http.closeAllConnections();
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
