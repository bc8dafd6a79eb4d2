import type { SubmissionStatus } from '../submission/submission.state.js';

/**
 * The report an investment-promotion event files afterwards (see shared/design/domain.md): the
 * projects signed at the event, each followed as it goes from signed to started to producing.
 */
export const projectStatuses = ['signed', 'started', 'producing'] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export const projectStatusNames: Record<ProjectStatus, string> = { signed: '已签约', started: '已开工', producing: '已投产' };

export interface SignedProject {
  readonly name: string;
  readonly investor: string;
  /** 亿元 (100 million yuan). */
  readonly amountYi: number;
  readonly industry: string;
  readonly status: ProjectStatus;
}

type Outcome<T, C extends string> = ({ readonly ok: true } & T) | { readonly ok: false; readonly code: C; readonly detail: string };

const rank: Record<ProjectStatus, number> = { signed: 0, started: 1, producing: 2 };

/**
 * A project's next status: it stays or moves forward, never back (a project that stopped is
 * reported by leaving it at its last status, not by reopening an earlier one). Skipping a stage is
 * allowed: a report updated once a quarter may first see a project already producing.
 */
export function projectStatus(from: ProjectStatus, to: ProjectStatus): Outcome<{ readonly status: ProjectStatus }, 'PROJECT_STATUS_BACKWARDS'> {
  return rank[to] >= rank[from]
    ? { ok: true, status: to }
    : { ok: false, code: 'PROJECT_STATUS_BACKWARDS', detail: `${from} (${projectStatusNames[from]}) cannot go back to ${to} (${projectStatusNames[to]})` };
}


/** Submitting: the event may be today or later, never in the past. Drafts may hold any date. */
export function eventDateProblem(date: string, today: string): string | undefined {
  return date < today ? `the event date ${date} is in the past (today is ${today}); move it before submitting` : undefined;
}

/**
 * Whether the applicant may file (or update) the report: only for an approved event that is over,
 * i.e. from the day after its date (China time): a report filed on the day would miss the
 * projects signed in the evening session.
 */
export function reportWindow(status: SubmissionStatus, eventDate: string, today: string): Outcome<object, 'REPORT_NOT_OPEN'> {
  if (status !== 'approved') return { ok: false, code: 'REPORT_NOT_OPEN', detail: `the event is ${status}: a report is filed once it is approved and held` };
  if (today <= eventDate) return { ok: false, code: 'REPORT_NOT_OPEN', detail: `the event is on ${eventDate}: its report can be filed from the day after (today is ${today})` };
  return { ok: true };
}

/** The report is due within one month of the event (same day next month, or that month's last day). */
export function reportDueBy(eventDate: string): string {
  const [y, m, d] = eventDate.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** The sum in 亿元, exact to the 万元 (0.0001 亿元) the amounts are given in: no binary rounding drift. */
export function totalAmountYi(projects: readonly Pick<SignedProject, 'amountYi'>[]): number {
  return projects.reduce((sum, p) => sum + Math.round(p.amountYi * 10_000), 0) / 10_000;
}

export interface BackwardProject {
  /** Index in the new list. */
  readonly index: number;
  readonly name: string;
  readonly from: ProjectStatus;
  readonly to: ProjectStatus;
  readonly detail: string;
}

export type ReportRevision =
  | { readonly ok: true; readonly totalAmountYi: number }
  | { readonly ok: false; readonly code: 'PROJECT_STATUS_BACKWARDS'; readonly detail: string; readonly backward: readonly BackwardProject[] };

/**
 * A new project list replacing the filed one. Projects are matched by name; a matched project may
 * only keep or advance its status. New projects may appear and listed ones may be dropped (a
 * signing that fell through). Refuses with every project that moved back.
 */
export function reviseReport(previous: readonly SignedProject[], next: readonly SignedProject[]): ReportRevision {
  const before = new Map(previous.map((p) => [p.name, p.status]));
  const backward = next.flatMap((p, index): BackwardProject[] => {
    const from = before.get(p.name);
    if (from === undefined) return [];
    const moved = projectStatus(from, p.status);
    return moved.ok ? [] : [{ index, name: p.name, from, to: p.status, detail: moved.detail }];
  });
  if (backward.length) {
    return { ok: false, code: 'PROJECT_STATUS_BACKWARDS', detail: `status moved back for ${backward.map((b) => b.name).join(', ')}`, backward };
  }
  return { ok: true, totalAmountYi: totalAmountYi(next) };
}
