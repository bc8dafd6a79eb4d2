import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ApprovalApproved,
  ApprovalRejected,
  ApprovalResubmitted,
  ApprovalReturned,
  ApprovalStarted,
  ApprovalWithdrawn,
  StepApproved,
  summaryPart,
  TaskAssigned,
  TaskDelegated,
  type MessageByName,
  type StepRef,
} from '@shanhai/contracts';
import {
  decide,
  deficiencyProblems,
  diffRevisions,
  evolve,
  findOrganisation,
  reviewerOrganisation,
  reviewersOf,
  start,
  type ApprovalDefinition,
  type Assignee,
  type ChainStep,
  type DeficiencyNote,
  type InstanceCommand,
  type InstanceEvent,
  type InstanceState,
  type RevisionDiff,
  type RevisionSnapshot,
} from '@shanhai/domain';
import { DomainError, Outbox, RequestValidationError, type Principal } from '@shanhai/platform';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuditActor } from '../audit/audit-entries.js';
import { DefinitionsService } from '../definitions/definitions.service.js';
import { toInstanceResponse } from './dto/instance.response.js';
import { Instance } from './instance.entity.js';
import { Revision } from './revision.entity.js';
import { Task } from './task.entity.js';

/** What a reviewer asks of a task. */
export type DecisionInput =
  | { outcome: 'approve'; opinion?: string }
  | { outcome: 'reject'; reason: string }
  | { outcome: 'return'; deficiencies: DeficiencyNote[]; opinion?: string }
  | { outcome: 'delegate'; to: Assignee; reason?: string };

export interface ReassignInput {
  organisation: string;
  reason?: string;
}

export interface InstanceView {
  instance: Instance;
  tasks: Task[];
}

type Submitted = MessageByName<'submission.submitted'>;

@Injectable()
export class InstancesService {
  private readonly logger = new Logger(InstancesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly audit: AuditService,
    private readonly definitions: DefinitionsService,
  ) {}

  /**
   * A submitted revision, inside the caller's (inbox) transaction: revision 1 opens an instance
   * and assigns its first step; a later revision (corrected after a return) re-enters the
   * instance at the step that returned it. A revision seen before changes nothing.
   */
  async submitted(manager: EntityManager, message: Submitted, at?: Date): Promise<void> {
    const payload = message.payload;
    const existing = await manager.findOne(Instance, { where: { submissionId: payload.submissionId }, lock: { mode: 'pessimistic_write' } });
    const now = at ?? new Date();
    if (!existing) return this.start(manager, message, now);
    const before = stateOf(existing);
    const decision = decide(before, { type: 'resubmit', actor: payload.applicant.name, revision: payload.revision }, now);
    if (!decision.ok) {
      // A redelivered revision (STALE_REVISION) or one that arrives while nothing was returned: the
      // applicant's side cannot produce the latter, so it is logged and left, never applied twice.
      this.logger.warn(`revision ${payload.revision} of ${payload.submissionId} ignored: ${decision.detail ?? decision.code}`);
      return;
    }
    existing.submission = summaryPart(payload);
    await this.keepRevision(manager, existing.id, message, now);
    await this.apply(manager, existing, before, decision.events, { actor: payload.applicant.name, actingFor: null }, now);
  }

  private async start(manager: EntityManager, message: Submitted, now: Date): Promise<void> {
    const payload = message.payload;
    const submission = summaryPart(payload);
    // New instances start on the newest version; they keep it to the end (see definitionOf).
    const definition = await this.definitions.latest(manager, submission.kind);
    const opened = start(resolveChain(definition, submission), payload.revision, now);
    if (!opened.ok) throw new DomainError(opened.code, opened.detail ?? opened.code);
    const state = fold(undefined, opened.events);
    const instance = manager.create(Instance, {
      id: randomUUID(),
      submissionId: submission.submissionId,
      submission,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      ...columnsOf(state),
    });
    await manager.save(instance);
    await this.keepRevision(manager, instance.id, message, now);
    await this.record(manager, instance, definition, { actor: submission.applicant.name, actingFor: null }, undefined, opened.events);
  }

