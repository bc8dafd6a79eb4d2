import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ApprovalApproved,
  ApprovalRejected,
  ApprovalStarted,
  ApprovalWithdrawn,
  StepApproved,
  TaskAssigned,
  type MessageByName,
  type StepRef,
} from '@shanhai/contracts';
import {
  decide,
  evolve,
  findOrganisation,
  reviewerOrganisation,
  start,
  type ApprovalDefinition,
  type InstanceCommand,
  type InstanceEvent,
  type InstanceState,
} from '@shanhai/domain';
import { DomainError, Outbox, type Principal } from '@shanhai/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { toInstanceResponse } from './dto/instance.response.js';
import { DefinitionsService } from '../definitions/definitions.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuditActor } from '../audit/audit-entries.js';
import { Instance } from './instance.entity.js';
import { Task } from './task.entity.js';


export type DecisionInput = { outcome: 'approve'; opinion?: string } | { outcome: 'reject'; reason: string };

@Injectable()
export class InstancesService {
  private readonly logger = new Logger(InstancesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly audit: AuditService,
    private readonly definitions: DefinitionsService,
  ) {}

  /** Opens an approval instance for a submitted revision and assigns its first step. */
  async start(manager: EntityManager, message: MessageByName<'submission.submitted'>, now = new Date()): Promise<void> {
    const submission = message.payload;
    // New instances start on the newest version; they keep it to the end (see definitionOf).
    const definition = await this.definitions.latest(manager, submission.kind);
    const opened = start(definition.steps.length, now);
    if (!opened.ok) throw new DomainError(opened.code, opened.detail ?? opened.code);
    const instance = manager.create(Instance, {
      id: randomUUID(),
      submissionId: submission.submissionId,
      revision: submission.revision,
      submission,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      ...fold(undefined, opened.events),
    });
    await manager.save(instance);
    await this.record(manager, instance, definition, { actor: submission.applicant.name, actingFor: null }, undefined, opened.events);
  }

  /** Applies a reviewer's decision; exactly one of two concurrent decisions on a step wins. */
  async decide(principal: Principal, taskId: string, input: DecisionInput, now = new Date()): Promise<{ instance: Instance; tasks: Task[] }> {
    return this.dataSource.transaction(async (manager) => {
      const task = await manager.findOneBy(Task, { id: taskId });
      // Only the organisation the step is assigned to decides it; to anyone else it does not exist.
      if (!task || principal.role !== 'reviewer' || principal.organisation !== task.organisationCode) throw new DomainError('NOT_FOUND', `no task ${taskId}`);
      const reviewer = principal.name;
      const instance = await manager.findOneByOrFail(Instance, { id: task.instanceId });
      if (task.status !== 'pending') {
        throw new DomainError('TASK_CLOSED', `the task is closed (${task.status})`, { current: toInstanceResponse(await this.view(manager, instance)) });
      }
      const command: InstanceCommand =
        input.outcome === 'approve'
          ? { type: 'approve', step: task.stepIndex, actor: reviewer, ...(input.opinion ? { opinion: input.opinion } : {}) }
          : { type: 'reject', step: task.stepIndex, actor: reviewer, reason: input.reason };
      const decision = decide(stateOf(instance), command, now);
      if (!decision.ok) {
        // A refusal shows the state it was refused against, e.g. a step decided a moment earlier.
        throw new DomainError(decision.code, decision.detail ?? decision.code, { current: toInstanceResponse(await this.view(manager, instance)) });
      }

      const before = stateOf(instance);
      const next = fold(before, decision.events);
      const saved = await manager
        .createQueryBuilder()
        .update(Instance)
        .set({ ...next, version: () => 'version + 1', updatedAt: now })
        .where('id = :id AND version = :version', { id: instance.id, version: instance.version })
        .execute();
      if (saved.affected !== 1) {
        const current = await manager.findOneByOrFail(Instance, { id: instance.id });
        throw new DomainError('STALE_VERSION', 'someone decided this step first', { current: toInstanceResponse(await this.view(manager, current)) });
      }
      Object.assign(task, {
        status: input.outcome === 'approve' ? 'approved' : 'rejected',
        decidedBy: reviewer,
        opinion: input.outcome === 'approve' ? (input.opinion ?? null) : input.reason,
        decidedAt: now,
      } satisfies Partial<Task>);
      await manager.update(Task, { id: task.id }, { status: task.status, decidedBy: task.decidedBy, opinion: task.opinion, decidedAt: task.decidedAt });
      Object.assign(instance, next);
      const by = { actor: reviewer, actingFor: principal.organisation ?? null };
      await this.record(manager, instance, await this.definitionOf(manager, instance), by, before, decision.events, task);
      return this.view(manager, await manager.findOneByOrFail(Instance, { id: instance.id }));
    });
  }

