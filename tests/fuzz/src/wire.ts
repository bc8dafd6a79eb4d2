import { Agent, request } from 'node:http';
import type { WireRequest } from './fuzz-case.js';

export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly ms: number;
}

/** No answer within this long is a hang. */
export const REQUEST_TIMEOUT_MS = 10_000;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * Sends the request byte for byte, as `fetch` would not: the path is not normalised (`../`
 * stays), no Content-Type is added, and the body may be chunked. Rejects on a timeout (a hang)
 * or when the connection fails before any answer.
 */
export function send(baseUrl: string, wire: WireRequest): Promise<WireResponse> {
  const url = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...wire.headers };
    // Explicit either way: Node sends a GET's body unframed otherwise, and the server reads it as the next request.
    if (wire.body) headers[wire.chunked ? 'transfer-encoding' : 'content-length'] = wire.chunked ? 'chunked' : String(wire.body.length);
    const req = request({ agent, host: url.hostname, port: url.port, method: wire.method, path: wire.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started });
      });
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms (a hang)`));
    }, REQUEST_TIMEOUT_MS);
    // A server may answer (413, 415) before it has read a large body and close: the answer is what counts.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return setTimeout(() => reject(error), 1000);
      clearTimeout(timer);
      reject(error);
    });
    if (wire.body && wire.chunked) {
      const half = Math.ceil(wire.body.length / 2);
      req.write(wire.body.subarray(0, half));
      req.end(wire.body.subarray(half));
    } else req.end(wire.body);
  });
}

export const closeConnections = (): void => agent.destroy();
