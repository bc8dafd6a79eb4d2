import { Injectable } from '@nestjs/common';
import type { DeadlineTimerKind } from '@shanhai/contracts';
import { chinaDate } from '@shanhai/domain';
import { Outbox } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { CalendarsService } from '../calendars/calendars.service.js';
import { DeadlineClocks } from '../deadlines/deadline-clocks.service.js';
import { dueTimer, workingDaysBefore } from '../deadlines/deadline-timers.js';
import { DefinitionsService } from '../definitions/definitions.service.js';
import { Instance } from './instance.entity.js';
import { StepParties } from './step-parties.js';
import type { Task } from './task.entity.js';

/** The lookups the timers need: the definition's lead and target, the calendar, the directory. */
@Injectable()
export class TimerHelpers {
  constructor(
    private readonly definitions: DefinitionsService,
    private readonly calendars: CalendarsService,
    private readonly clocks: DeadlineClocks,
    private readonly parties: StepParties,
    readonly outbox: Outbox,
  ) {}

  /** The timer whose moment it is for a clock due on `dueOn` (see dueTimer), on the instance's definition and the calendars. */
  async currentTimer(manager: EntityManager, instanceId: string, dueOn: string, now: Date, startedOn?: string, loaded?: Instance): Promise<DeadlineTimerKind | undefined> {
    const instance = loaded ?? (await manager.findOneByOrFail(Instance, { id: instanceId }));
    const definition = await this.definitions.get(manager, instance.definitionKey, instance.definitionVersion);
    const lead = this.clocks.remindBeforeOf(definition);
    let before: string | undefined;
    if (lead > 0) {
      try {
        before = workingDaysBefore(await this.calendars.workingDays(manager), dueOn, lead);
      } catch {
        before = undefined;
      }
    }
    if (before && startedOn && before <= startedOn) before = undefined;
    return dueTimer(dueOn, before, now);
  }

  async daysLeft(manager: EntityManager, now: Date, dueOn: string): Promise<number> {
    try {
      return (await this.calendars.workingDays(manager)).workingDaysBetween(chinaDate(now), dueOn);
    } catch {
      return 0;
    }
  }

  /**
   * Whom an overdue step goes to: the definition's `escalateTo` organisation (all its people), else
   * the supervisors of the step's own organisation (the first party's).
   */
  async escalationTarget(manager: EntityManager, instance: Instance, step: number, task: Task): Promise<EscalationTo> {
    const definition = await this.definitions.get(manager, instance.definitionKey, instance.definitionVersion);
    const target = definition.steps[step]?.escalateTo;
    if (target?.kind === 'organisation') return { organisation: await this.parties.entry(manager, target.code), supervisors: false };
    return { organisation: { code: task.organisationCode, name: task.organisationName, email: task.organisationEmail }, supervisors: true };
  }
}

export interface EscalationTo {
  readonly organisation: { readonly code: string; readonly name: string; readonly email: string };
  /** Only the organisation's supervisors are told (its mailbox when it has none). */
  readonly supervisors: boolean;
}