  /**
   * Closes the instance of a withdrawn revision at its pending step, inside the caller's (inbox)
   * transaction. A withdrawal that arrives after the instance closed (the last step decided a
   * moment earlier) changes nothing: intake keeps the status workflow reports. One that arrives
   * before the instance exists (its submission still being retried) fails, so the queue tries it
   * again later: it is never silently lost.
   */
  async withdraw(manager: EntityManager, message: MessageByName<'submission.withdrawn'>, now = new Date()): Promise<void> {
    const { submissionId, revision, by, reason } = message.payload;
    // Held to the end of the transaction: a reviewer's decision meanwhile waits, then finds the version moved.
    const instance = await manager.findOne(Instance, { where: { submissionId, revision }, lock: { mode: 'pessimistic_write' } });
    if (!instance) throw new Error(`withdrawal of ${submissionId} r${revision} came before its instance: retrying later`);
    const before = stateOf(instance);
    const decision = decide(before, { type: 'withdraw', actor: by, ...(reason ? { reason } : {}) }, now);
    if (!decision.ok) {
      this.logger.log(`withdrawal of ${submissionId} r${revision} ignored: ${decision.detail ?? decision.code}`);
      return;
    }
    const next = fold(before, decision.events);
    const saved = await manager
      .createQueryBuilder()
      .update(Instance)
      .set({ ...next, version: () => 'version + 1', updatedAt: now })
      .where('id = :id AND version = :version', { id: instance.id, version: instance.version })
      .execute();
    // Not a DomainError: the job is retried, and re-reads the instance (closed by then, most likely).
    if (saved.affected !== 1) throw new Error(`instance ${instance.id} changed while being withdrawn`);
    const pending = await manager.find(Task, { where: { instanceId: instance.id, status: 'pending' }, order: { stepIndex: 'ASC' } });
    for (const task of pending) {
      Object.assign(task, { status: 'withdrawn', decidedBy: by, opinion: reason ?? null, decidedAt: now } satisfies Partial<Task>);
      await manager.update(Task, { id: task.id }, { status: task.status, decidedBy: task.decidedBy, opinion: task.opinion, decidedAt: task.decidedAt });
    }
    Object.assign(instance, next);
    await this.record(manager, instance, await this.definitionOf(manager, instance), { actor: by, actingFor: null }, before, decision.events, undefined, pending);
  }

  /** An admin, or a reviewer of an organisation one of its steps was assigned to, may read an instance. */
  async get(principal: Principal, id: string): Promise<{ instance: Instance; tasks: Task[] }> {
    const instance = await this.dataSource.manager.findOneBy(Instance, { id });
    const view = instance && (await this.view(this.dataSource.manager, instance));
    const visible = view && (principal.role === 'admin' || view.tasks.some((t) => principal.role === 'reviewer' && t.organisationCode === principal.organisation));
    if (!view || !visible) throw new DomainError('NOT_FOUND', `no instance ${id}`);
    return view;
  }

  /** The version the instance started on, whatever has been published since. */
  private definitionOf(manager: EntityManager, instance: Instance): Promise<ApprovalDefinition> {
    return this.definitions.get(manager, instance.definitionKey, instance.definitionVersion);
  }

  private async view(manager: EntityManager, instance: Instance): Promise<{ instance: Instance; tasks: Task[] }> {
    return { instance, tasks: await manager.find(Task, { where: { instanceId: instance.id }, order: { stepIndex: 'ASC' } }) };
  }

