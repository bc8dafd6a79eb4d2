import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, type Principal } from '@shanhai/platform';
import type { DataSource } from 'typeorm';
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
  limit: number;
  offset: number;
}

/** Reviewers' task lists (reads only; decisions go through InstanceCommands). */
@Injectable()
export class TasksService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A reviewer sees its own organisation's tasks whatever the filter says; an admin sees all. */
  async list(principal: Principal, filter: TaskFilter): Promise<{ items: TaskResponse[]; total: number }> {
    const query = this.dataSource.manager
      .createQueryBuilder(Task, 't')
      .innerJoinAndMapOne('t.instance', Instance, 'i', 'i.id = t.instanceId')
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
    const [tasks, total] = await query.getManyAndCount();
    return { items: tasks.map((t) => toTaskResponse(t, (t as Task & { instance: Instance }).instance)), total };
  }

  async get(principal: Principal, id: string): Promise<TaskResponse> {
    const task = await this.dataSource.manager.findOneBy(Task, { id });
    if (!task || !accessPolicy.readTask.allows(principal, task)) throw new DomainError('NOT_FOUND', `no task ${id}`);
    const instance = await this.dataSource.manager.findOneByOrFail(Instance, { id: task.instanceId });
    return toTaskResponse(task, instance);
  }
}
