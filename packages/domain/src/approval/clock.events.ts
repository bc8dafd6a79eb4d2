/**
 * What the deadline clocks did, as the audit records it. Workflow's service adds these after the
 * pure `decide` (they need the working-day calendar, which the rules do not hold); `evolve` passes
 * them by, as they change nothing the rules decide on. A due date is a China date (YYYY-MM-DD);
 * `null` when the calendar of a year it would fall in is not loaded (`problem` says which).
 *
 * `clock` names which: a step's own limit (办理时限, per step and round) or the submission's
 * committed limit (承诺时限, one per instance, `step` -1 and `round` 0).
 */
export interface ClockRef {
  readonly clock: 'step' | 'committed';
  readonly step: number;
  readonly round: number;
}

export type ClockEvent =
  /** A clock started: the step was entered (or the instance started, for the committed limit). */
  | ({ readonly type: 'deadline_set'; readonly limitDays: number; readonly startedOn: string; readonly dueOn: string | null; readonly problem?: string; readonly at: Date } & ClockRef)
  /** Stopped by a return for correction, with the working days it had left (null when its due date was unknown). */
  | ({ readonly type: 'clock_paused'; readonly pausedOn: string; readonly remainingDays: number | null; readonly at: Date } & ClockRef)
  /** Running again with what it had left, from the day the corrected revision arrived (`fromRound`: the round it stopped in). */
  | ({
      readonly type: 'clock_resumed';
      readonly resumedOn: string;
      readonly fromRound: number;
      readonly remainingDays: number | null;
      readonly dueOn: string | null;
      readonly problem?: string;
      readonly at: Date;
    } & ClockRef)
  /**
   * A due date computed again: its year's calendar was loaded or changed (`year`). A paused clock's
   * days left, and a resumed round's budget once its earlier round's are known, come with it.
   */
  | ({
      readonly type: 'deadline_recomputed';
      readonly year: number;
      readonly previousDueOn: string | null;
      readonly dueOn: string | null;
      readonly budgetDays?: number;
      readonly remainingDays?: number | null;
      readonly problem?: string;
      readonly at: Date;
    } & ClockRef)
  /** The step's assignees were reminded of its due date (`before` it, or on the `due` day), once per due date. */
  | ({ readonly type: 'reminded'; readonly kind: 'before' | 'due'; readonly dueOn: string; readonly at: Date } & ClockRef)
  /**
   * The due day passed undecided: the step is overdue and escalated to an organisation (its code),
   * once per due date; `supervisors`: to that organisation's supervisors (the step's own, by default).
   */
  | ({ readonly type: 'escalated'; readonly dueOn: string; readonly to: string; readonly supervisors?: boolean; readonly at: Date } & ClockRef)
  /**
   * 催办: the applicant urged the step's round (`urgedOn`, a China date), counted for `workingDay`
   * (the next working day when made on a rest day; the same day when its calendar is missing).
   */
  | ({ readonly type: 'urged'; readonly urgedOn: string; readonly workingDay: string; readonly note?: string; readonly at: Date } & ClockRef);

export const clockEventTypes = ['deadline_set', 'clock_paused', 'clock_resumed', 'deadline_recomputed', 'reminded', 'escalated', 'urged'] as const satisfies readonly ClockEvent['type'][];

export const isClockEvent = (event: { readonly type: string }): event is ClockEvent => (clockEventTypes as readonly string[]).includes(event.type);

/** The committed limit's clock is one per instance: this is its address. */
export const COMMITTED_CLOCK = { clock: 'committed', step: -1, round: 0 } as const satisfies ClockRef;
