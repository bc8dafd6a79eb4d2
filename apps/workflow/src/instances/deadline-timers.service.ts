import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApprovalEscalated, ApprovalReminder, type DeadlineTimerKind } from '@shanhai/contracts';
import { chinaDate, type InstanceEvent } from '@shanhai/domain';
import { Clock, MetricsService } from '@shanhai/platform';
import { Counter, Gauge } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { Deadline } from './deadline.entity.js';
import { stepRef } from './instance-columns.js';
import { InstanceStore } from './instance-store.js';
import { Instance } from './instance.entity.js';
import { Task } from './task.entity.js';
import { TimerHelpers } from './deadline-timer-helpers.js';

/** What a timer job names: one timer of one step clock, for one due date. */
export interface TimerRef {
  readonly instanceId: string;
  readonly step: number;
  readonly round: number;
  readonly kind: DeadlineTimerKind;
  readonly dueOn: string;
}

const flagOf = { remind_before: 'remindedBeforeAt', remind_due: 'remindedDueAt', escalate: 'escalatedAt' } as const satisfies Record<DeadlineTimerKind, keyof Deadline>;
const sentLabel = { remind_before: 'before', remind_due: 'due', escalate: 'escalation' } as const satisfies Record<DeadlineTimerKind, string>;
/** The sweeper looks this far ahead for early reminders: past the longest lead (30 working days) with holidays in it. */
const SWEEP_HORIZON_DAYS = 62;
const SWEEP_BATCH = 500;

/**
 * Fires a step clock's reminders and escalation (ADR 0015). Whether a timer fires is decided by
 * the deadline row, under the instance's lock, not by the job: still running, still due on the
 * job's date, the timer's moment come and not overtaken, its flag unset, a task still pending.
 * Then, in one transaction: the flag set, the event audited (`reminded`, `escalated`) and the
 * message in the outbox. A duplicate, late or stale job, or a second replica's, does nothing.
 */
@Injectable()
export class DeadlineTimers {
  private readonly logger = new Logger(DeadlineTimers.name);
  private readonly sent: Counter<'kind'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly store: InstanceStore,
    private readonly helpers: TimerHelpers,
    metrics: MetricsService,
  ) {
    this.sent = new Counter({ name: 'shanhai_reminders_sent_total', help: 'Reminders and escalations of step time limits sent, by kind (before, due, escalation)', labelNames: ['kind'] as const, registers: [metrics.registry] });
    const overdue = (): Promise<number> => this.overdue();
    new Gauge({
      name: 'shanhai_deadlines_overdue',
      help: 'Steps whose time limit (办理时限) has passed undecided, counted at scrape time',
      registers: [metrics.registry],
      async collect() {
        this.set(await overdue());
      },
    });
  }

  /** Fires one timer if the row says it is due; true when it was sent. */
  async fire(ref: TimerRef): Promise<boolean> {
    const now = this.clock.now();
    const sent = await this.dataSource.transaction((manager) => this.fireIn(manager, ref, now));
    if (sent) this.sent.inc({ kind: sentLabel[ref.kind] });
    return sent;
  }

  /**
   * Fires what is due but was not fired: jobs lost with Redis, or not run while workflow was down.
   * Each row's current timer only (a reminder overtaken by the due day is not sent late).
   */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const today = chinaDate(now);
    const horizon = chinaDate(new Date(now.getTime() + SWEEP_HORIZON_DAYS * 86_400_000));
    const rows = await this.dataSource.query<{ instance_id: string; step: number; round: number; due_on: string; started_on: string }[]>(
      `SELECT instance_id, step, round, to_char(due_on, 'YYYY-MM-DD') AS due_on, to_char(started_on, 'YYYY-MM-DD') AS started_on FROM deadlines
        WHERE status = 'running' AND clock = 'step' AND escalated_at IS NULL AND due_on <= $2::date
          AND (due_on <= $1::date OR reminded_before_at IS NULL)
        ORDER BY due_on, instance_id, step, round LIMIT ${SWEEP_BATCH}`,
      [today, horizon],
    );
    let fired = 0;
    for (const row of rows) {
      const kind = await this.helpers.currentTimer(this.dataSource.manager, row.instance_id, row.due_on, now, row.started_on);
      if (!kind) continue;
      const ref = { instanceId: row.instance_id, step: row.step, round: row.round, kind, dueOn: row.due_on };
      try {
        if (await this.fire(ref)) fired += 1;
      } catch (error) {
        this.logger.warn(`deadline sweep: ${kind} of instance ${ref.instanceId} step ${ref.step} round ${ref.round}: ${(error as Error).message}; next sweep retries`);
      }
    }
    return fired;
  }

  /** Open step clocks past their due day (overdue once the due day has ended in China). */
  async overdue(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM deadlines WHERE status = 'running' AND clock = 'step' AND due_on < $1::date`,
      [chinaDate(this.clock.now())],
    );
    return Number(row?.n ?? 0);
  }

  private async fireIn(manager: EntityManager, ref: TimerRef, now: Date): Promise<boolean> {
    // The instance's lock, as a decision takes it: its audit chain is appended to alone, and a decision waits.
    const instance = await manager.findOne(Instance, { where: { id: ref.instanceId }, lock: { mode: 'pessimistic_write' } });
    if (!instance) return false;
    const row = await manager.findOneBy(Deadline, { instanceId: ref.instanceId, step: ref.step, round: ref.round });
    if (!row || row.clock !== 'step' || row.status !== 'running' || row.dueOn !== ref.dueOn || row[flagOf[ref.kind]]) return false;
    if ((await this.helpers.currentTimer(manager, ref.instanceId, ref.dueOn, now, row.startedOn, instance)) !== ref.kind) return false;
    const tasks = await manager.find(Task, { where: { instanceId: ref.instanceId, stepIndex: ref.step, round: ref.round, status: 'pending' }, order: { party: 'ASC' } });
    if (!tasks.length) return false;
    await manager.update(Deadline, { instanceId: ref.instanceId, step: ref.step, round: ref.round }, { [flagOf[ref.kind]]: now, updatedAt: now });
    const clock = { clock: 'step' as const, step: ref.step, round: ref.round };
    const base = {
      instanceId: instance.id,
      submission: instance.submission,
      definition: { key: instance.definitionKey, version: instance.definitionVersion },
      round: ref.round,
      dueOn: ref.dueOn,
      steps: tasks.map((t) => ({ taskId: t.id, step: stepRef(t) })),
    };
    let event: InstanceEvent;
    if (ref.kind === 'escalate') {
      const { organisation, supervisors } = await this.helpers.escalationTarget(manager, instance, ref.step, tasks[0]!);
      event = { type: 'escalated', ...clock, dueOn: ref.dueOn, to: organisation.code, ...(supervisors ? { supervisors } : {}), at: now };
      await this.store.clocked(manager, instance, SYSTEM, [event]);
      await this.helpers.outbox.publish(manager, ApprovalEscalated, { ...base, escalatedTo: organisation, supervisors }, now);
    } else {
      const kind = ref.kind === 'remind_before' ? 'before' : 'due';
      const daysLeft = kind === 'due' ? 0 : await this.helpers.daysLeft(manager, now, ref.dueOn);
      event = { type: 'reminded', ...clock, kind, dueOn: ref.dueOn, at: now };
      await this.store.clocked(manager, instance, SYSTEM, [event]);
      await this.helpers.outbox.publish(manager, ApprovalReminder, { ...base, kind, daysLeft }, now);
    }
    return true;
  }
}

/** Who the audit names for what the timers do. */
const SYSTEM = { actor: 'system', actingFor: null, account: null };
