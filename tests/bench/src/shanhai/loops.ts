import type { MailSink } from '../mail-sink.js';
import { ProgressBar } from '../progress-bar.js';
import { perSecond, type LatencySummary } from '../stats.js';
import type { ApiClient } from './api-client.js';
import { latencies, Ledger, type SubmissionKind, type TrackedSubmission } from './ledger.js';
import type { Reviewers } from './reviewers.js';
import { draftOne, submitDraft, type Examples } from './submissions.js';

export interface LoopContext {
  readonly api: ApiClient;
  readonly examples: Examples;
  readonly reviewers: Reviewers;
  readonly sink: MailSink;
  /** Active accounts of an organisation (at least 1: its mailbox), from intake's directory. */
  readonly peopleOf: (organisation: string) => number;
  readonly runId: string;
  /** Named in the progress bar, e.g. `workflow=2,notifier=2`. */
  readonly phase: string;
  /** After the last submission, how long the mail may take to be all in. */
  readonly timeoutMs: number;
  /** Emails a submission of each kind causes (learnt in the warm-up), for the progress bar's total. */
  readonly emailsPerKind: Readonly<Record<SubmissionKind, number>>;
}

export interface LoopResult {
  readonly zonePlans: number;
  readonly promotionEvents: number;
  /** One per submission plus one per accepted decision. */
  readonly transitions: number;
  readonly decisions: number;
  /** Decisions answered 409 and retried. */
  readonly conflicts: number;
  readonly emails: number;
  readonly expectedEmails: number;
  /** Emails beyond those expected for a submission (a doubled effect). */
  readonly duplicateEmails: number;
  /** Before the clock: drafts (with attachments) made per second by `concurrency` clients. */
  readonly draftsPerSecond: number | null;
  /** From the first submit to the last submit's answer. */
  readonly submitSeconds: number;
  /** From the first submit to the last decision's answer. */
  readonly transitionSeconds: number;
  /** From the first submit to the last expected email. */
  readonly seconds: number;
  readonly transitionsPerSecond: number | null;
  readonly emailsPerSecond: number | null;
  readonly submitToFirstEmailMs: LatencySummary;
  readonly decisionToEmailMs: LatencySummary;
  readonly submitToLastEmailMs: LatencySummary;
  /** The emails one submission of each kind caused (the loop's first of that kind). */
  readonly emailsPerSubmission: Record<SubmissionKind, number>;
}

export interface OpenLoopResult extends LoopResult {
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  readonly arrivals: number;
  readonly achievedRatePerSecond: number | null;
  /** From the last arrival to the last expected email. */
  readonly drainSeconds: number;
}

const SETTLE_MS = 1000;

/** `n` zone plans and `n` promotion events, drafted beforehand, submitted by `concurrency` clients at once, to the last email. */
export async function closedLoop(ctx: LoopContext, key: string, n: number, concurrency: number): Promise<LoopResult> {
  const kinds = Array.from({ length: 2 * n }, (_, i): SubmissionKind => (i % 2 ? 'promotion_event' : 'zone_plan'));
  const { result } = await runLoop(ctx, key, `closed loop, ${n}+${n}`, kinds, concurrency, async (drafts) => {
    let next = 0;
    const client = async () => {
      while (next < drafts.length) await submitDraft(ctx.api, drafts[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, drafts.length) }, client));
  });
  return result;
}

/** Drafts submitted at a fixed rate (plans and events alternately) whatever the system does, for `duration` seconds, then to the last email. */
export async function openLoop(ctx: LoopContext, rate: number, duration: number, concurrency: number): Promise<OpenLoopResult> {
  const arrivals = Math.max(1, Math.round(rate * duration));
  const kinds = Array.from({ length: arrivals }, (_, i): SubmissionKind => (i % 2 ? 'promotion_event' : 'zone_plan'));
  const starts: number[] = [];
  const { result, ledger } = await runLoop(ctx, 'open', `open loop, ${rate}/s for ${duration} s`, kinds, concurrency, async (drafts) => {
    const t0 = Date.now();
    const submitted: Promise<void>[] = [];
    for (const [i, draft] of drafts.entries()) {
      const wait = t0 + (i * 1000) / rate - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      starts.push(Date.now());
      const one = submitDraft(ctx.api, draft);
      // Promise.all below reports a failure; until it is reached, one must not go unhandled.
      one.catch(() => undefined);
      submitted.push(one);
    }
    await Promise.all(submitted);
  });
  const lastArrival = Math.max(...starts);
  const lastMail = Math.max(...ledger.submissions.flatMap((s) => s.mails.map((m) => m.receivedAt)));
  return {
    ...result,
    ratePerSecond: rate,
    durationSeconds: duration,
    arrivals,
    achievedRatePerSecond: arrivals > 1 ? perSecond(arrivals - 1, lastArrival - Math.min(...starts)) : null,
    drainSeconds: (lastMail - lastArrival) / 1000,
  };
}

