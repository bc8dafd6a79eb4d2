import type { ClockEvent, ClockRef, InstanceEvent } from '@shanhai/domain';
import { In, type EntityManager } from 'typeorm';
import type { ClockRow } from '../deadlines/deadline-clock.js';
import { Deadline, type DeadlineStatus } from './deadline.entity.js';

type Of<T extends InstanceEvent['type']> = Extract<InstanceEvent, { type: T }>;

/** A new due date is reminded of and escalated afresh: the timers' flags are for the due date they fired on. */
const unfired = { remindedBeforeAt: null, remindedDueAt: null, escalatedAt: null };

/** The clock rows of one instance as the clocks' events change them (the projector's deadline ledger). */
export class DeadlineBook {
  constructor(
    private readonly manager: EntityManager,
    private readonly instanceId: string,
  ) {}

  /** Every clock of the instance, as `followClocks` and `recomputeClocks` read them. */
  all(): Promise<Deadline[]> {
    return this.manager.find(Deadline, { where: { instanceId: this.instanceId }, order: { step: 'ASC', round: 'ASC' } });
  }

  async open(): Promise<ClockRow[]> {
    return this.manager.find(Deadline, { where: { instanceId: this.instanceId, status: In(['running', 'paused']) } });
  }

  /** A step round's due date, as messages carry it (absent without one). */
  async dueOn(step: number, round: number): Promise<{ dueOn?: string }> {
    const row = await this.manager.findOneBy(Deadline, { instanceId: this.instanceId, step, round });
    return row?.dueOn ? { dueOn: row.dueOn } : {};
  }

  async start(e: Of<'deadline_set'>): Promise<void> {
    await this.manager.insert(Deadline, {
      ...this.at(e),
      clock: e.clock,
      limitDays: e.limitDays,
      startedOn: e.startedOn,
      budgetDays: e.limitDays,
      extendedDays: 0,
      extensionReason: null,
      extendedBy: null,
      dueOn: e.dueOn,
      problem: e.problem ?? null,
      pausedOn: null,
      remainingDays: null,
      resumedFromRound: null,
      status: 'running',
      closedAt: null,
      remindedBeforeAt: null,
      remindedDueAt: null,
      escalatedAt: null,
      updatedAt: e.at,
    });
  }

  async pause(e: Of<'clock_paused'>): Promise<void> {
    await this.manager.update(Deadline, this.at(e), { status: 'paused', pausedOn: e.pausedOn, remainingDays: e.remainingDays, updatedAt: e.at });
  }

  /** The committed clock runs on in its row; a step's clock goes on in the new round's row, with the old round's limit. */
  async resume(e: Of<'clock_resumed'>): Promise<void> {
    const running = { startedOn: e.resumedOn, budgetDays: e.remainingDays, extendedDays: 0, dueOn: e.dueOn, problem: e.problem ?? null, pausedOn: null, remainingDays: null, status: 'running' as const, updatedAt: e.at };
    if (e.clock === 'committed') {
      await this.manager.update(Deadline, this.at(e), running);
      return;
    }
    const from = await this.manager.findOneByOrFail(Deadline, { instanceId: this.instanceId, step: e.step, round: e.fromRound });
    await this.manager.update(Deadline, this.at({ step: e.step, round: e.fromRound }), { status: 'resumed', updatedAt: e.at });
    await this.manager.insert(Deadline, {
      ...from,
      ...this.at(e),
      ...running,
      extensionReason: null,
      extendedBy: null,
      resumedFromRound: e.fromRound,
      closedAt: null,
      remindedBeforeAt: null,
      remindedDueAt: null,
      escalatedAt: null,
    });
  }

  async extend(e: Of<'deadline_extended'>): Promise<void> {
    const row = await this.manager.findOneBy(Deadline, this.at(e));
    if (!row) return;
    await this.manager.update(Deadline, this.at(e), {
      extendedDays: row.extendedDays + e.days,
      extensionReason: e.reason,
      extendedBy: e.actingFor ? `${e.actor}（代${e.actingFor}）` : e.actor,
      dueOn: e.dueOn ?? null,
      // An extended clock is reminded of again, before its new due date.
      ...unfired,
      updatedAt: e.at,
    });
  }

  async recompute(e: Of<'deadline_recomputed'>): Promise<void> {
    await this.manager.update(Deadline, this.at(e), {
      ...(e.dueOn !== e.previousDueOn ? unfired : {}),
      dueOn: e.dueOn,
      problem: e.problem ?? null,
      ...(e.budgetDays !== undefined ? { budgetDays: e.budgetDays } : {}),
      ...(e.remainingDays !== undefined ? { remainingDays: e.remainingDays } : {}),
      updatedAt: e.at,
    });
  }

  /** Stops clocks for good: one (a step decided), or every open one (the instance ended). */
  async close(which: Pick<ClockRef, 'step' | 'round'> | 'all', status: Extract<DeadlineStatus, 'done' | 'closed'>, at: Date): Promise<void> {
    const where = which === 'all' ? { instanceId: this.instanceId } : this.at(which);
    await this.manager.update(Deadline, { ...where, status: In(['running', 'paused']) }, { status, closedAt: at, updatedAt: at });
  }

  private at(ref: Pick<ClockEvent, 'step' | 'round'>): { instanceId: string; step: number; round: number } {
    return { instanceId: this.instanceId, step: ref.step, round: ref.round };
  }
}
