import { UnexpectedReply, type ApiClient } from './api-client.js';
import type { Ledger } from './ledger.js';

interface PendingTask {
  id: string;
  submissionId: string;
  step: { index: number; name: string };
  organisation: { code: string };
}

const PAGE = 200;
/** Decision requests at once, at most (like reviewers, each sends one and waits for its answer); the rest wait their turn. */
const DECISIONS_AT_ONCE = 16;

/**
 * The reviewers, all at their desks: every `pollMs` one look at the pending tasks (as the admin,
 * who sees every organisation's list; one poller instead of one per organisation keeps the
 * polling load small), and each new task of the loop's submissions approved at once by the demo
 * account of the organisation it is assigned to.
 */
export class Reviewers {
  private ledger: Ledger | null = null;
  /** Tasks taken from the list and not yet answered (waiting their turn, or sent). */
  private readonly inFlight = new Set<string>();
  private sending = 0;
  private readonly turns: (() => void)[] = [];
  private readonly decided = new Set<string>();
  private running: Promise<void> | null = null;
  private stopping = false;
  private failure: unknown = null;
  /** Decisions answered 409 (someone decided first, or the instance moved): retried on a later look. */
  conflicts = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly pollMs: number,
  ) {}

  /** From now on, the tasks of `ledger`'s submissions are decided. */
  watch(ledger: Ledger): void {
    this.ledger = ledger;
  }

  start(): void {
    this.stopping = false;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    this.running = null;
  }

  /** Throws what went wrong in the background, if anything did. */
  check(): void {
    if (this.failure instanceof Error) throw this.failure;
    if (this.failure) throw new Error(`the reviewers failed: ${JSON.stringify(this.failure)}`);
  }

  private async loop(): Promise<void> {
    while (!this.stopping && !this.failure) {
      try {
        for (const task of await this.pending()) {
          if (this.inFlight.has(task.id) || this.decided.has(task.id)) continue;
          const submission = this.ledger?.find(task.submissionId);
          if (!submission) continue;
          submission.tasks.set(task.id, { stepIndex: task.step.index, stepName: task.step.name, organisation: task.organisation.code });
          this.inFlight.add(task.id);
          this.decide(task).catch((error: unknown) => (this.failure ??= error));
        }
      } catch (error) {
        this.failure ??= error;
      }
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
    while (this.inFlight.size) await new Promise((r) => setTimeout(r, 20));
  }

  private async pending(): Promise<PendingTask[]> {
    const tasks: PendingTask[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const { body } = await this.api.call<{ items: PendingTask[]; total: number }>('workflow', 'GET', `/tasks?status=pending&limit=${PAGE}&offset=${offset}`, { as: 'admin' });
      tasks.push(...body.items);
      if (body.items.length < PAGE) return tasks;
    }
  }

  private async decide(task: PendingTask): Promise<void> {
    const submission = this.ledger?.find(task.submissionId);
    // A turn is handed over by the request that ends, with its place in `sending`.
    if (this.sending < DECISIONS_AT_ONCE) this.sending += 1;
    else await new Promise<void>((r) => this.turns.push(r));
    try {
      const sentAt = Date.now();
      const { body } = await this.api.call<{ status: string }>('workflow', 'POST', `/tasks/${task.id}/decisions`, {
        body: { outcome: 'approve', opinion: '同意（基准测试）' },
        as: task.organisation.code,
        expect: [200],
      });
      this.decided.add(task.id);
      if (!submission) return;
      const answeredAt = Date.now();
      submission.decisions.push({ taskId: task.id, stepIndex: task.step.index, sentAt, answeredAt });
      if (body.status === 'approved') submission.approvedAt = answeredAt;
    } catch (error) {
      if (!(error instanceof UnexpectedReply && error.status === 409)) throw error;
      this.conflicts += 1;
    } finally {
      const next = this.turns.shift();
      if (next) next();
      else this.sending -= 1;
      this.inFlight.delete(task.id);
    }
  }
}
