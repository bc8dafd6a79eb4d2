import { randomUUID } from 'node:crypto';
import type { ReplicaOrganisation } from '@shanhai/platform';
import { In, type EntityManager } from 'typeorm';
import type { Instance } from './instance.entity.js';
import { Task } from './task.entity.js';

type At = { step: number; round: number; party: number };

/** The tasks of one instance as events change them, addressed as the events address them. */
export class TaskBook {
  constructor(
    private readonly manager: EntityManager,
    private readonly instanceId: string,
  ) {}

  /** Opens the task of one party of an entered step. */
  async open(instance: Instance, step: { key: string; name: string }, at: At, organisation: Pick<ReplicaOrganisation, 'code' | 'name' | 'email'>): Promise<Task> {
    const task = this.manager.create(Task, {
      id: randomUUID(),
      instanceId: instance.id,
      stepIndex: at.step,
      round: at.round,
      party: at.party,
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
    await this.manager.insert(Task, task);
    return task;
  }

  find(at: At): Promise<Task> {
    return this.manager.findOneByOrFail(Task, { instanceId: this.instanceId, stepIndex: at.step, round: at.round, party: at.party });
  }

  async update(at: At, change: Partial<Task>): Promise<Task> {
    const task = await this.find(at);
    Object.assign(task, change);
    await this.manager.update(Task, { id: task.id }, change);
    return task;
  }

  decide(event: At & { actor: string; actingFor?: string; at: Date }, change: Partial<Task>): Promise<Task> {
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

  lastApproved(step: number): Promise<Task> {
    return this.manager.findOneOrFail(Task, { where: { instanceId: this.instanceId, stepIndex: step, status: 'approved' }, order: { round: 'DESC', decidedAt: 'DESC' } });
  }

  lastReturned(step: number): Promise<Task> {
    return this.manager.findOneOrFail(Task, { where: { instanceId: this.instanceId, stepIndex: step, status: 'returned' }, order: { round: 'DESC' } });
  }
}
