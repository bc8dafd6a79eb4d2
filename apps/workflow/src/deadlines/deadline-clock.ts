import {
  CalendarMissingError,
  chinaDate,
  COMMITTED_CLOCK,
  dueOn as dueOfSpan,
  extendDue,
  remainingDays,
  resumeClock,
  startClock,
  type ApprovalDefinition,
  type ClockEvent,
  type ClockRef,
  type InstanceEvent,
  type WorkingDays,
} from '@shanhai/domain';
/** `resumed`: stopped by a return, and carried on by the step's next round (`resumedFromRound` there). */
export type DeadlineStatus = 'running' | 'paused' | 'resumed' | 'done' | 'closed';

/** A clock as the follower needs to see it (a row of `deadlines`, see instances/deadline.entity.ts). Dates are China dates. */
export interface ClockRow {
  readonly clock: 'step' | 'committed';
  readonly step: number;
  readonly round: number;
  status: DeadlineStatus;
  readonly startedOn: string;
  readonly budgetDays: number | null;
  readonly extendedDays: number;
  readonly dueOn: string | null;
  readonly pausedOn: string | null;
  readonly remainingDays: number | null;
  readonly resumedFromRound: number | null;
}

export interface Followed {
  /** The decided events, in order, each followed by what it did to the clocks. */
  readonly events: InstanceEvent[];
  /** The years a due date needed and had no calendar for: admins are told. */
  readonly missingYears: number[];
}

const key = (ref: Pick<ClockRef, 'step' | 'round'>): string => `${ref.step}/${ref.round}`;

/** Runs `compute`, or says why it cannot be: a year without a calendar is a null due date and a problem, never a guess. */
function attempt<T>(compute: () => T, missing: Set<number>): { value: T | null; problem?: string } {
  try {
    return { value: compute() };
  } catch (error) {
    if (!(error instanceof CalendarMissingError)) throw error;
    missing.add(error.year);
    return { value: null, problem: error.message };
  }
}

/**
 * What the decided events do to the clocks, as the events that record it (clock.events.ts): a step
 * entered starts its limit, or resumes it with what its returned round left; a return pauses the
 * step's clock and the committed one; a resubmission resumes the committed clock; an extension gets
 * its new due date. Decisions close clocks without an event of their own (the projector closes the
 * rows). `open` is the instance's clocks before the events; pure, so its spec needs no database.
 */
export function followClocks(decided: readonly InstanceEvent[], definition: ApprovalDefinition, days: WorkingDays, open: readonly ClockRow[]): Followed {
  const rows = new Map(open.map((r) => [key(r), { ...r }]));
  const missing = new Set<number>();
  const events: InstanceEvent[] = [];
  let resuming: number | undefined;
  const committed = () => rows.get(key(COMMITTED_CLOCK));
  const emit = (event: ClockEvent) => {
    events.push(event);
    track(rows, event);
  };
  for (const event of decided) {
    const on = chinaDate(event.at);
    if (event.type === 'deadline_extended') {
      const row = rows.get(key(event));
      const due = row?.dueOn ? attempt(() => extendDue(days, row.dueOn!, event.days), missing).value : null;
      events.push({ ...event, dueOn: due });
      if (row) Object.assign(row, { extendedDays: row.extendedDays + event.days, dueOn: due });
      continue;
    }
    events.push(event);
    switch (event.type) {
      case 'started': {
        const limit = definition.committedLimitBusinessDays;
        if (limit) emit({ type: 'deadline_set', ...COMMITTED_CLOCK, limitDays: limit, startedOn: on, ...due(() => startClock(days, on, limit), missing), at: event.at });
        break;
      }
      case 'resubmitted': {
        resuming = event.step;
        const row = committed();
        if (row?.status === 'paused') emit(resumed(COMMITTED_CLOCK, 0, row.remainingDays, on, days, missing, event.at));
        break;
      }
      case 'step_assigned': {
        const limit = definition.steps[event.step]?.timeLimitBusinessDays;
        if (!limit) break;
        const ref = { clock: 'step', step: event.step, round: event.round } as const;
        const paused = resuming === event.step ? [...rows.values()].filter((r) => r.clock === 'step' && r.step === event.step && r.status === 'paused').sort((a, b) => b.round - a.round)[0] : undefined;
        if (paused) emit(resumed(ref, paused.round, paused.remainingDays, on, days, missing, event.at));
        else emit({ type: 'deadline_set', ...ref, limitDays: limit, startedOn: on, ...due(() => startClock(days, on, limit), missing), at: event.at });
        break;
      }
      case 'returned':
        for (const row of [rows.get(key(event)), committed()]) {
          if (row?.status !== 'running') continue;
          const left = row.dueOn ? attempt(() => remainingDays(days, on, row.dueOn!), missing).value : null;
          emit({ type: 'clock_paused', clock: row.clock, step: row.step, round: row.round, pausedOn: on, remainingDays: left, at: event.at });
        }
        break;
      default:
        break;
    }
  }
  return { events, missingYears: [...missing].sort() };
}

