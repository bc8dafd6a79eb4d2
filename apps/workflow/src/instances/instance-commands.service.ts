import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { summaryPart, type ActorRef, type MessageByName } from '@shanhai/contracts';
import { decide, deficiencyProblems, extensionBound, start, withLabel, type Assignee, type DeficiencyNote, type InstanceCommand } from '@shanhai/domain';
import { Clock, DomainError, RequestValidationError, type Principal } from '@shanhai/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-entries.js';
import { DefinitionsService } from '../definitions/definitions.service.js';
import { accessPolicy, type AccessRule } from './access-policy.js';
import { columnsOf, fold, stateOf } from './instance-columns.js';
import { InstanceQueries, type InstanceView } from './instance-queries.service.js';
import { InstanceStore } from './instance-store.js';
import { Instance } from './instance.entity.js';
import { Revision } from './revision.entity.js';
import { StepParties } from './step-parties.js';
import { Task } from './task.entity.js';

/** What a reviewer asks of a task. */
export type DecisionInput =
  | { outcome: 'approve'; opinion?: string }
  | { outcome: 'reject'; reason: string }
  | { outcome: 'return'; deficiencies: DeficiencyNote[]; opinion?: string }
  | { outcome: 'delegate'; to: Assignee; reason?: string };

/** 延期: a step's reviewers extend its time limit, once, by a bounded number of working days. */
export interface ExtendInput {
  days: number;
  reason: string;
}

export interface ReassignInput {
  organisation: string;
  reason?: string;
}

type Submitted = MessageByName<'submission.submitted'>;

/**
 * What changes an instance: submitted revisions and withdrawals (from intake's messages, in the
 * inbox transaction) and reviewers' and admins' commands. Each loads and locks the instance,
 * asks the domain's `decide` (which holds every rule about who may act), and hands the events to
 * the store. Of two concurrent commands on one task exactly one wins.
 */
@Injectable()
export class InstanceCommands {
  private readonly logger = new Logger(InstanceCommands.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: InstanceStore,
    private readonly queries: InstanceQueries,
    private readonly definitions: DefinitionsService,
    private readonly parties: StepParties,
    private readonly clock: Clock,
  ) {}

  /**
   * A submitted revision: revision 1 opens an instance and assigns its first step; a later
   * revision (corrected after a return) re-enters at the step that returned it. A revision seen
   * before changes nothing.
   */
  async submitted(manager: EntityManager, message: Submitted, at?: Date): Promise<void> {
    const payload = message.payload;
    const by = applicantOf(payload);
    const existing = await manager.findOne(Instance, { where: { submissionId: payload.submissionId }, lock: { mode: 'pessimistic_write' } });
    const now = at ?? this.clock.now();
    if (!existing) return this.start(manager, message, by, now);
    const before = stateOf(existing);
    const reason = 'reason' in payload && payload.reason ? { reason: payload.reason } : {};
    const decision = decide(before, { type: 'resubmit', actor: by.actor, revision: payload.revision, ...reason }, now);
    if (!decision.ok) {
      // A redelivered revision (STALE_REVISION) or one that arrives while nothing was returned: the
      // applicant's side cannot produce the latter, so it is logged and left, never applied twice.
      this.logger.warn(`revision ${payload.revision} of ${payload.submissionId} ignored: ${decision.detail ?? decision.code}`);
      return;
    }
    existing.submission = summaryPart(payload);
    await keepRevision(manager, existing.id, message, now);
    await this.store.apply(manager, existing, before, decision.events, by, now);
  }

