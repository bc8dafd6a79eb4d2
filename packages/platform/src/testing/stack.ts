import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dropDatabase } from '../database/ensure-database.js';
import { deleteQueueKeys, spawnedServiceEnv, testServers, uniqueDatabaseUrl, uniqueQueuePrefix } from './test-config.js';

/** The monorepo root, from packages/platform/{src,dist}/testing/. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The demo accounts' password in a stack. */
export const STACK_PASSWORD = 'e2e-password';

export type ServiceName = 'intake' | 'workflow' | 'notifier';
const services: readonly ServiceName[] = ['intake', 'workflow', 'notifier'];

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * The three built services as separate processes, each with its own database, on one queue
 * prefix and free ports: the system as it runs, not as a test module sees it.
 */
export class Stack {
  readonly urls = {} as Record<ServiceName, string>;
  readonly databases = {} as Record<ServiceName, string>;
  readonly queuePrefix: string;
  private readonly env: Record<string, string> = {};
  private files = '';
  private readonly processes = new Map<ServiceName, ChildProcess>();
  /** Extra processes of a service started by `startReplica`, each on a port of its own. */
  private readonly replicas = new Map<ServiceName, { url: string; child: ChildProcess }[]>();
  private readonly logs = new Map<ServiceName, string[]>();

  /**
   * `settings`: extra environment for every service, e.g. a short claim lease for a crash test.
   * `label` names the databases, the queue prefix and the file store (`e2e`, `fuzz`).
   */
  constructor(
    private readonly smtpUrl: string,
    private readonly settings: Readonly<Record<string, string>> = {},
    private readonly label = 'e2e',
  ) {
    this.queuePrefix = uniqueQueuePrefix(label);
  }

  /** Starts every service, or only those a spec needs (the others stay unmigrated and down). */
  async start(only: readonly ServiceName[] = services): Promise<void> {
    for (const s of services) {
      const port = await freePort();
      this.urls[s] = `http://127.0.0.1:${port}`;
      this.databases[s] = uniqueDatabaseUrl(`${this.label}_${s}`);
      this.env[`${s.toUpperCase()}_PORT`] = String(port);
      this.env[`${s.toUpperCase()}_DATABASE_URL`] = this.databases[s];
    }
    this.files = await mkdtemp(path.join(tmpdir(), `shanhai-${this.label}-files-`));
    Object.assign(this.env, {
      REDIS_URL: testServers.redisUrl,
      QUEUE_PREFIX: this.queuePrefix,
      SMTP_URL: this.smtpUrl,
      LOG_FORMAT: 'json',
      OUTBOX_POLL_MS: '250',
      FILE_STORE_URL: pathToFileURL(this.files).href,
      SEED_PASSWORD: STACK_PASSWORD,
      ...this.settings,
    });
    for (const s of only) await this.run(s, 'migrate.js');
    // The directory and the demo accounts, as `npm start` seeds them.
    if (only.includes('intake')) await this.run('intake', 'seed.js', ['--demo']);
    await Promise.all(only.map((s) => this.startService(s)));
  }

  /** Starts (or restarts) one service and waits until it is healthy. */
  async startService(name: ServiceName): Promise<void> {
    const child = this.spawn(name, 'main.js');
    this.processes.set(name, child);
    await this.healthy(name, child, this.urls[name]);
  }

  /**
   * Starts one more process of a started service on a port of its own: another replica on the
   * same database and queues (competing consumers), as production scales out. Resolves with its URL.
   */
  async startReplica(name: ServiceName): Promise<string> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = this.spawn(name, 'main.js', [], { [`${name.toUpperCase()}_PORT`]: String(port) });
    this.replicas.set(name, [...(this.replicas.get(name) ?? []), { url, child }]);
    await this.healthy(name, child, url);
    return url;
  }

  /** Every process's URL of a service: the first, then its replicas. */
  urlsOf(name: ServiceName): string[] {
    return [this.urls[name], ...(this.replicas.get(name) ?? []).map((r) => r.url)];
  }

  /** The process ids of a service's running processes (e.g. to read their memory). */
  pids(name: ServiceName): number[] {
    const children = [this.processes.get(name), ...(this.replicas.get(name) ?? []).map((r) => r.child)];
    return children.flatMap((c) => (c && !exited(c) && c.pid !== undefined ? [c.pid] : []));
  }

  private async healthy(name: ServiceName, child: ChildProcess, url: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (exited(child)) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${this.log(name)}`);
      const healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
      if (healthy) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${name} did not become healthy:\n${this.log(name)}`);
  }

  /** SIGKILL: no shutdown hooks, no drained workers — a crash. */
  async kill(name: ServiceName): Promise<void> {
    const child = this.processes.get(name);
    if (!child || exited(child)) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  /**
   * SIGTERM, as `npm start` and orchestrators stop a service. Resolves with how it ended: Nest
   * re-raises the signal once its shutdown hooks are done, so a clean stop ends by SIGTERM.
   */
  async stop(name: ServiceName): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.processes.get(name);
    if (child && !exited(child)) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null };
  }

  log(name: ServiceName): string {
    return (this.logs.get(name) ?? []).join('').slice(-4000);
  }

  async close(): Promise<void> {
    const replicas = [...this.replicas.values()].flat().map((r) => r.child).filter((c) => !exited(c));
    await Promise.all(
      replicas.map(async (c) => {
        c.kill('SIGTERM');
        await once(c, 'exit');
      }),
    );
    await Promise.all(services.map((s) => this.stop(s)));
    // E2E_LOG_DIR=…: every service's whole log, e.g. for CI to keep when a spec failed.
    const logDir = spawnedServiceEnv.logDir;
    if (logDir) {
      await mkdir(logDir, { recursive: true });
      await Promise.all(services.map((s) => writeFile(path.join(logDir, `${s}.log`), (this.logs.get(s) ?? []).join(''))));
    }
    await Promise.all(services.map((s) => dropDatabase(this.databases[s])));
    await deleteQueueKeys(this.queuePrefix);
    if (this.files) await rm(this.files, { recursive: true, force: true });
  }

  private spawn(name: ServiceName, script: string, args: string[] = [], env: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, [path.join(root, 'apps', name, 'dist', script), ...args], {
      env: { PATH: spawnedServiceEnv.path, ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = this.logs.get(name) ?? [];
    this.logs.set(name, log);
    child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
    return child;
  }

  private async run(name: ServiceName, script: string, args: string[] = []): Promise<void> {
    const child = this.spawn(name, script, args);
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`${name} ${script} exited with ${code}:\n${this.log(name)}`);
  }
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;