  /** Applies a reviewer's decision; of two concurrent decisions on one task exactly one wins. */
  async decide(principal: Principal, taskId: string, input: DecisionInput, at?: Date): Promise<InstanceView> {
    return this.dataSource.transaction(async (manager) => {
      const { task, instance } = await this.loadTask(manager, taskId, (t) => principal.role === 'reviewer' && principal.organisation === t.organisationCode);
      // Taken once the instance is locked, so decisions queued on one instance are stamped in the order they apply.
      const now = at ?? new Date();
      if (task.status !== 'pending') throw await this.conflict(manager, instance, 'TASK_CLOSED', `the task is closed (${task.status})`);
      if (task.assigneeId && task.assigneeId !== principal.userId) {
        throw new DomainError('FORBIDDEN', `the task was delegated to ${task.assigneeName ?? task.assigneeId}: only they decide it`);
      }
      const ref = { step: task.stepIndex, round: task.round, party: task.party, actor: principal.name };
      let command: InstanceCommand;
      switch (input.outcome) {
        case 'approve':
          command = { type: 'approve', ...ref, ...(input.opinion ? { opinion: input.opinion } : {}) };
          break;
        case 'reject':
          command = { type: 'reject', ...ref, reason: input.reason };
          break;
        case 'return': {
          const problems = deficiencyProblems(input.deficiencies, instance.submission.kind, await this.snapshotIfKnown(manager, instance.id, instance.revision));
          if (problems.length) throw new RequestValidationError(problems);
          command = { type: 'return', ...ref, deficiencies: input.deficiencies, ...(input.opinion ? { opinion: input.opinion } : {}) };
          break;
        }
        case 'delegate':
          if (input.to.userId === principal.userId) throw new RequestValidationError([{ field: 'to.userId', message: 'a task is delegated to a colleague, not to oneself' }]);
          command = { type: 'delegate', ...ref, to: input.to, ...(input.reason ? { reason: input.reason } : {}) };
          break;
      }
      await this.decideOn(manager, instance, command, { actor: principal.name, actingFor: task.delegatedBy }, now);
      return this.view(manager, await manager.findOneByOrFail(Instance, { id: instance.id }));
    });
  }

  /** An admin hands a pending task to another organisation (e.g. after a reorganisation). */
  async reassign(principal: Principal, taskId: string, input: ReassignInput, at?: Date): Promise<InstanceView> {
    if (!findOrganisation(input.organisation)) throw new RequestValidationError([{ field: 'organisation', message: `no organisation has the code ${input.organisation}` }]);
    return this.dataSource.transaction(async (manager) => {
      const { task, instance } = await this.loadTask(manager, taskId, () => principal.role === 'admin');
      const now = at ?? new Date();
      if (task.status !== 'pending') throw await this.conflict(manager, instance, 'TASK_CLOSED', `the task is closed (${task.status})`);
      const command: InstanceCommand = {
        type: 'reassign',
        step: task.stepIndex,
        round: task.round,
        party: task.party,
        actor: principal.name,
        organisation: input.organisation,
        ...(input.reason ? { reason: input.reason } : {}),
      };
      await this.decideOn(manager, instance, command, { actor: principal.name, actingFor: null }, now);
      return this.view(manager, await manager.findOneByOrFail(Instance, { id: instance.id }));
    });
  }