  /** Applies a reviewer's decision. */
  async decide(principal: Principal, taskId: string, input: DecisionInput, at?: Date): Promise<InstanceView> {
    return this.dataSource.transaction(async (manager) => {
      const { task, instance } = await this.loadTask(manager, principal, taskId, accessPolicy.decideTask);
      // Taken once the instance is locked, so decisions queued on one instance are stamped in the order they apply.
      const now = at ?? this.clock.now();
      if (task.status !== 'pending') throw await this.store.conflict(manager, instance, 'TASK_CLOSED', `the task is closed (${task.status})`);
      const ref = { step: task.stepIndex, round: task.round, party: task.party, actor: principal.name, actorId: principal.userId, ...(principal.organisation ? { actorOrganisation: principal.organisation } : {}) };
      let command: InstanceCommand;
      switch (input.outcome) {
        case 'approve':
          command = { type: 'approve', ...ref, ...(input.opinion ? { opinion: input.opinion } : {}) };
          break;
        case 'reject':
          command = { type: 'reject', ...ref, reason: input.reason };
          break;
        case 'return': {
          const kind = instance.submission.kind;
          const snapshot = await this.queries.snapshotIfKnown(manager, instance.id, instance.revision);
          const problems = deficiencyProblems(input.deficiencies, kind, snapshot);
          if (problems.length) throw new RequestValidationError(problems);
          // Each deficiency goes out with its label ('司前区块 北至'), so every reader sees names, not paths.
          const deficiencies = input.deficiencies.map((d) => withLabel(kind, { target: d.target, ref: d.ref, note: d.note }, snapshot));
          command = { type: 'return', ...ref, deficiencies, ...(input.opinion ? { opinion: input.opinion } : {}) };
          break;
        }
        case 'delegate':
          command = { type: 'delegate', ...ref, to: input.to, ...(input.reason ? { reason: input.reason } : {}) };
          break;
      }
      const account = reviewerAccount(principal, task);
      await this.decideOn(manager, instance, command, { actor: principal.name, actingFor: task.delegatedBy, account }, now);
      return this.queries.view(manager, await manager.findOneByOrFail(Instance, { id: instance.id }));
    });
  }

  /**
   * A reviewer of the task's step extends the step's time limit (延期), once per step, by at most
   * the definition's bound; the applicant is told. Refused like a decision on a task that is not
   * pending or not theirs.
   */
  async extend(principal: Principal, taskId: string, input: ExtendInput, at?: Date): Promise<InstanceView> {
    return this.dataSource.transaction(async (manager) => {
      const { task, instance } = await this.loadTask(manager, principal, taskId, accessPolicy.decideTask);
      const now = at ?? this.clock.now();
      if (task.status !== 'pending') throw await this.store.conflict(manager, instance, 'TASK_CLOSED', `the task is closed (${task.status})`);
      const definition = await this.definitions.get(manager, instance.definitionKey, instance.definitionVersion);
      const step = definition.steps[task.stepIndex];
      const command: InstanceCommand = {
        type: 'extend',
        step: task.stepIndex,
        round: task.round,
        party: task.party,
        actor: principal.name,
        actorId: principal.userId,
        ...(principal.organisation ? { actorOrganisation: principal.organisation } : {}),
        days: input.days,
        reason: input.reason,
        maxDays: step ? extensionBound(step) : 0,
      };
      await this.decideOn(manager, instance, command, { actor: principal.name, actingFor: task.delegatedBy, account: reviewerAccount(principal, task) }, now);
      return this.queries.view(manager, await manager.findOneByOrFail(Instance, { id: instance.id }));
    });
  }