async function runLoop(
  ctx: LoopContext,
  key: string,
  title: string,
  kinds: readonly SubmissionKind[],
  concurrency: number,
  schedule: (drafts: readonly TrackedSubmission[]) => Promise<void>,
): Promise<{ result: LoopResult; ledger: Ledger }> {
  const ledger = new Ledger(`BENCH-${ctx.runId}-${key}`, ctx.peopleOf);
  ctx.sink.consume(ledger.onMail);
  ctx.reviewers.watch(ledger);
  const drafts = await draftAll(ctx, ledger, kinds, concurrency, title);
  const submissions = drafts.submissions;
  const total = kinds.reduce((n, k) => n + ctx.emailsPerKind[k], 0);
  const progress = new ProgressBar(`${ctx.phase}: ${title}`, total, 'emails');
  const detail = () => `${ledger.transitions} transitions, ${ledger.submissions.filter((s) => ledger.isComplete(s)).length}/${kinds.length} done`;
  const ticker = setInterval(() => progress.update(ledger.emails, detail(), Math.max(total, ledger.emails)), 200);
  const conflictsBefore = ctx.reviewers.conflicts;
  const started = Date.now();
  try {
    await schedule(submissions);
    const waiting = () => ledger.submissions.filter((s) => !ledger.isComplete(s));
    await ctx.sink.until(
      () => {
        ctx.reviewers.check();
        return waiting().length === 0;
      },
      ctx.timeoutMs,
      () => {
        const late = waiting();
        const lines = late.slice(0, 5).map((s) => `  ${s.tag} (${s.kind} ${s.id}): ${s.decisions.length} decisions, approved: ${s.approvedAt !== null}, ${s.mails.length}/${ledger.expectedEmails(s) ?? '?'} emails`);
        return `every expected email of ${title}: ${late.length} of ${kinds.length} submissions not done\n${lines.join('\n')}`;
      },
    );
    // Anything doubled arrives soon after; stay a moment to see it.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    ctx.sink.drain();
  } finally {
    clearInterval(ticker);
  }
  const subs = ledger.submissions;
  const expected = subs.reduce((n, s) => n + (ledger.expectedEmails(s) ?? 0), 0);
  const lastDecision = Math.max(...subs.flatMap((s) => s.decisions.map((d) => d.answeredAt)));
  const lastExpectedMail = Math.max(...subs.map((s) => [...s.mails].map((m) => m.receivedAt).sort((a, b) => a - b)[(ledger.expectedEmails(s) ?? 1) - 1] ?? 0));
  progress.finish(detail());
  const emails = ledger.emails;
  const emailsOfFirst = (kind: SubmissionKind): number => {
    const first = subs.find((s) => s.kind === kind);
    return first ? (ledger.expectedEmails(first) ?? 0) : 0;
  };
  return {
    ledger,
    result: {
      zonePlans: subs.filter((s) => s.kind === 'zone_plan').length,
      promotionEvents: subs.filter((s) => s.kind === 'promotion_event').length,
      transitions: ledger.transitions,
      decisions: subs.reduce((n, s) => n + s.decisions.length, 0),
      conflicts: ctx.reviewers.conflicts - conflictsBefore,
      emails,
      expectedEmails: expected,
      duplicateEmails: subs.reduce((n, s) => n + Math.max(0, s.mails.length - (ledger.expectedEmails(s) ?? 0)), 0),
      draftsPerSecond: drafts.perSecond,
      submitSeconds: (Math.max(...subs.map((s) => s.submittedAt ?? 0)) - started) / 1000,
      transitionSeconds: (lastDecision - started) / 1000,
      seconds: (lastExpectedMail - started) / 1000,
      transitionsPerSecond: perSecond(ledger.transitions, lastDecision - started),
      emailsPerSecond: perSecond(Math.min(emails, expected), lastExpectedMail - started),
      ...latencies(subs),
      emailsPerSubmission: { zone_plan: emailsOfFirst('zone_plan'), promotion_event: emailsOfFirst('promotion_event') },
    },
  };
}

/** The loop's drafts, made before its clock starts by `concurrency` clients (drafting is no transition). */
async function draftAll(
  ctx: LoopContext,
  ledger: Ledger,
  kinds: readonly SubmissionKind[],
  concurrency: number,
  title: string,
): Promise<{ submissions: TrackedSubmission[]; perSecond: number | null }> {
  const progress = new ProgressBar(`${ctx.phase}: ${title}, drafting`, kinds.length, 'drafts');
  const submissions: TrackedSubmission[] = [];
  const started = Date.now();
  let next = 0;
  const client = async () => {
    while (next < kinds.length) {
      const i = next++;
      submissions[i] = await draftOne(ctx.api, ctx.examples, ledger, kinds[i]!);
      progress.update(submissions.filter(Boolean).length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, kinds.length) }, client));
  progress.finish();
  return { submissions, perSecond: perSecond(kinds.length, Date.now() - started) };
}