  /**
   * Closes the instance of a withdrawn submission at its pending step, inside the caller's (inbox)
   * transaction. A withdrawal that arrives after the instance closed (the last step decided a
   * moment earlier) changes nothing: intake keeps the status workflow reports. One that arrives
   * before the instance exists (its submission still being retried) fails, so the queue tries it
   * again later: it is never silently lost.
   */
  async withdraw(manager: EntityManager, message: MessageByName<'submission.withdrawn'>, at?: Date): Promise<void> {
    const { submissionId, revision, by, reason } = message.payload;
    // Held to the end of the transaction: a reviewer's decision meanwhile waits, then finds the task closed.
    const instance = await manager.findOne(Instance, { where: { submissionId }, lock: { mode: 'pessimistic_write' } });
    const now = at ?? new Date();
    if (!instance || instance.revision < revision) throw new Error(`withdrawal of ${submissionId} r${revision} came before its instance: retrying later`);
    const before = stateOf(instance);
    const decision = decide(before, { type: 'withdraw', actor: by, ...(reason ? { reason } : {}) }, now);
    if (!decision.ok) {
      this.logger.log(`withdrawal of ${submissionId} r${revision} ignored: ${decision.detail ?? decision.code}`);
      return;
    }
    await this.apply(manager, instance, before, decision.events, { actor: by, actingFor: null }, now);
  }

  /** An admin, or a reviewer of an organisation one of its steps was assigned to, may read an instance. */
  async get(principal: Principal, id: string): Promise<InstanceView> {
    const instance = await this.dataSource.manager.findOneBy(Instance, { id });
    const view = instance && (await this.view(this.dataSource.manager, instance));
    const visible = view && (principal.role === 'admin' || view.tasks.some((t) => principal.role === 'reviewer' && t.organisationCode === principal.organisation));
    if (!view || !visible) throw new DomainError('NOT_FOUND', `no instance ${id}`);
    return view;
  }

  /**
   * What changed between two revisions (by default the one under review and the one before it).
   * Revision 0 is the empty submission: against it, the first revision adds every field.
   */
  async diff(principal: Principal, id: string, range: { from?: number; to?: number }): Promise<{ from: number; to: number } & RevisionDiff> {
    const { instance } = await this.get(principal, id);
    const to = range.to ?? instance.revision;
    const from = range.from ?? to - 1;
    if (from >= to) throw new RequestValidationError([{ field: 'from', message: `from (${from}) must be an earlier revision than to (${to})` }]);
    const manager = this.dataSource.manager;
    return { from, to, ...diffRevisions(await this.snapshot(manager, id, from), await this.snapshot(manager, id, to)) };
  }

  private async snapshot(manager: EntityManager, instanceId: string, revision: number): Promise<RevisionSnapshot> {
    if (revision === 0) return { fields: {}, attachments: [] };
    const row = await manager.findOneBy(Revision, { instanceId, revision });
    if (!row) throw new DomainError('NOT_FOUND', `no revision ${revision} of instance ${instanceId}`);
    if (!row.content) throw new DomainError('CONTENT_UNAVAILABLE', `revision ${revision} arrived without its content (a v1 message)`);
    return { fields: { title: row.title, content: row.content }, attachments: row.attachments };
  }

  /** The revision's snapshot, or undefined when its content never reached workflow (a v1 message, or an instance older than revisions). */
  private async snapshotIfKnown(manager: EntityManager, instanceId: string, revision: number): Promise<RevisionSnapshot | undefined> {
    const row = await manager.findOneBy(Revision, { instanceId, revision });
    return row?.content ? { fields: { title: row.title, content: row.content }, attachments: row.attachments } : undefined;
  }

  private async keepRevision(manager: EntityManager, instanceId: string, message: Submitted, now: Date): Promise<void> {
    const p = message.payload;
    const withContent = 'content' in p ? { content: p.content as object, attachments: p.attachments } : { content: null, attachments: [] };
    await manager.insert(Revision, { instanceId, revision: p.revision, title: p.title, ...withContent, receivedAt: now });
  }

  /** The task, locked with its instance, if `may` lets the principal act on it; to anyone else it does not exist. */
  private async loadTask(manager: EntityManager, taskId: string, may: (task: Task) => boolean): Promise<{ task: Task; instance: Instance }> {
    const found = await manager.findOneBy(Task, { id: taskId });
    if (!found || !may(found)) throw new DomainError('NOT_FOUND', `no task ${taskId}`);
    // Decisions on one instance queue behind each other: parallel countersign decisions all land,
    // and a second decision on the same task re-reads it closed.
    const instance = await manager.findOneOrFail(Instance, { where: { id: found.instanceId }, lock: { mode: 'pessimistic_write' } });
    const task = await manager.findOneByOrFail(Task, { id: taskId });
    return { task, instance };
  }

