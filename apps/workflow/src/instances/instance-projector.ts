import {
  ApprovalApproved,
  ApprovalRejected,
  ApprovalResubmitted,
  ApprovalReturned,
  ApprovalStarted,
  ApprovalWithdrawn,
  DeadlineExtended,
  StepApproved,
  TaskAssigned,
  TaskDelegated,
  type ActorRef,
  type AnyMessageDefinition,
} from '@shanhai/contracts';
import type { ApprovalDefinition, InstanceEvent } from '@shanhai/domain';
import { DomainError } from '@shanhai/platform';
import type { z } from 'zod';
import { decisionOf, stepRef, type InstanceRef } from './instance-columns.js';
import type { DeadlineBook } from './deadline-book.js';
import type { Instance } from './instance.entity.js';
import type { TaskBook } from './task-book.js';
import type { Task } from './task.entity.js';

/** Writes one outgoing message (the outbox, in the caller's transaction). */
export type Publish = <D extends AnyMessageDefinition>(definition: D, payload: z.input<D['payload']>, at: Date) => Promise<unknown>;

/** An organisation as tasks and messages name it. */
export interface PartyEntry {
  readonly code: string;
  readonly name: string;
  readonly email: string;
}

/** The task operations the projector needs: TaskBook in the service, an in-memory book in its spec. */
export type TaskLedger = Pick<TaskBook, 'open' | 'find' | 'update' | 'decide' | 'closePending' | 'lastApproved' | 'lastReturned'>;

/** The clock operations the projector needs: DeadlineBook in the service, an in-memory book in its spec. */
export type DeadlineLedger = Pick<DeadlineBook, 'dueOn' | 'start' | 'pause' | 'resume' | 'extend' | 'recompute' | 'close'>;

export interface Projection {
  readonly instance: Pick<Instance, 'id' | 'submission' | 'revision' | 'stepCount'>;
  readonly definition: ApprovalDefinition;
  readonly tasks: TaskLedger;
  readonly deadlines: DeadlineLedger;
  readonly publish: Publish;
  /** The directory's entry for an organisation code (workflow's replica). */
  readonly party: (code: string) => Promise<PartyEntry>;
  /** The account that caused the events, named in the decisions' messages. */
  readonly account: ActorRef | null;
}

/**
 * The one place where an instance's events become effects: the tasks they open, decide or close,
 * the clocks they start, stop and close, and the messages they send. It reads and writes only through the projection's ledger and
 * publisher, so its spec runs without a database.
 */
