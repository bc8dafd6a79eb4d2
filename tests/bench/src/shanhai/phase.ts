import { describeReplicas, type BenchOptions, type Replicas, type ServiceName } from '../bench.options.js';
import type { MailSink } from '../mail-sink.js';
import { ApiClient } from './api-client.js';
import { loadPeopleOf } from './directory.js';
import type { SubmissionKind } from './ledger.js';
import { closedLoop, openLoop, type LoopContext, type LoopResult, type OpenLoopResult } from './loops.js';
import { Reviewers } from './reviewers.js';
import { APPLICANT, loadExamples } from './submissions.js';
import { RunningSystem } from './system.js';

export interface PhaseResult {
  readonly replicas: Replicas;
  readonly label: string;
  /** Emails one submission of each kind caused in the warm-up (checked against the directory). */
  readonly emailsPerSubmission: Record<SubmissionKind, number>;
  readonly closedLoop: LoopResult;
  readonly openLoop: OpenLoopResult | null;
  /** Emails per second the notifier may send over all its processes (BullMQ's limiter, NOTIFIER_RATE_LIMIT_PER_SECOND), as it said at boot. */
  readonly notifierSendLimitPerSecond: number | null;
  /** Peak resident memory of each service over the whole phase, the largest of its processes. */
  readonly peakRssMb: Record<ServiceName, number>;
}

const REVIEWERS = ['lishui-commerce', 'zj-commerce', 'zj-nr', 'zj-drc', 'zj-eco', 'zj-gov', 'zj-gov-office', 'zj-commerce-office'];

/** One configuration of processes, started fresh: a warm-up, the closed loop, then the open loop. */
export async function runPhase(options: BenchOptions, sink: MailSink, replicas: Replicas, runId: string): Promise<PhaseResult> {
  const label = describeReplicas(replicas);
  process.stderr.write(`${label}: starting the services (migrate, seed, ${replicas.intake + replicas.workflow + replicas.notifier} processes)…\n`);
  const system = await RunningSystem.start(sink.smtpUrl, replicas, options.settings);
  const api = new ApiClient({ intake: system.urlsOf('intake'), workflow: system.urlsOf('workflow') });
  const reviewers = new Reviewers(api, options.pollMs);
  const notifierSendLimitPerSecond = system.notifierSendLimit();
  try {
    // Signed in before the clock starts, as people at their desks are.
    await Promise.all(['admin', APPLICANT, ...REVIEWERS].map((u) => api.token(u)));
    const [examples, peopleOf] = await Promise.all([loadExamples(api), loadPeopleOf(api)]);
    reviewers.start();
    const context = (emailsPerKind: Record<SubmissionKind, number>): LoopContext => ({
      api,
      examples,
      reviewers,
      sink,
      peopleOf,
      runId,
      phase: label,
      timeoutMs: options.timeoutSeconds * 1000,
      emailsPerKind,
    });

    // The warm-up: one of each kind, through the whole chain, not measured; it must bring exactly the emails the directory says.
    // (16 and 7 with the demo directory: only the progress bar's total until the warm-up has counted.)
    const warm = await closedLoop(context({ zone_plan: 16, promotion_event: 7 }), 'warmup', 1, 2);
    if (warm.emails !== warm.expectedEmails) throw new Error(`warm-up: ${warm.emails} emails arrived, ${warm.expectedEmails} expected`);
    const perKind = warm.emailsPerSubmission;
    const ctx = context(perKind);
    const closed = await closedLoop(ctx, 'closed', options.n, options.concurrency);
    const open = options.duration > 0 ? await openLoop(ctx, options.rate, options.duration, options.concurrency) : null;
    return { replicas, label, emailsPerSubmission: perKind, notifierSendLimitPerSecond, closedLoop: closed, openLoop: open, peakRssMb: system.peakRssMb() };
  } catch (error) {
    process.stderr.write(`\n${label}: failed; the end of each service's log:\n${system.logs()}\n`);
    throw error;
  } finally {
    await reviewers.stop();
    sink.consume(null);
    await system.close();
  }
}