  private async decideOn(manager: EntityManager, instance: Instance, command: InstanceCommand, by: AuditActor, now: Date): Promise<void> {
    const before = stateOf(instance);
    const decision = decide(before, command, now);
    // A refusal shows the state it was refused against, e.g. a step decided a moment earlier.
    if (!decision.ok) throw await this.conflict(manager, instance, decision.code, decision.detail ?? decision.code);
    await this.apply(manager, instance, before, decision.events, by, now);
  }

  private async conflict(manager: EntityManager, instance: Instance, code: DomainError['code'], detail: string): Promise<DomainError> {
    return new DomainError(code, detail, { current: toInstanceResponse(await this.view(manager, instance)) });
  }

  /** Saves the state the events lead to, under the instance's version, then their effects. */
  private async apply(manager: EntityManager, instance: Instance, before: InstanceState, events: readonly InstanceEvent[], by: AuditActor, now: Date): Promise<void> {
    const next = fold(before, events);
    const saved = await manager
      .createQueryBuilder()
      .update(Instance)
      .set({ ...columnsOf(next), submission: instance.submission, version: () => 'version + 1', updatedAt: now })
      .where('id = :id AND version = :version', { id: instance.id, version: instance.version })
      .execute();
    if (saved.affected !== 1) throw await this.conflict(manager, await manager.findOneByOrFail(Instance, { id: instance.id }), 'STALE_VERSION', 'someone decided first');
    Object.assign(instance, columnsOf(next));
    await this.record(manager, instance, await this.definitionOf(manager, instance), by, before, events);
  }

  /** The version the instance started on, whatever has been published since. */
  private definitionOf(manager: EntityManager, instance: Instance): Promise<ApprovalDefinition> {
    return this.definitions.get(manager, instance.definitionKey, instance.definitionVersion);
  }

  private async view(manager: EntityManager, instance: Instance): Promise<InstanceView> {
    return { instance, tasks: await manager.find(Task, { where: { instanceId: instance.id }, order: { round: 'ASC', stepIndex: 'ASC', party: 'ASC' } }) };
  }