const due = (compute: () => string, missing: Set<number>): { dueOn: string | null; problem?: string } => {
  const { value, problem } = attempt(compute, missing);
  return { dueOn: value, ...(problem ? { problem } : {}) };
};

function resumed(ref: ClockRef, fromRound: number, left: number | null, on: string, days: WorkingDays, missing: Set<number>, at: Date): ClockEvent {
  const next = left === null ? { dueOn: null, problem: 'the working days left are not known until the calendar they fell in is loaded' } : due(() => resumeClock(days, on, left), missing);
  return { type: 'clock_resumed', ...ref, resumedOn: on, fromRound, remainingDays: left, ...next, at };
}

/** Keeps the follower's view of the rows in step with the events it emits. */
function track(rows: Map<string, ClockRow>, event: ClockEvent): void {
  const row = rows.get(key(event));
  switch (event.type) {
    case 'deadline_set':
      rows.set(key(event), { clock: event.clock, step: event.step, round: event.round, status: 'running', startedOn: event.startedOn, budgetDays: event.limitDays, extendedDays: 0, dueOn: event.dueOn, pausedOn: null, remainingDays: null, resumedFromRound: null });
      break;
    case 'clock_paused':
      if (row) Object.assign(row, { status: 'paused', pausedOn: event.pausedOn, remainingDays: event.remainingDays });
      break;
    case 'clock_resumed': {
      const from = rows.get(key({ step: event.step, round: event.fromRound }));
      if (from && event.clock === 'step') from.status = 'resumed';
      const next = { startedOn: event.resumedOn, budgetDays: event.remainingDays, extendedDays: 0, dueOn: event.dueOn, pausedOn: null, remainingDays: null };
      if (event.clock === 'committed' && row) Object.assign(row, { status: 'running', ...next });
      else rows.set(key(event), { clock: event.clock, step: event.step, round: event.round, status: 'running', ...next, resumedFromRound: event.fromRound });
      break;
    }
    case 'deadline_recomputed':
      break;
  }
}

/**
 * The open clocks of one instance computed again after `year`'s calendar changed: those without a
 * due date, those due in or after that year, and rounds whose days left were unknown. A resumed
 * round with an unknown budget takes what its earlier round is now known to have left. Only the
 * clocks whose numbers changed get an event.
 */
export function recomputeClocks(all: readonly ClockRow[], year: number, days: WorkingDays, at: Date): { events: ClockEvent[]; missingYears: number[] } {
  const rows = all.map((r) => ({ ...r })).sort((a, b) => a.step - b.step || a.round - b.round);
  const missing = new Set<number>();
  const events: ClockEvent[] = [];
  for (const row of rows) {
    const open = row.status === 'running' || row.status === 'paused';
    const affected = (open && (row.dueOn === null || row.dueOn >= `${year}-01-01`)) || (row.status === 'resumed' && row.remainingDays === null);
    if (!affected) continue;
    const before = rows.find((r) => r.clock === row.clock && r.step === row.step && r.round === row.resumedFromRound);
    const budget = row.budgetDays ?? (before ? before.remainingDays : null);
    if (budget === null) continue;
    const next = due(() => dueOfSpan(days, { startedOn: row.startedOn, budgetDays: budget, extendedDays: row.extendedDays }), missing);
    const left = row.pausedOn && next.dueOn ? attempt(() => remainingDays(days, row.pausedOn!, next.dueOn!), missing).value : row.pausedOn ? null : undefined;
    if (next.dueOn === row.dueOn && budget === row.budgetDays && (left === undefined || left === row.remainingDays)) continue;
    events.push({
      type: 'deadline_recomputed',
      clock: row.clock,
      step: row.step,
      round: row.round,
      year,
      previousDueOn: row.dueOn,
      ...next,
      ...(budget !== row.budgetDays ? { budgetDays: budget } : {}),
      ...(left !== undefined ? { remainingDays: left } : {}),
      at,
    });
    Object.assign(row, { dueOn: next.dueOn, budgetDays: budget, ...(left !== undefined ? { remainingDays: left } : {}) });
  }
  return { events, missingYears: [...missing].sort() };
}