  /** An admin hands a pending task to another organisation (e.g. after a reorganisation). */
  async reassign(principal: Principal, taskId: string, input: ReassignInput, at?: Date): Promise<InstanceView> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.parties.exists(manager, input.organisation))) {
        throw new RequestValidationError([{ field: 'organisation', message: `no organisation has the code ${input.organisation}` }]);
      }
      const { task, instance } = await this.loadTask(manager, principal, taskId, accessPolicy.reassignTask);
      const now = at ?? this.clock.now();
      if (task.status !== 'pending') throw await this.store.conflict(manager, instance, 'TASK_CLOSED', `the task is closed (${task.status})`);
      const command: InstanceCommand = {
        type: 'reassign',
        step: task.stepIndex,
        round: task.round,
        party: task.party,
        actor: principal.name,
        actorId: principal.userId,
        organisation: input.organisation,
        ...(input.reason ? { reason: input.reason } : {}),
      };
      await this.decideOn(manager, instance, command, { actor: principal.name, actingFor: null, account: { userId: principal.userId, name: principal.name } }, now);
      return this.queries.view(manager, await manager.findOneByOrFail(Instance, { id: instance.id }));
    });
  }

  /**
   * Closes the instance of a withdrawn submission at its pending step. A withdrawal that arrives
   * after the instance closed (the last step decided a moment earlier) changes nothing: intake
   * keeps the status workflow reports. One that arrives before the instance exists (its
   * submission still being retried) fails, so the queue tries it again later: never silently lost.
   */
  async withdraw(manager: EntityManager, message: MessageByName<'submission.withdrawn'>, at?: Date): Promise<void> {
    const { submissionId, revision, by, reason } = message.payload;
    const account = 'actor' in message.payload ? (message.payload.actor ?? null) : null;
    // Held to the end of the transaction: a reviewer's decision meanwhile waits, then finds the task closed.
    const instance = await manager.findOne(Instance, { where: { submissionId }, lock: { mode: 'pessimistic_write' } });
    const now = at ?? this.clock.now();
    if (!instance || instance.revision < revision) throw new Error(`withdrawal of ${submissionId} r${revision} came before its instance: retrying later`);
    const before = stateOf(instance);
    // The revision withdrawn goes with it: a correction that overtook it on the queue has the last word.
    const decision = decide(before, { type: 'withdraw', actor: account?.name ?? by, revision, ...(reason ? { reason } : {}) }, now);
    if (!decision.ok) {
      // Closed a moment earlier (intake keeps the status workflow reports), or overtaken by the
      // correction the applicant resubmitted after asking (STALE_REVISION): they may withdraw that one.
      const note = `withdrawal of ${submissionId} r${revision} ignored: ${decision.detail ?? decision.code}`;
      if (decision.code === 'STALE_REVISION') this.logger.warn(note);
      else this.logger.log(note);
      return;
    }
    await this.store.apply(manager, instance, before, decision.events, { actor: account?.name ?? by, actingFor: null, account }, now);
  }

  private async start(manager: EntityManager, message: Submitted, by: AuditActor, now: Date): Promise<void> {
    const payload = message.payload;
    const submission = summaryPart(payload);
    // New instances start on the newest version; they keep it to the end.
    const definition = await this.definitions.latest(manager, submission.kind);
    const opened = start(await this.parties.chainFor(manager, definition, submission), payload.revision, now);
    if (!opened.ok) throw new DomainError(opened.code, opened.detail ?? opened.code);
    const instance = manager.create(Instance, {
      id: randomUUID(),
      submissionId: submission.submissionId,
      submission,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      ...columnsOf(fold(undefined, opened.events)),
    });
    await manager.save(instance);
    await keepRevision(manager, instance.id, message, now);
    await this.store.opened(manager, instance, definition, by, opened.events);
  }

  /**
   * The task, locked with its instance, if `rule` lets the principal act on it; to anyone else it
   * does not exist. The rule is asked again of the task as the lock finds it: one that changed
   * hands while the command waited (an admin's reassignment landed first) is refused on that state.
   */
  private async loadTask(manager: EntityManager, principal: Principal, taskId: string, rule: AccessRule<Task>): Promise<{ task: Task; instance: Instance }> {
    // Only to find the instance to lock, and to keep strangers from locking it: nothing is decided on this read.
    const found = await manager.findOneBy(Task, { id: taskId });
    if (!found || !rule.allows(principal, found)) throw new DomainError('NOT_FOUND', `no task ${taskId}`);
    // Decisions on one instance queue behind each other: parallel countersign decisions all land,
    // and a second decision on the same task re-reads it closed.
    const instance = await manager.findOneOrFail(Instance, { where: { id: found.instanceId }, lock: { mode: 'pessimistic_write' } });
    // Read again under the lock: what decides is the task as the command will change it.
    const task = await manager.findOneByOrFail(Task, { id: taskId });
    if (!rule.allows(principal, task)) throw await this.store.conflict(manager, instance, 'TASK_REASSIGNED', `the task was reassigned to ${task.organisationCode}`);
    return { task, instance };
  }

  private async decideOn(manager: EntityManager, instance: Instance, command: InstanceCommand, by: AuditActor, now: Date): Promise<void> {
    const before = stateOf(instance);
    const decision = decide(before, command, now);
    if (!decision.ok) throw await this.store.conflict(manager, instance, decision.code, decision.detail ?? decision.code);
    await this.store.apply(manager, instance, before, decision.events, by, now);
  }

}

/** A reviewer as the audit names them: their account and the organisation they act for, as the task names it (no second read). */
const reviewerAccount = (principal: Principal, task: Task): ActorRef => ({
  userId: principal.userId,
  name: principal.name,
  organisation: { code: task.organisationCode, name: task.organisationName },
});

/** The applicant's account that submitted, as intake sent it; a message from before it did names the county's government. */
function applicantOf(payload: Submitted['payload']): AuditActor {
  const account = 'submittedBy' in payload ? payload.submittedBy : undefined;
  return account ? { actor: account.name, actingFor: null, account } : { actor: `${payload.county.name}人民政府`, actingFor: null, account: null };
}

async function keepRevision(manager: EntityManager, instanceId: string, message: Submitted, now: Date): Promise<void> {
  const p = message.payload;
  const withContent = 'content' in p ? { content: p.content as object, attachments: p.attachments } : { content: null, attachments: [] };
  await manager.insert(Revision, { instanceId, revision: p.revision, title: p.title, ...withContent, receivedAt: now });
}