  /**
   * Persists the events of one decision and what follows from them: audit entries, the tasks
   * they open or close, and outgoing messages. The only place where events become side effects.
   * `before` is the state the events start from (undefined for a new instance).
   */
  private async record(manager: EntityManager, instance: Instance, definition: ApprovalDefinition, by: AuditActor, before: InstanceState | undefined, events: readonly InstanceEvent[]): Promise<void> {
    // The caller holds the instance's row (inserted, or locked and updated under its version), so
    // no one else appends to this instance's entries before the transaction ends.
    const subject = { instanceId: instance.id, revision: instance.revision, definitionKey: instance.definitionKey, definitionVersion: instance.definitionVersion };
    await this.audit.append(manager, subject, by, before, events);
    const ref = { instanceId: instance.id, submission: instance.submission, definition: { key: definition.key, version: definition.version } };
    const tasks = new TaskBook(manager, instance.id);
    let lastApproved: Task | undefined;
    for (const event of events) {
      switch (event.type) {
        case 'started':
          await this.outbox.publish(manager, ApprovalStarted, { ...ref, stepCount: event.chain.length }, event.at);
          break;
        case 'step_assigned': {
          const parties = event.parties.map((code) => directoryEntry(code)).map(({ code, name }) => ({ code, name }));
          for (const [party, code] of event.parties.entries()) {
            const task = await this.openTask(manager, instance, definition, event, party, code);
            await this.outbox.publish(manager, TaskAssigned, { ...ref, taskId: task.id, step: stepRef(task), stepCount: instance.stepCount, party, parties }, event.at);
          }
          break;
        }
        case 'step_approved': {
          const task = await tasks.decide(event, { status: 'approved', opinion: event.opinion ?? null });
          lastApproved = task;
          await this.outbox.publish(manager, StepApproved, decisionOf(ref, task), event.at);
          break;
        }
        case 'step_completed':
          await tasks.closePending(event.step, event.round, 'closed', event.at);
          break;
        case 'approved': {
          const task = lastApproved ?? (await tasks.lastApproved(event.step));
          await this.outbox.publish(manager, ApprovalApproved, decisionOf(ref, task), event.at);
          break;
        }
        case 'rejected': {
          const task = await tasks.decide(event, { status: 'rejected', opinion: event.reason });
          await tasks.closePending(event.step, event.round, 'closed', event.at);
          await this.outbox.publish(manager, ApprovalRejected, { ...decisionOf(ref, task), reason: event.reason }, event.at);
          break;
        }
        case 'returned': {
          const task = await tasks.decide(event, { status: 'returned', opinion: event.opinion ?? null, deficiencies: [...event.deficiencies] });
          await tasks.closePending(event.step, event.round, 'closed', event.at);
          await this.outbox.publish(manager, ApprovalReturned, { ...decisionOf(ref, task), deficiencies: [...event.deficiencies] }, event.at);
          break;
        }
        case 'resubmitted': {
          const returned = await tasks.lastReturned(event.step);
          await this.outbox.publish(manager, ApprovalResubmitted, { ...ref, revision: event.revision, step: stepRef(returned), resubmittedBy: event.actor }, event.at);
          break;
        }
        case 'delegated': {
          const task = await tasks.update(event, { assigneeId: event.to.userId, assigneeName: event.to.name, delegatedBy: event.actingFor ?? event.actor });
          const payload = { ...ref, taskId: task.id, step: stepRef(task), delegatedBy: event.actor, delegate: event.to, ...(event.reason ? { reason: event.reason } : {}) };
          await this.outbox.publish(manager, TaskDelegated, payload, event.at);
          break;
        }
        case 'reassigned': {
          const organisation = directoryEntry(event.to);
          const task = await tasks.update(event, {
            organisationCode: organisation.code,
            organisationName: organisation.name,
            organisationEmail: organisation.email,
            assigneeId: null,
            assigneeName: null,
            delegatedBy: null,
          });
          await this.outbox.publish(manager, TaskAssigned, { ...ref, taskId: task.id, step: stepRef(task), stepCount: instance.stepCount, party: task.party, reassigned: true }, event.at);
          break;
        }
        case 'withdrawn': {
          const closed = await tasks.closePending(event.step, undefined, 'withdrawn', event.at, event.actor, event.reason ?? null);
          const steps = closed.map((t) => ({ taskId: t.id, step: stepRef(t) }));
          await this.outbox.publish(manager, ApprovalWithdrawn, { ...ref, steps, withdrawnBy: event.actor, ...(event.reason ? { reason: event.reason } : {}) }, event.at);
          break;
        }
      }
    }
  }

  private async openTask(manager: EntityManager, instance: Instance, definition: ApprovalDefinition, event: Extract<InstanceEvent, { type: 'step_assigned' }>, party: number, code: string): Promise<Task> {
    const step = definition.steps[event.step];
    if (!step) throw new DomainError('INVALID_CHAIN', `${definition.key} v${definition.version} has no step ${event.step}`);
    const organisation = directoryEntry(code);
    const task = manager.create(Task, {
      id: randomUUID(),
      instanceId: instance.id,
      stepIndex: event.step,
      round: event.round,
      party,
      revision: instance.revision,
      stepKey: step.key,
      stepName: step.name,
      organisationCode: organisation.code,
      organisationName: organisation.name,
      organisationEmail: organisation.email,
      status: 'pending',
      decidedBy: null,
      opinion: null,
      decidedAt: null,
      assigneeId: null,
      assigneeName: null,
      delegatedBy: null,
      actingFor: null,
      deficiencies: null,
    });
    await manager.insert(Task, task);
    return task;
  }
}

