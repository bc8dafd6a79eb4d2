import { STACK_PASSWORD } from '@shanhai/platform/testing';

/** The services a client talks to over HTTP (the notifier is only watched through the mail). */
export type HttpService = 'intake' | 'workflow';

export interface Reply<T> {
  readonly status: number;
  readonly body: T;
}

/** A request the bench did not expect to fail, with what the service said. */
export class UnexpectedReply extends Error {
  constructor(
    readonly status: number,
    what: string,
    text: string,
  ) {
    super(`${what} answered ${status}: ${text.slice(0, 500)}`);
  }
}

const REQUEST_TIMEOUT_MS = 60_000;

/**
 * HTTP to the services as a client would, spread round-robin over each service's processes,
 * with the seeded demo accounts signed in once each.
 */
export class ApiClient {
  private readonly next: Record<HttpService, number> = { intake: 0, workflow: 0 };
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(private readonly urls: Readonly<Record<HttpService, readonly string[]>>) {}

  private base(service: HttpService): string {
    const urls = this.urls[service];
    this.next[service] = (this.next[service] + 1) % urls.length;
    return urls[this.next[service]]!;
  }

  /** Sends; throws UnexpectedReply unless the status is one of `expect`. */
  async call<T>(service: HttpService, method: string, path: string, options: { body?: unknown; as?: string; expect?: readonly number[] } = {}): Promise<Reply<T>> {
    const token = options.as ? await this.token(options.as) : undefined;
    return this.send<T>(service, method, path, options.body, token, options.expect ?? [200, 201]);
  }

  /** A seeded account's access token, signed in once (the bench's services issue them for an hour). */
  token(username: string): Promise<string> {
    let token = this.tokens.get(username);
    if (!token) {
      token = this.send<{ accessToken: string }>('intake', 'POST', '/auth/login', { username, password: STACK_PASSWORD }, undefined, [200]).then((r) => r.body.accessToken);
      void token.catch(() => this.tokens.delete(username));
      this.tokens.set(username, token);
    }
    return token;
  }

  private async send<T>(service: HttpService, method: string, path: string, body: unknown, token: string | undefined, expect: readonly number[]): Promise<Reply<T>> {
    const form = body instanceof FormData;
    const response = await fetch(`${this.base(service)}${path}`, {
      method,
      headers: { ...(form || body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!expect.includes(response.status)) throw new UnexpectedReply(response.status, `${method} ${service}${path}`, text);
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }
}
