import { startMailInbox, type MailInbox } from '@shanhai/mail-inbox';
import { STACK_PASSWORD, Stack } from '@shanhai/platform/testing';
import type { FuzzContext } from './fuzz-case.js';
import { operationsOf, type Operation, type ServiceName } from './operations.js';
import { takeCensus, type Census } from './table-census.js';

export const SERVICES: readonly ServiceName[] = ['intake', 'workflow', 'notifier'];
/** The demo accounts the fuzzer signs in as, one per role. */
const ACCOUNTS = { applicant: 'qingyuan', reviewer: 'zj-commerce', admin: 'admin' } as const;

/** The three built services on free ports with databases of their own, and an in-process inbox for their mail. */
export class FuzzedSystem {
  private constructor(
    readonly stack: Stack,
    private readonly inbox: MailInbox,
  ) {}

  static async start(): Promise<FuzzedSystem> {
    const inbox = await startMailInbox({ httpPort: null });
    const stack = new Stack(inbox.smtpUrl, {}, 'fuzz');
    try {
      await stack.start();
    } catch (error) {
      await stack.close().catch(() => undefined);
      await inbox.close();
      throw error;
    }
    return new FuzzedSystem(stack, inbox);
  }

  /** Every operation each service documents in its own OpenAPI document, as it serves it. */
  async operations(): Promise<Operation[]> {
    const documents = await Promise.all(SERVICES.map(async (s) => operationsOf(s, await this.json(s, 'GET', '/docs-json'))));
    return documents.flat();
  }

  /**
   * Signs in as an applicant, a reviewer and an admin, and makes rows for paths to name: a draft
   * plan and a draft event (from the documented examples) and the directory's users.
   */
  async context(operations: readonly Operation[]): Promise<FuzzContext> {
    const signIn = async (username: string): Promise<string> =>
      (await this.json<{ accessToken: string }>('intake', 'POST', '/auth/login', { body: { username, password: STACK_PASSWORD } })).accessToken;
    const tokens = { applicant: await signIn(ACCOUNTS.applicant), reviewer: await signIn(ACCOUNTS.reviewer), admin: await signIn(ACCOUNTS.admin) };
    const example = (path: string): unknown => operations.find((o) => o.service === 'intake' && o.method === 'POST' && o.path === path)?.body?.examples[0];
    const draft = async (path: string): Promise<string[]> => {
      const created = await this.json<{ id?: string }>('intake', 'POST', path, { body: example(path), token: tokens.applicant }).catch(() => ({ id: undefined }));
      return created.id ? [created.id] : [];
    };
    // The example plan names a paired zone: pair the applicant's county with it first, as an admin would.
    const pairing = (example('/zone-plans') as { pairedZoneCode?: string } | undefined)?.pairedZoneCode;
    if (pairing) await this.json('intake', 'PUT', `/directory/pairings/${ACCOUNTS.applicant}/${pairing}`, { body: { note: 'fuzz: paired for the example plan' }, token: tokens.admin }).catch(() => undefined);
    const users = await this.json<{ items: { id: string }[] }>('intake', 'GET', '/directory/users?limit=5', { token: tokens.admin });
    const knownIds = [...(await draft('/zone-plans')), ...(await draft('/promotion-events')), ...users.items.map((u) => u.id)];
    return { operations, tokens, knownIds };
  }

  /** Every table of every service's database; once nothing moves any more (the setup's messages relayed). */
  async settledCensus(timeoutMs = 30_000): Promise<Record<ServiceName, Census>> {
    let last = await this.census();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const next = await this.census();
      if (JSON.stringify(next) === JSON.stringify(last)) return next;
      last = next;
    }
    return last;
  }

  private async census(): Promise<Record<ServiceName, Census>> {
    const entries = await Promise.all(SERVICES.map(async (s) => [s, await takeCensus(this.stack.databases[s])] as const));
    return Object.fromEntries(entries) as Record<ServiceName, Census>;
  }

  log(service: ServiceName): string {
    return this.stack.log(service);
  }

  async close(): Promise<void> {
    await this.stack.close();
    await this.inbox.close();
  }

  private async json<T>(service: ServiceName, method: string, path: string, options: { body?: unknown; token?: string } = {}): Promise<T> {
    const response = await fetch(`${this.stack.urls[service]}${path}`, {
      method,
      headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (!response.ok) throw new Error(`${service} ${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
}