/** The tasks of one instance as events change them, addressed as the events address them. */
class TaskBook {
  constructor(
    private readonly manager: EntityManager,
    private readonly instanceId: string,
  ) {}

  async find(at: { step: number; round: number; party: number }): Promise<Task> {
    return this.manager.findOneByOrFail(Task, { instanceId: this.instanceId, stepIndex: at.step, round: at.round, party: at.party });
  }

  async update(at: { step: number; round: number; party: number }, change: Partial<Task>): Promise<Task> {
    const task = await this.find(at);
    Object.assign(task, change);
    await this.manager.update(Task, { id: task.id }, change);
    return task;
  }

  decide(event: { step: number; round: number; party: number; actor: string; actingFor?: string; at: Date }, change: Partial<Task>): Promise<Task> {
    return this.update(event, { ...change, decidedBy: event.actor, actingFor: event.actingFor ?? null, decidedAt: event.at });
  }

  /** Closes the step's pending tasks (of one round, or any), returning them. */
  async closePending(step: number, round: number | undefined, status: 'closed' | 'withdrawn', at: Date, by: string | null = null, opinion: string | null = null): Promise<Task[]> {
    const pending = await this.manager.find(Task, {
      where: { instanceId: this.instanceId, stepIndex: step, status: 'pending', ...(round === undefined ? {} : { round }) },
      order: { party: 'ASC' },
    });
    if (pending.length) {
      await this.manager.update(Task, { id: In(pending.map((t) => t.id)) }, { status, decidedAt: at, decidedBy: by, opinion });
    }
    return pending.map((t) => Object.assign(t, { status, decidedAt: at, decidedBy: by, opinion }));
  }

  async lastApproved(step: number): Promise<Task> {
    return this.manager.findOneOrFail(Task, { where: { instanceId: this.instanceId, stepIndex: step, status: 'approved' }, order: { round: 'DESC', decidedAt: 'DESC' } });
  }

  async lastReturned(step: number): Promise<Task> {
    return this.manager.findOneOrFail(Task, { where: { instanceId: this.instanceId, stepIndex: step, status: 'returned' }, order: { round: 'DESC' } });
  }
}

/** Resolves each step's reviewers for the submission; a step that cannot be resolved refuses the start (the job then fails for good). */
function resolveChain(definition: ApprovalDefinition, submission: Parameters<typeof reviewerOrganisation>[1]): ChainStep[] {
  return definition.steps.map((step) => ({
    mode: step.mode,
    parties: reviewersOf(step).map((reviewer) => {
      const code = reviewerOrganisation(reviewer, submission);
      if (!code) throw new DomainError('INVALID_CHAIN', `${definition.key} step ${step.key} needs a ${reviewer.kind} the submission does not name`);
      return directoryEntry(code).code;
    }),
  }));
}

function directoryEntry(code: string): { code: string; name: string; email: string } {
  const organisation = findOrganisation(code);
  if (!organisation) throw new DomainError('INVALID_CHAIN', `unknown reviewing organisation ${code}`);
  return organisation;
}

export const stateOf = (i: Instance): InstanceState => ({
  status: i.status,
  revision: i.revision,
  currentStep: i.currentStep,
  round: i.round,
  chain: i.chain,
  parties: i.parties,
});

const columnsOf = (s: InstanceState) => ({
  status: s.status,
  revision: s.revision,
  currentStep: s.currentStep,
  stepCount: s.chain.length,
  round: s.round,
  chain: [...s.chain],
  parties: [...s.parties],
});

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

const decisionOf = (ref: { instanceId: string; submission: Instance['submission']; definition: { key: string; version: number } }, task: Task) => ({
  ...ref,
  taskId: task.id,
  step: stepRef(task),
  decidedBy: task.decidedBy ?? '',
  ...(task.opinion && task.status !== 'rejected' ? { opinion: task.opinion } : {}),
  ...(task.actingFor ? { actingFor: task.actingFor } : {}),
});
