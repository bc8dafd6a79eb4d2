import type { SinkMail } from '../mail-sink.js';
import { summarise, type LatencySummary } from '../stats.js';

export type SubmissionKind = 'zone_plan' | 'promotion_event';

/**
 * Who hears of a decision besides the applicant: the paired advanced zone (柯桥) and the city's
 * commerce bureau (丽水), as intake names them for Qingyuan's submissions.
 */
export const STAKEHOLDERS = 2;

/** A task as the reviewers saw it on their work list. */
export interface SeenTask {
  readonly stepIndex: number;
  readonly stepName: string;
  readonly organisation: string;
}

export interface SentDecision {
  readonly taskId: string;
  readonly stepIndex: number;
  /** Epoch ms when the request left, and when its 200 came back. */
  readonly sentAt: number;
  readonly answeredAt: number;
}

/** One submission through the chain: what the bench did to it and what the sink received for it. */
export class TrackedSubmission {
  id: string | null = null;
  submitSentAt: number | null = null;
  /** When the submit request answered 200. */
  submittedAt: number | null = null;
  /** When the decision that approved it answered. */
  approvedAt: number | null = null;
  readonly tasks = new Map<string, SeenTask>();
  readonly decisions: SentDecision[] = [];
  readonly mails: SinkMail[] = [];

  constructor(
    readonly tag: string,
    readonly kind: SubmissionKind,
  ) {}

  /** One per submission plus one per accepted decision. */
  get transitions(): number {
    return (this.submitSentAt === null ? 0 : 1) + this.decisions.length;
  }
}

/** What an email announces, read from its subject: the submission approved, or a step entered (by its name). */
export type MailStage = { readonly kind: 'approved' } | { readonly kind: 'step'; readonly name: string } | null;

export function mailStage(subject: string): MailStage {
  if (subject.startsWith('【已批准】')) return { kind: 'approved' };
  const progress = /^【进度】.*已进入(.+)$/.exec(subject);
  if (progress) return { kind: 'step', name: progress[1]!.trim() };
  const assigned = /^【待审】.*（([^（）]+)）$/.exec(subject);
  if (assigned) return { kind: 'step', name: assigned[1]!.trim() };
  return null;
}

const TAG = /BENCH-[a-z0-9]+-[a-z]+-\d+/;

/**
 * The submissions of one loop, each named by a tag in its title (and so in every email's subject),
 * and the emails the sink received for them.
 */
export class Ledger {
  readonly submissions: TrackedSubmission[] = [];
  private readonly byTag = new Map<string, TrackedSubmission>();
  private readonly byId = new Map<string, TrackedSubmission>();
  /** Emails for none of this loop's submissions (e.g. a straggler of the loop before). */
  others = 0;

  constructor(
    private readonly prefix: string,
    private readonly peopleOf: (organisation: string) => number,
  ) {
    if (!TAG.test(`${prefix}-0`)) throw new Error(`a ledger prefix looks like BENCH-<run>-<loop>, not ${prefix}`);
  }

  create(kind: SubmissionKind): TrackedSubmission {
    const submission = new TrackedSubmission(`${this.prefix}-${String(this.submissions.length + 1).padStart(4, '0')}`, kind);
    this.submissions.push(submission);
    this.byTag.set(submission.tag, submission);
    return submission;
  }

  identify(submission: TrackedSubmission, id: string): void {
    submission.id = id;
    this.byId.set(id, submission);
  }

  find(submissionId: string): TrackedSubmission | undefined {
    return this.byId.get(submissionId);
  }

  readonly onMail = (mail: SinkMail): void => {
    const tag = TAG.exec(mail.subject)?.[0];
    const submission = tag ? this.byTag.get(tag) : undefined;
    if (submission) submission.mails.push(mail);
    else this.others += 1;
  };

  /**
   * The emails an approved submission must have caused: each task's organisation's people (its
   * mailbox when it has none), the applicant once per step entered and once for the approval,
   * and the stakeholders. Null until the submission is approved (its tasks are not all known).
   */
  expectedEmails(s: TrackedSubmission): number | null {
    if (s.approvedAt === null) return null;
    const tasks = [...s.tasks.values()];
    const steps = new Set(tasks.map((t) => t.stepIndex)).size;
    return tasks.reduce((n, t) => n + this.peopleOf(t.organisation), 0) + steps + 1 + STAKEHOLDERS;
  }

  isComplete(s: TrackedSubmission): boolean {
    const expected = this.expectedEmails(s);
    return expected !== null && s.mails.length >= expected;
  }

  get emails(): number {
    return this.submissions.reduce((n, s) => n + s.mails.length, 0);
  }

  get transitions(): number {
    return this.submissions.reduce((n, s) => n + s.transitions, 0);
  }
}

export interface Latencies {
  /** From the submit request leaving to the first email of the submission arriving. */
  readonly submitToFirstEmailMs: LatencySummary;
  /** From the last decision of a step leaving to the first email announcing what follows (the next step entered, or the approval). */
  readonly decisionToEmailMs: LatencySummary;
  /** From the submit request leaving to the last expected email of the submission arriving. */
  readonly submitToLastEmailMs: LatencySummary;
}

export function latencies(submissions: readonly TrackedSubmission[]): Latencies {
  const first: number[] = [];
  const decision: number[] = [];
  const last: number[] = [];
  for (const s of submissions) {
    if (s.submitSentAt === null || !s.mails.length) continue;
    const arrivals = s.mails.map((m) => m.receivedAt);
    first.push(Math.min(...arrivals) - s.submitSentAt);
    last.push(Math.max(...arrivals) - s.submitSentAt);
    decision.push(...decisionToEmail(s));
  }
  return { submitToFirstEmailMs: summarise(first), decisionToEmailMs: summarise(decision), submitToLastEmailMs: summarise(last) };
}

/** Per decided step: its last decision's departure to the first email that announces the next stage. */
export function decisionToEmail(s: TrackedSubmission): number[] {
  const indexOf = new Map([...s.tasks.values()].map((t) => [t.stepName, t.stepIndex]));
  const lastStep = Math.max(...[...s.tasks.values()].map((t) => t.stepIndex));
  const stageOf = (mail: SinkMail): number | 'approved' | null => {
    const stage = mailStage(mail.subject);
    if (!stage) return null;
    return stage.kind === 'approved' ? 'approved' : (indexOf.get(stage.name) ?? null);
  };
  const byStep = new Map<number, number>();
  for (const d of s.decisions) byStep.set(d.stepIndex, Math.max(byStep.get(d.stepIndex) ?? 0, d.sentAt));
  const result: number[] = [];
  for (const [step, sentAt] of [...byStep].sort((a, b) => a[0] - b[0])) {
    const next = step === lastStep ? 'approved' : step + 1;
    const announced = s.mails.filter((m) => stageOf(m) === next).map((m) => m.receivedAt);
    if (announced.length) result.push(Math.min(...announced) - sentAt);
  }
  return result;
}
