import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate } from '@shanhai/domain';
import { Clock, DomainError, type Principal } from '@shanhai/platform';
import type { DataSource } from 'typeorm';
import { Deadline } from './deadline.entity.js';
import { accessPolicy } from './access-policy.js';
import { toTaskResponse, type TaskResponse } from './dto/instance.response.js';
import { Instance } from './instance.entity.js';
import { Task, type TaskStatus } from './task.entity.js';

export interface TaskFilter {
  organisation?: string;
  status?: TaskStatus;
  submissionId?: string;
  kind?: string;
  step?: string;
  /** Only tasks delegated to this user. */
  assignedTo?: string;
  /** Only tasks whose round is due before this China date (YYYY-MM-DD). */
  dueBefore?: string;
  /** Only pending tasks past the end of their due day (true), or only the others (false). */
  overdue?: boolean;
  limit: number;
  offset: number;
}

/** Reviewers' task lists (reads only; decisions go through InstanceCommands). */
@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** A reviewer sees its own organisation's tasks whatever the filter says; an admin sees all. */
  async list(principal: Principal, filter: TaskFilter): Promise<{ items: TaskResponse[]; total: number }> {
    const query = this.dataSource.manager
      .createQueryBuilder(Task, 't')
      .innerJoinAndMapOne('t.instance', Instance, 'i', 'i.id = t.instanceId')
      .leftJoinAndMapOne('t.clock', Deadline, 'd', "d.instanceId = t.instanceId AND d.step = t.stepIndex AND d.round = t.round AND d.clock = 'step'")
      .orderBy('t.createdAt', 'ASC')
      .addOrderBy('t.party', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .take(filter.limit)
      .skip(filter.offset);
    const readable = accessPolicy.readTask.where(principal, 't');
    if (readable !== 'all') query.andWhere(readable.sql, readable.params);
    // The organisation filter narrows only a list that the policy leaves whole (an admin's).
    else if (filter.organisation) query.andWhere('t.organisationCode = :organisation', { organisation: filter.organisation });
    if (filter.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter.submissionId) query.andWhere('i.submissionId = :submissionId', { submissionId: filter.submissionId });
    if (filter.kind) query.andWhere('i.definitionKey = :kind', { kind: filter.kind });
    if (filter.step) query.andWhere('t.stepKey = :step', { step: filter.step });
    if (filter.assignedTo) query.andWhere('t.assigneeId = :assignee', { assignee: filter.assignedTo });
    if (filter.dueBefore) query.andWhere('d.dueOn < :dueBefore', { dueBefore: filter.dueBefore });
    // Overdue: past the end of the due day in China, so due before today's China date; only a running clock of a pending task.
    const overdue = "t.status = 'pending' AND d.status = 'running' AND d.dueOn < :today";
    const now = this.clock.now();
    if (filter.overdue !== undefined) query.andWhere(filter.overdue ? overdue : `NOT coalesce(${overdue}, false)`, { today: chinaDate(now) });
    const [tasks, total] = await query.getManyAndCount();
    return { items: tasks.map((t) => { const row = t as Task & { instance: Instance; clock?: Deadline }; return toTaskResponse(t, row.instance, row.clock ?? undefined, now); }), total };
  }

  async get(principal: Principal, id: string): Promise<TaskResponse> {
    const task = await this.dataSource.manager.findOneBy(Task, { id });
    if (!task || !accessPolicy.readTask.allows(principal, task)) throw new DomainError('NOT_FOUND', `no task ${id}`);
    const instance = await this.dataSource.manager.findOneByOrFail(Instance, { id: task.instanceId });
    const clock = await this.dataSource.manager.findOneBy(Deadline, { instanceId: task.instanceId, step: task.stepIndex, round: task.round, clock: 'step' });
    return toTaskResponse(task, instance, clock ?? undefined, this.clock.now());
  }
}
