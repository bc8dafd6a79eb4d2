import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarsService } from '../calendars/calendars.service.js';
import { recomputeClocks } from '../deadlines/deadline-clock.js';
import { DeadlineClocks } from '../deadlines/deadline-clocks.service.js';
import { DefinitionsService } from '../definitions/definitions.service.js';
import { DeadlineBook } from './deadline-book.js';
import { InstanceStore } from './instance-store.js';
import { Instance } from './instance.entity.js';

/**
 * A year's calendar loaded or changed: every open clock it may move is computed again in the same
 * transaction (those without a due date, those due in or after that year), each change recorded in
 * its instance's audit as `deadline_recomputed`, by the admin who changed the calendar.
 */
@Injectable()
export class DeadlineRecompute implements OnModuleInit {
  constructor(
    private readonly calendars: CalendarsService,
    private readonly store: InstanceStore,
    private readonly clocks: DeadlineClocks,
    private readonly definitions: DefinitionsService,
  ) {}

  onModuleInit(): void {
    this.calendars.onChange(async (manager, year, by, now) => void (await this.recompute(manager, year, by, now)));
  }

  async recompute(manager: EntityManager, year: number, by: string, now: Date): Promise<number> {
    const affected = await manager.query<{ instance_id: string }[]>(
      `SELECT DISTINCT instance_id FROM deadlines
        WHERE (status IN ('running', 'paused') AND (due_on IS NULL OR due_on >= $1::date)) OR (status = 'resumed' AND remaining_days IS NULL)
        ORDER BY instance_id`,
      [`${year}-01-01`],
    );
    const days = await this.calendars.workingDays(manager);
    let changed = 0;
    // One instance at a time, in id order, each locked as a decision locks it: its audit chain is appended to alone.
    for (const { instance_id: id } of affected) {
      const instance = await manager.findOneOrFail(Instance, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const rows = await new DeadlineBook(manager, id).all();
      const { events, missingYears } = recomputeClocks(rows, year, days, now);
      this.clocks.alert(missingYears, `instance ${id}`);
      if (!events.length) continue;
      await this.store.clocked(manager, instance, { actor: by, actingFor: null, account: null }, events);
      // A moved due date is a new set of timers (ADR 0015).
      await this.clocks.arm(manager, await this.definitions.get(manager, instance.definitionKey, instance.definitionVersion), id, events, rows);
      changed += events.length;
    }
    return changed;
  }
}
