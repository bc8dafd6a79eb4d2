import type { DeadlineTimerKind } from '@shanhai/contracts';
import type { ClockEvent, InstanceEvent, WorkingDays } from '@shanhai/domain';

/**
 * When a step's clock reminds and escalates (ADR 0015), pure over the calendar. Each timer is
 * named by its clock and its due date, so a new due date (a resumed round, an extension, a
 * recompute) is a new timer, and the old one, finding the row due on another day, does nothing.
 */
export interface TimedClock {
  readonly instanceId: string;
  readonly step: number;
  readonly round: number;
  /** The day the clock started or resumed on: a reminder due before it is not sent. */
  readonly startedOn: string;
  readonly dueOn: string;
}

export interface PlannedTimer {
  readonly kind: DeadlineTimerKind;
  readonly fireAt: Date;
  readonly jobId: string;
}

/** Reminders go out at the start of a China working morning (09:00 +08:00). */
export const remindAt = (date: string): Date => new Date(`${date}T01:00:00.000Z`);

/** Escalation comes with the first moment overdue: 00:00 +08:00 of the day after the due day. */
export const escalateAt = (dueOn: string): Date => new Date(`${dueOn}T16:00:00.000Z`);

/**
 * The job id: BullMQ allows a `:` only as in `a:b:c` (contracts' deterministicJobId), so the parts
 * are joined by `-` (a uuid's own dashes are harmless: the id is only compared whole).
 */
export const timerJobId = (c: Pick<TimedClock, 'instanceId' | 'step' | 'round' | 'dueOn'>, kind: DeadlineTimerKind): string =>
  `deadline-${c.instanceId}-${c.step}-${c.round}-${kind}-${c.dueOn}`;

/** The working day `n` working days before `dueOn` (n ≥ 1): 2 before Saturday Oct 10, 2026 (a make-up working day) is Thursday Oct 8. */
export function workingDaysBefore(days: WorkingDays, dueOn: string, n: number): string {
  let day = new Date(`${dueOn}T00:00:00.000Z`).getTime();
  for (let left = n; left > 0; ) {
    day -= 86_400_000;
    if (days.isWorkingDay(new Date(day).toISOString().slice(0, 10))) left -= 1;
  }
  return new Date(day).toISOString().slice(0, 10);
}

/**
 * A clock's timers: a reminder `remindBefore` working days before the due day (none when that
 * day is not after the clock's start, when `remindBefore` is 0, or when its year has no
 * calendar), one on the due day, and the escalation.
 */
export function timersOf(clock: TimedClock, remindBefore: number, days: WorkingDays): PlannedTimer[] {
  const timers: PlannedTimer[] = [];
  const before = remindBefore > 0 ? remindDay(days, clock.dueOn, remindBefore) : undefined;
  if (before && before > clock.startedOn) timers.push({ kind: 'remind_before', fireAt: remindAt(before), jobId: timerJobId(clock, 'remind_before') });
  timers.push({ kind: 'remind_due', fireAt: remindAt(clock.dueOn), jobId: timerJobId(clock, 'remind_due') });
  timers.push({ kind: 'escalate', fireAt: escalateAt(clock.dueOn), jobId: timerJobId(clock, 'escalate') });
  return timers;
}

function remindDay(days: WorkingDays, dueOn: string, n: number): string | undefined {
  try {
    return workingDaysBefore(days, dueOn, n);
  } catch {
    // A year without a calendar: CALENDAR_MISSING was alerted when the due date was computed; the due-day reminder still goes.
    return undefined;
  }
}

/**
 * Which timer may fire now for a row: the latest whose moment has come. A timer overtaken by the
 * next one (the sweeper catching up after downtime) is not sent: a reminder of two days left is
 * noise on the due day, and so is the due day's reminder once the step is overdue.
 */
export function dueTimer(dueOn: string, remindBeforeOn: string | undefined, now: Date): DeadlineTimerKind | undefined {
  if (now >= escalateAt(dueOn)) return 'escalate';
  if (now >= remindAt(dueOn)) return 'remind_due';
  if (remindBeforeOn && now >= remindAt(remindBeforeOn)) return 'remind_before';
  return undefined;
}

type Of<T extends InstanceEvent['type']> = Extract<InstanceEvent, { type: T }>;

/** The step clocks a batch gave a (new) due date, with the day each started on (from the event, or the open rows). */
export function retimed(events: readonly InstanceEvent[], instanceId: string, startedOf: (step: number, round: number) => string | undefined): TimedClock[] {
  const clocks = new Map<string, TimedClock>();
  for (const e of events) {
    const timed = timedOf(e);
    if (!timed?.dueOn) continue;
    const key = `${timed.step}/${timed.round}`;
    const startedOn = timed.startedOn ?? clocks.get(key)?.startedOn ?? startedOf(timed.step, timed.round);
    if (startedOn) clocks.set(key, { instanceId, step: timed.step, round: timed.round, startedOn, dueOn: timed.dueOn });
  }
  return [...clocks.values()];
}

function timedOf(e: InstanceEvent): { step: number; round: number; dueOn: string | null | undefined; startedOn?: string } | undefined {
  if (e.type === 'deadline_extended') return { step: e.step, round: e.round, dueOn: e.dueOn };
  if (!isStepClock(e)) return undefined;
  switch (e.type) {
    case 'deadline_set':
      return { step: e.step, round: e.round, dueOn: e.dueOn, startedOn: e.startedOn };
    case 'clock_resumed':
      return { step: e.step, round: e.round, dueOn: e.dueOn, startedOn: e.resumedOn };
    case 'deadline_recomputed':
      return { step: e.step, round: e.round, dueOn: e.dueOn };
    default:
      return undefined;
  }
}

const isStepClock = (e: InstanceEvent): e is Of<ClockEvent['type']> =>
  (e.type === 'deadline_set' || e.type === 'clock_resumed' || e.type === 'deadline_recomputed') && (e as ClockEvent).clock === 'step';
