import type { Logger } from '@nestjs/common';
import pg from 'pg';

const RELISTEN_DELAY_MS = 2000;

/** A LISTEN on one channel that reconnects on its own; its owner polls while it is down. */
export interface PgListener {
  close(): Promise<void>;
}

/**
 * Listens on `channel` with a dedicated connection (LISTEN holds it), calling `onNotify` with each
 * payload, once the first attempt to connect has been made. A lost connection is logged and re-opened after a pause; `onReconnect` runs once it is
 * back, so the owner can re-read what it may have missed meanwhile.
 */
export async function listenTo(
  url: string,
  channel: string,
  logger: Logger,
  handlers: { onNotify: (payload: string) => void; onReconnect?: () => void },
): Promise<PgListener> {
  let stopped = false;
  let current: pg.Client | undefined;
  let connectedOnce = false;
  const open = async (): Promise<void> => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    const retry = () => {
      if (current === client) current = undefined;
      if (!stopped) setTimeout(() => void open(), RELISTEN_DELAY_MS).unref();
    };
    client.on('notification', (n) => handlers.onNotify(n.payload ?? ''));
    client.on('error', (error) => {
      logger.warn(`${channel} listener lost: ${error.message}; polling until it is back`);
      client.end().catch(() => undefined);
      retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      current = client;
      if (connectedOnce) handlers.onReconnect?.();
      connectedOnce = true;
    } catch (error) {
      logger.warn(`${channel} listener: ${(error as Error).message}; polling until it is back`);
      await client.end().catch(() => undefined);
      retry();
    }
  };
  // The first attempt is awaited, so the owner knows it listens before it reads; later ones run on their own.
  await open();
  return {
    async close() {
      stopped = true;
      await current?.end().catch(() => undefined);
    },
  };
}
