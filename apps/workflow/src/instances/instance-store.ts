import { Injectable } from '@nestjs/common';
import type { ApprovalDefinition, InstanceEvent, InstanceState } from '@shanhai/domain';
import { DomainError, Outbox } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuditActor } from '../audit/audit-entries.js';
import { DeadlineClocks } from '../deadlines/deadline-clocks.service.js';
import { DefinitionsService } from '../definitions/definitions.service.js';
import { DeadlineBook } from './deadline-book.js';
import { columnsOf, fold, stateOf } from './instance-columns.js';
import { project } from './instance-projector.js';
import { InstanceQueries } from './instance-queries.service.js';
import { Instance } from './instance.entity.js';
import { StepParties } from './step-parties.js';
import { TaskBook } from './task-book.js';

/**
 * Where decided events are kept: the instance's new state under its version (optimistic lock),
 * what they do to its clocks (DeadlineClocks), one audit entry per event, and the events' effects
 * (see project), all in the caller's transaction.
 */
@Injectable()
export class InstanceStore {
  constructor(
    private readonly outbox: Outbox,
    private readonly audit: AuditService,
    private readonly definitions: DefinitionsService,
    private readonly parties: StepParties,
    private readonly queries: InstanceQueries,
    private readonly clocks: DeadlineClocks,
  ) {}

  /** A new instance's first events, after its row was inserted. */
  async opened(manager: EntityManager, instance: Instance, definition: ApprovalDefinition, by: AuditActor, events: readonly InstanceEvent[]): Promise<void> {
    await this.record(manager, instance, definition, by, undefined, events);
  }

  /** Saves the state the events lead to, under the instance's version, then their effects. */
  async apply(manager: EntityManager, instance: Instance, before: InstanceState, events: readonly InstanceEvent[], by: AuditActor, now: Date): Promise<void> {
    const next = fold(before, events);
    const saved = await manager
      .createQueryBuilder()
      .update(Instance)
      .set({ ...columnsOf(next), submission: instance.submission, version: () => 'version + 1', updatedAt: now })
      .where('id = :id AND version = :version', { id: instance.id, version: instance.version })
      .execute();
    if (saved.affected !== 1) throw await this.conflict(manager, await manager.findOneByOrFail(Instance, { id: instance.id }), 'STALE_VERSION', 'someone decided first');
    Object.assign(instance, columnsOf(next));
    // The version the instance started on, whatever has been published since.
    const definition = await this.definitions.get(manager, instance.definitionKey, instance.definitionVersion);
    await this.record(manager, instance, definition, by, before, events);
  }

  /** A refusal that shows the state it was refused against, e.g. a step decided a moment earlier. */
  async conflict(manager: EntityManager, instance: Instance, code: DomainError['code'], detail: string): Promise<DomainError> {
    return new DomainError(code, detail, { current: await this.queries.response(manager, instance) });
  }

  /** Clock events computed outside a decision (a calendar loaded or changed): audited and applied like any other, on the locked instance. */
  async clocked(manager: EntityManager, instance: Instance, by: AuditActor, events: readonly InstanceEvent[]): Promise<void> {
    const definition = await this.definitions.get(manager, instance.definitionKey, instance.definitionVersion);
    await this.record(manager, instance, definition, by, stateOf(instance), events, false);
  }

  private async record(manager: EntityManager, instance: Instance, definition: ApprovalDefinition, by: AuditActor, before: InstanceState | undefined, decided: readonly InstanceEvent[], follow = true): Promise<void> {
    // The caller holds the instance's row (inserted, or locked and updated under its version), so
    // no one else appends to this instance's entries before the transaction ends.
    const subject = { instanceId: instance.id, revision: instance.revision, definitionKey: instance.definitionKey, definitionVersion: instance.definitionVersion };
    const deadlines = new DeadlineBook(manager, instance.id);
    const events = follow ? await this.clocks.follow(manager, deadlines, definition, decided, instance.id) : decided;
    await this.audit.append(manager, subject, by, before, events);
    await project(events, {
      instance,
      definition,
      tasks: new TaskBook(manager, instance.id),
      deadlines,
      publish: (message, payload, at) => this.outbox.publish(manager, message, payload, at),
      party: (code) => this.parties.entry(manager, code),
      account: by.account ?? null,
    });
  }
}
