// Is Redis there, is PostgreSQL there? Checked before anything starts, so a missing server is one
// clear line instead of three services crash-looping. node: built-ins only; `pg` is handed in by
// the caller once it is installed.
import net from 'node:net';
import tls from 'node:tls';

import { withTimeout } from './util.mjs';

const REDIS_TIMEOUT_MS = 3_000;
const POSTGRES_TIMEOUT_MS = 5_000;

/** Speaks just enough RESP for AUTH and PING, so the check needs no client library. */
export async function checkRedis(urlText) {
  const url = new URL(urlText);
  const secure = url.protocol === 'rediss:';
  const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(url.port) || 6379;
  const commands = [...authCommand(url), ['PING']];

  return withTimeout(REDIS_TIMEOUT_MS, (resolve, reject) => {
    const socket = secure
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host })
      : net.connect({ host, port });
    const replies = [];
    let buffered = '';
    const finish = (error) => {
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      socket.write(commands.map(encodeRespCommand).join(''));
    });
    socket.on('data', (data) => {
      buffered += data.toString('utf8');
      let end;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        replies.push(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
      }
      // Every reply expected here is one line: +OK, +PONG or -ERROR text.
      const refused = replies.find((reply) => reply.startsWith('-'));
      if (refused) return finish(new Error(refused.slice(1)));
      if (replies.length < commands.length) return;
      const pong = replies[commands.length - 1];
      finish(pong === '+PONG' ? undefined : new Error(`unexpected answer to PING: ${pong}`));
    });
    socket.on('error', finish);
    socket.on('close', () => finish(new Error('connection closed before PONG')));
  });
}

/** `redis://:pass@…` → AUTH pass; `redis://user:pass@…` → AUTH user pass (Redis 6 ACL). */
function authCommand(url) {
  if (!url.password) return [];
  const password = decodeURIComponent(url.password);
  return [url.username ? ['AUTH', decodeURIComponent(url.username), password] : ['AUTH', password]];
}

function encodeRespCommand(parts) {
  return `*${parts.length}\r\n` + parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('');
}

/** Connects to the server's `postgres` database and runs `select 1`. */
export async function checkPostgres(urlText, pg) {
  // The service's own database may not exist yet (its migration creates it): ask the server.
  const url = new URL(urlText);
  url.pathname = '/postgres';
  const client = new pg.Client({
    connectionString: url.href,
    connectionTimeoutMillis: POSTGRES_TIMEOUT_MS,
    query_timeout: POSTGRES_TIMEOUT_MS,
  });
  client.on('error', () => undefined); // a late socket error after the verdict changes nothing
  try {
    await withTimeout(POSTGRES_TIMEOUT_MS, (resolve, reject) => {
      client.connect().then(() => client.query('select 1')).then(resolve, reject);
    });
  } finally {
    client.end().catch(() => undefined);
  }
}

/** The one line printed when a server is missing. */
export function unreachableMessage(what, url, error, variable) {
  return `${what} is not reachable at ${withoutPassword(url)} (${describeError(error)}). ` +
    `Start it with \`docker compose up -d\` or set ${variable}.`;
}

/** `connect ECONNREFUSED` rather than a list of addresses; the URL is printed next to it anyway. */
function describeError(error) {
  const inner = error?.errors?.[0] ?? error; // Node's dual-stack connect throws an AggregateError
  if (inner?.syscall && inner?.code) return `${inner.syscall} ${inner.code}`;
  const text = inner?.message || inner?.code || String(inner);
  return text.replace(/\.$/, ''); // the sentence around it brings its own full stop
}

function withoutPassword(urlText) {
  try {
    const url = new URL(urlText);
    if (url.password) url.password = '***';
    return url.href.replace(/\/$/, '');
  } catch {
    return urlText;
  }
}