export async function project(events: readonly InstanceEvent[], p: Projection): Promise<void> {
  const { instance, definition, tasks, deadlines, publish } = p;
  const ref: InstanceRef = { instanceId: instance.id, submission: instance.submission, definition: { key: definition.key, version: definition.version } };
  const actor = p.account ? { actor: p.account } : {};
  const decision = (task: Task) => ({ ...decisionOf(ref, task), ...(p.account ? { decider: p.account } : {}) });
  let lastApproved: Task | undefined;
  for (const event of events) {
    switch (event.type) {
      case 'started':
        await publish(ApprovalStarted, { ...ref, stepCount: event.chain.length, ...actor }, event.at);
        break;
      case 'step_assigned': {
        const step = definition.steps[event.step];
        if (!step) throw new DomainError('INVALID_CHAIN', `${definition.key} v${definition.version} has no step ${event.step}`);
        const entries = await Promise.all(event.parties.map((code) => p.party(code)));
        const parties = entries.map(({ code, name }) => ({ code, name }));
        const due = dueOf(events, event.step, event.round);
        for (const [party, organisation] of entries.entries()) {
          const task = await tasks.open(instance as Instance, step, { step: event.step, round: event.round, party }, organisation);
          await publish(TaskAssigned, { ...ref, taskId: task.id, step: stepRef(task), stepCount: instance.stepCount, party, parties, ...due }, event.at);
        }
        break;
      }
      case 'step_approved': {
        const task = await tasks.decide(event, { status: 'approved', opinion: event.opinion ?? null });
        lastApproved = task;
        await publish(StepApproved, decision(task), event.at);
        break;
      }
      case 'step_completed':
        await tasks.closePending(event.step, event.round, 'closed', event.at);
        await deadlines.close(event, 'done', event.at);
        break;
      case 'approved':
        await deadlines.close('all', 'done', event.at);
        await publish(ApprovalApproved, decision(lastApproved ?? (await tasks.lastApproved(event.step))), event.at);
        break;
      case 'rejected': {
        const task = await tasks.decide(event, { status: 'rejected', opinion: event.reason });
        await tasks.closePending(event.step, event.round, 'closed', event.at);
        await deadlines.close('all', 'done', event.at);
        await publish(ApprovalRejected, { ...decision(task), reason: event.reason }, event.at);
        break;
      }
      case 'returned': {
        const task = await tasks.decide(event, { status: 'returned', opinion: event.opinion ?? null, deficiencies: [...event.deficiencies] });
        await tasks.closePending(event.step, event.round, 'closed', event.at);
        await publish(ApprovalReturned, { ...decision(task), deficiencies: [...event.deficiencies] }, event.at);
        break;
      }
      case 'resubmitted': {
        const returned = await tasks.lastReturned(event.step);
        const reason = event.reason ? { reason: event.reason } : {};
        await publish(ApprovalResubmitted, { ...ref, revision: event.revision, step: stepRef(returned), resubmittedBy: event.actor, ...reason, ...actor }, event.at);
        break;
      }
      case 'delegated': {
        const task = await tasks.update(event, { assigneeId: event.to.userId, assigneeName: event.to.name, delegatedBy: event.actingFor ?? event.actor });
        const reason = event.reason ? { reason: event.reason } : {};
        await publish(TaskDelegated, { ...ref, taskId: task.id, step: stepRef(task), delegatedBy: event.actor, delegate: event.to, ...reason, ...actor }, event.at);
        break;
      }
      case 'reassigned': {
        const organisation = await p.party(event.to);
        const task = await tasks.update(event, {
          organisationCode: organisation.code,
          organisationName: organisation.name,
          organisationEmail: organisation.email,
          assigneeId: null,
          assigneeName: null,
          delegatedBy: null,
        });
        const due = await deadlines.dueOn(event.step, event.round);
        await publish(TaskAssigned, { ...ref, taskId: task.id, step: stepRef(task), stepCount: instance.stepCount, party: task.party, reassigned: true, ...due, ...actor }, event.at);
        break;
      }
      case 'withdrawn': {
        const closed = await tasks.closePending(event.step, undefined, 'withdrawn', event.at, event.actor, event.reason ?? null);
        await deadlines.close('all', 'closed', event.at);
        // Nothing pending: the submission was back with the applicant, and the step that returned it is told.
        const told = closed.length ? closed : [await tasks.lastReturned(event.step)];
        const steps = told.map((t) => ({ taskId: t.id, step: stepRef(t) }));
        await publish(ApprovalWithdrawn, { ...ref, steps, withdrawnBy: event.actor, ...(event.reason ? { reason: event.reason } : {}), ...actor }, event.at);
        break;
      }
      case 'deadline_extended': {
        await deadlines.extend(event);
        const task = await tasks.find(event);
        const extendedBy = event.actingFor ? `${event.actor}（代${event.actingFor}）` : event.actor;
        const due = event.dueOn ? { dueOn: event.dueOn } : {};
        await publish(DeadlineExtended, { ...ref, taskId: task.id, step: stepRef(task), days: event.days, reason: event.reason, extendedBy, ...due, ...actor }, event.at);
        break;
      }
      case 'deadline_set':
        await deadlines.start(event);
        break;
      case 'clock_paused':
        await deadlines.pause(event);
        break;
      case 'clock_resumed':
        await deadlines.resume(event);
        break;
      case 'deadline_recomputed':
        await deadlines.recompute(event);
        break;
    }
  }
}

/** The due date the batch gives a step's round as it is entered (its clock starts or resumes with it), for the assignment's message. */
function dueOf(events: readonly InstanceEvent[], step: number, round: number): { dueOn?: string } {
  const clock = events.find((e) => (e.type === 'deadline_set' || e.type === 'clock_resumed') && e.clock === 'step' && e.step === step && e.round === round);
  return clock && 'dueOn' in clock && clock.dueOn ? { dueOn: clock.dueOn } : {};
}
