#!/usr/bin/env node
// Runs the inbox for a local stack (`npm start` starts it when SMTP_URL is unset).
// The one place in this package that reads the environment.
import { startMailInbox } from './mail-inbox.js';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  }
  return port;
}

async function main(): Promise<void> {
  const inbox = await startMailInbox({
    host: '127.0.0.1',
    smtpPort: portFromEnv('MAIL_INBOX_SMTP_PORT', 1025),
    httpPort: portFromEnv('MAIL_INBOX_HTTP_PORT', 8025),
  });
  console.log(`mail inbox: SMTP ${inbox.smtpUrl}, web ${inbox.url}`);

  // Idempotent: under `npm start` the same stop can arrive twice (process group and parent).
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    inbox.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`mail inbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