  /**
   * Persists the events of one decision and what follows from them: audit entries, new tasks and
   * outgoing messages. The only place where events become side effects. `before` is the state
   * the events start from (undefined for a new instance).
   */
  private async record(
    manager: EntityManager,
    instance: Instance,
    definition: ApprovalDefinition,
    by: AuditActor,
    before: InstanceState | undefined,
    events: readonly InstanceEvent[],
    decided?: Task,
    withdrawn: readonly Task[] = [],
  ): Promise<void> {
    // The caller holds the instance's row (inserted, or updated under its version), so no one
    // else appends to this instance's entries before the transaction ends.
    const subject = { instanceId: instance.id, revision: instance.revision, definitionKey: instance.definitionKey, definitionVersion: instance.definitionVersion };
    await this.audit.append(manager, subject, by, before, events);
    const ref = { instanceId: instance.id, submission: instance.submission, definition: { key: definition.key, version: definition.version } };
    for (const event of events) {
      switch (event.type) {
        case 'started':
          await this.outbox.publish(manager, ApprovalStarted, { ...ref, stepCount: event.stepCount }, event.at);
          break;
        case 'step_assigned': {
          const task = await this.assign(manager, instance, definition, event.step);
          await this.outbox.publish(manager, TaskAssigned, { ...ref, taskId: task.id, step: stepRef(task), stepCount: instance.stepCount }, event.at);
          break;
        }
        case 'step_approved':
        case 'approved':
        case 'rejected': {
          if (!decided) throw new Error(`${event.type} without a decided task`);
          const decision = { ...ref, taskId: decided.id, step: stepRef(decided), decidedBy: decided.decidedBy ?? '', ...(decided.opinion && event.type !== 'rejected' ? { opinion: decided.opinion } : {}) };
          if (event.type === 'step_approved') await this.outbox.publish(manager, StepApproved, decision, event.at);
          else if (event.type === 'approved') await this.outbox.publish(manager, ApprovalApproved, decision, event.at);
          else await this.outbox.publish(manager, ApprovalRejected, { ...decision, reason: event.reason }, event.at);
          break;
        }
        case 'withdrawn': {
          const steps = withdrawn.map((t) => ({ taskId: t.id, step: stepRef(t) }));
          const payload = { ...ref, steps, withdrawnBy: event.actor, ...(event.reason ? { reason: event.reason } : {}) };
          await this.outbox.publish(manager, ApprovalWithdrawn, payload, event.at);
          break;
        }
      }
    }
  }

  private async assign(manager: EntityManager, instance: Instance, definition: ApprovalDefinition, index: number): Promise<Task> {
    const step = definition.steps[index];
    if (!step) throw new DomainError('INVALID_CHAIN', `${definition.key} v${definition.version} has no step ${index}`);
    // A submission that names no reviewer, or one the directory does not know, can never be
    // assigned: refusing (inside the start transaction, so nothing is kept) makes the job unrecoverable.
    const code = reviewerOrganisation(step, instance.submission);
    if (!code) throw new DomainError('INVALID_CHAIN', `${definition.key} step ${step.key} needs a ${step.reviewer.kind} the submission does not name`);
    const organisation = findOrganisation(code);
    if (!organisation) throw new DomainError('INVALID_CHAIN', `unknown reviewing organisation ${code}`);
    const task = manager.create(Task, {
      id: randomUUID(),
      instanceId: instance.id,
      stepIndex: index,
      stepKey: step.key,
      stepName: step.name,
      organisationCode: organisation.code,
      organisationName: organisation.name,
      organisationEmail: organisation.email,
      status: 'pending',
      decidedBy: null,
      opinion: null,
      decidedAt: null,
    });
    await manager.insert(Task, task);
    return task;
  }
}

const stateOf = (i: Instance): InstanceState => ({ status: i.status, currentStep: i.currentStep, stepCount: i.stepCount });

const fold = (state: InstanceState | undefined, events: readonly InstanceEvent[]): InstanceState => {
  const next = events.reduce(evolve, state);
  if (!next) throw new Error('no events to fold');
  return next;
};

const stepRef = (t: Task): StepRef => ({
  index: t.stepIndex,
  key: t.stepKey,
  name: t.stepName,
  organisation: { code: t.organisationCode, name: t.organisationName, email: t.organisationEmail },
});
