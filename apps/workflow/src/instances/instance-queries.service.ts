import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { diffRevisions, type RevisionDiff, type RevisionSnapshot } from '@shanhai/domain';
import { Clock, DomainError, RequestValidationError, type Principal } from '@shanhai/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { Deadline } from './deadline.entity.js';
import { accessPolicy } from './access-policy.js';
import { toInstanceResponse, type InstanceResponse } from './dto/instance.response.js';
import { Instance } from './instance.entity.js';
import { Revision } from './revision.entity.js';
import { Task } from './task.entity.js';

export interface InstanceView {
  instance: Instance;
  tasks: Task[];
  /** Its clocks (the committed limit's, and each step round's). */
  deadlines: Deadline[];
  /** When it was read: what `overdue` is judged against. */
  now: Date;
}

/** Reads of instances: one with its tasks, the revisions reviewers compare, and what changed between them. */
@Injectable()
export class InstanceQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The instance with its tasks, if the principal may read it (`accessPolicy.readInstance`); to anyone else it does not exist. */
  async get(principal: Principal, id: string): Promise<InstanceView> {
    const instance = await this.dataSource.manager.findOneBy(Instance, { id });
    const view = instance && (await this.view(this.dataSource.manager, instance));
    if (!view || !accessPolicy.readInstance.allows(principal, view)) throw new DomainError('NOT_FOUND', `no instance ${id}`);
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
    return { from, to, ...diffRevisions(await this.snapshot(manager, id, from), await this.snapshot(manager, id, to), instance.submission.kind) };
  }

  async view(manager: EntityManager, instance: Instance): Promise<InstanceView> {
    const tasks = await manager.find(Task, { where: { instanceId: instance.id }, order: { round: 'ASC', stepIndex: 'ASC', party: 'ASC' } });
    const deadlines = await manager.find(Deadline, { where: { instanceId: instance.id }, order: { step: 'ASC', round: 'ASC' } });
    return { instance, tasks, deadlines, now: this.clock.now() };
  }

  async response(manager: EntityManager, instance: Instance): Promise<InstanceResponse> {
    return toInstanceResponse(await this.view(manager, instance));
  }

  /** The revision's snapshot, or undefined when its content never reached workflow (a v1 message, or an instance older than revisions). */
  async snapshotIfKnown(manager: EntityManager, instanceId: string, revision: number): Promise<RevisionSnapshot | undefined> {
    const row = await manager.findOneBy(Revision, { instanceId, revision });
    return row?.content ? { fields: { title: row.title, content: row.content }, attachments: row.attachments } : undefined;
  }

  private async snapshot(manager: EntityManager, instanceId: string, revision: number): Promise<RevisionSnapshot> {
    if (revision === 0) return { fields: {}, attachments: [] };
    const row = await manager.findOneBy(Revision, { instanceId, revision });
    if (!row) throw new DomainError('NOT_FOUND', `no revision ${revision} of instance ${instanceId}`);
    if (!row.content) throw new DomainError('CONTENT_UNAVAILABLE', `revision ${revision} arrived without its content (a v1 message)`);
    return { fields: { title: row.title, content: row.content }, attachments: row.attachments };
  }
}
