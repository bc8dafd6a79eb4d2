import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP link to an SMTP server that a spec can take down: while down it drops every open
 * connection and resets every new one (the client sees ECONNRESET, as from a host with nothing
 * listening), counting them. One port throughout, so the notifier never learns another address;
 * switching is instant, so no connection falls between two states uncounted.
 */
export interface SmtpOutage {
  readonly url: string;
  /** Drops the open connections; resets new ones until `up()`. */
  down(): void;
  up(): void;
  /** Connections reset while down: each is one send that reached for the server and failed. */
  readonly refusedConnections: number;
  close(): Promise<void>;
}

export async function startSmtpOutage(targetPort: number): Promise<SmtpOutage> {
  const open = new Set<Socket>();
  let isDown = false;
  let refused = 0;
  const server = createServer((client) => {
    if (isDown) {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const [socket, other] of [[client, upstream], [upstream, client]] as const) {
      // SMTP is a chat of short lines: Nagle's algorithm would hold each one back for an ACK.
      socket.setNoDelay(true);
      open.add(socket);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        open.delete(socket);
        other.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    down() {
      isDown = true;
      for (const socket of open) socket.destroy();
    },
    up() {
      isDown = false;
    },
    get refusedConnections() {
      return refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
