import { Injectable, Logger } from '@nestjs/common';
import { ApprovalUrged, type MessageByName } from '@shanhai/contracts';
import { CalendarMissingError, isClosed, type InstanceEvent } from '@shanhai/domain';
import { Clock, Outbox } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { CalendarsService } from '../calendars/calendars.service.js';
import { stepRef } from './instance-columns.js';
import { InstanceStore } from './instance-store.js';
import { Deadline } from './deadline.entity.js';
import { Instance } from './instance.entity.js';
import { Task } from './task.entity.js';

type Urged = MessageByName<'submission.urged'>;

/**
 * 催办 as workflow records it. Intake allows one urge per China date; the working-day rule is
 * applied here, where the calendar is: an urge made on a rest day counts for the next working day,
 * and only the first urge of a working day is recorded (in the audit, as `urged`) and told to the
 * pending tasks' assignees (`approval.urged`). The others are logged and dropped. An urge changes
 * nothing the rules decide on, so the instance's version stays (the audit entry is written under
 * its lock, like a clock's).
 */
@Injectable()
export class SubmissionUrgedHandler {
  private readonly logger = new Logger(SubmissionUrgedHandler.name);

  constructor(
    private readonly store: InstanceStore,
    private readonly outbox: Outbox,
    private readonly calendars: CalendarsService,
    private readonly clock: Clock,
  ) {}

  async urged(manager: EntityManager, message: Urged): Promise<void> {
    const { submissionId, revision, urgedOn, note, by, actor } = message.payload;
    const instance = await manager.findOne(Instance, { where: { submissionId }, lock: { mode: 'pessimistic_write' } });
    const skip = (why: string) => this.logger.log(`urge of ${submissionId} on ${urgedOn} dropped: ${why}`);
    if (!instance) return skip('no review of it');
    if (isClosed(instance.status) || instance.status === 'returned') return skip(`the review is ${instance.status}`);
    if (instance.revision !== revision) return skip(`revision ${revision} is no longer the one under review`);
    const pending = await manager.find(Task, { where: { instanceId: instance.id, stepIndex: instance.currentStep, status: 'pending' }, order: { party: 'ASC' } });
    const round = pending[0]?.round;
    if (round === undefined) return skip('no pending task');

    const workingDay = await this.workingDayOf(manager, urgedOn);
    const earlier = await manager.query<unknown[]>(
      `SELECT 1 FROM audit_entries WHERE instance_id = $1 AND action = 'urged' AND data->>'workingDay' = $2 LIMIT 1`,
      [instance.id, workingDay],
    );
    if (earlier.length) return skip(`urged already for the working day ${workingDay}`);

    const now = this.clock.now();
    const event: InstanceEvent = { type: 'urged', clock: 'step', step: instance.currentStep, round, urgedOn, workingDay, ...(note ? { note } : {}), at: now };
    await this.store.clocked(manager, instance, { actor: by, actingFor: null, account: actor }, [event]);

    const deadline = await manager.findOneBy(Deadline, { instanceId: instance.id, clock: 'step', step: instance.currentStep, round });
    const steps = pending.map((t) => ({
      taskId: t.id,
      step: stepRef(t),
      ...(deadline?.dueOn ? { dueOn: deadline.dueOn } : {}),
      ...(t.assigneeId ? { assignee: t.assigneeId } : {}),
    }));
    const ref = { instanceId: instance.id, submission: instance.submission, definition: { key: instance.definitionKey, version: instance.definitionVersion } };
    await this.outbox.publish(manager, ApprovalUrged, { ...ref, steps, workingDay, urgedBy: by, actor, ...(note ? { note } : {}) }, now);
  }

  /** The working day an urge counts for; the date itself when its year's calendar is not loaded (logged). */
  private async workingDayOf(manager: EntityManager, date: string): Promise<string> {
    try {
      return (await this.calendars.workingDays(manager)).nextWorkingDay(date);
    } catch (error) {
      if (!(error instanceof CalendarMissingError)) throw error;
      this.logger.error(`urge on ${date}: ${error.message}; counted for that date`);
      return date;
    }
  }
}
