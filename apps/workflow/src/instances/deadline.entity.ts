import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeadlineStatus } from '../deadlines/deadline-clock.js';

export type { DeadlineStatus };

/** One clock: a step's limit in one round, or (step -1, round 0) the submission's committed limit. Dates are China dates. */
@Entity({ name: 'deadlines' })
export class Deadline {
  @PrimaryColumn({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

  @PrimaryColumn({ type: 'int' })
  step!: number;

  @PrimaryColumn({ type: 'int' })
  round!: number;

  @Column({ type: 'text' })
  clock!: 'step' | 'committed';

  /** The limit as the definition gives it. */
  @Column({ name: 'limit_days', type: 'int' })
  limitDays!: number;

  /** The day it started or resumed on (not counted). */
  @Column({ name: 'started_on', type: 'date' })
  startedOn!: string;

  /** The working days it started with: the limit, or what an earlier round left; null while that is unknown. */
  @Column({ name: 'budget_days', type: 'int', nullable: true })
  budgetDays!: number | null;

  @Column({ name: 'extended_days', type: 'int' })
  extendedDays!: number;

  @Column({ name: 'extension_reason', type: 'text', nullable: true })
  extensionReason!: string | null;

  @Column({ name: 'extended_by', type: 'text', nullable: true })
  extendedBy!: string | null;

  /** Null when a year it would fall in has no calendar (see `problem`). */
  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn!: string | null;

  @Column({ type: 'text', nullable: true })
  problem!: string | null;

  @Column({ name: 'paused_on', type: 'date', nullable: true })
  pausedOn!: string | null;

  /** Working days left when it was paused. */
  @Column({ name: 'remaining_days', type: 'int', nullable: true })
  remainingDays!: number | null;

  @Column({ name: 'resumed_from_round', type: 'int', nullable: true })
  resumedFromRound!: number | null;

  @Column({ type: 'text' })
  status!: DeadlineStatus;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** The timers' flags (ADR 0015): when each was sent for the current due date; set once, in the transaction that sends it. */
  @Column({ name: 'reminded_before_at', type: 'timestamptz', nullable: true })
  remindedBeforeAt!: Date | null;

  @Column({ name: 'reminded_due_at', type: 'timestamptz', nullable: true })
  remindedDueAt!: Date | null;

  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
