import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SubmissionSubmitted, type MessageByName, type SubmissionSummary } from '@shanhai/contracts';
import { applyProgress, findCity, findCounty, type ReviewProgress } from '@shanhai/domain';
import { DomainError, Outbox, RequestValidationError } from '@shanhai/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { CreateZonePlanRequest } from './dto/create-zone-plan.request.js';
import { Submission } from './submission.entity.js';
import { TimelineEntry } from './timeline-entry.entity.js';

/** Workflow's events as intake records them. */
export type ReviewMessage = MessageByName<
  'approval.started' | 'approval.task_assigned' | 'approval.step_approved' | 'approval.approved' | 'approval.rejected'
>;

const PAGE_SIZE = 50;

@Injectable()
export class SubmissionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  /** Stores the plan and, in the same transaction, the message that starts its review. */
  async submitZonePlan(request: CreateZonePlanRequest, now = new Date()): Promise<Submission> {
    const county = findCounty(request.countyCode, now.toISOString().slice(0, 10));
    const city = county && findCity(county.cityCode);
    if (!county || !city) {
      throw new RequestValidationError([{ field: 'countyCode', message: `${request.countyCode} is not one of the mountain counties` }]);
    }
    return this.dataSource.transaction(async (manager) => {
      const submission = manager.create(Submission, {
        id: randomUUID(),
        kind: 'zone_plan',
        title: request.zoneName,
        countyCode: county.code,
        countyName: county.name,
        cityCode: city.code,
        cityName: city.name,
        contact: { name: request.contact.name, email: request.contact.email },
        stakeholders: (request.stakeholders ?? []).map((s) => ({ name: s.name, email: s.email })),
        revision: 1,
        status: 'submitted',
        currentStep: null,
        submittedAt: now,
      });
      await manager.save(submission);
      const message = await this.outbox.publish(manager, SubmissionSubmitted, summaryOf(submission), now);
      await manager.insert(TimelineEntry, {
        submissionId: submission.id,
        messageId: message.id,
        event: 'submitted',
        summary: `${county.name}人民政府提交创建方案`,
        actor: request.contact.name,
        opinion: null,
        at: now,
      });
      return submission;
    });
  }

  async get(id: string): Promise<{ submission: Submission; timeline: TimelineEntry[] }> {
    const submission = await this.dataSource.manager.findOneBy(Submission, { id });
    if (!submission) throw new DomainError('NOT_FOUND', `no submission ${id}`);
    const timeline = await this.dataSource.manager.find(TimelineEntry, { where: { submissionId: id }, order: { at: 'ASC', id: 'ASC' } });
    return { submission, timeline };
  }

  list(countyCode?: string): Promise<Submission[]> {
    return this.dataSource.manager.find(Submission, {
      where: countyCode ? { countyCode } : {},
      order: { createdAt: 'DESC' },
      take: PAGE_SIZE,
    });
  }

  /** Applies one of workflow's events inside the caller's (inbox) transaction. */
  async recordProgress(manager: EntityManager, message: ReviewMessage): Promise<void> {
    const p = message.payload;
    const submission = await manager.findOne(Submission, { where: { id: p.submission.submissionId }, lock: { mode: 'pessimistic_write' } });
    if (!submission) throw new DomainError('NOT_FOUND', `workflow reported on unknown submission ${p.submission.submissionId}`);
    const { progress, entry } = describe(message);
    submission.status = applyProgress(submission.status, progress);
    if (message.name === 'approval.task_assigned' && (submission.currentStep?.index ?? -1) < message.payload.step.index) {
      const { step, stepCount } = message.payload;
      submission.currentStep = { index: step.index, name: step.name, organisation: step.organisation.name, stepCount };
    }
    await manager.save(submission);
    await manager.insert(TimelineEntry, { submissionId: submission.id, messageId: message.id, at: new Date(message.occurredAt), ...entry });
  }
}

function summaryOf(s: Submission): SubmissionSummary {
  return {
    submissionId: s.id,
    kind: s.kind,
    revision: s.revision,
    title: s.title,
    county: { code: s.countyCode, name: s.countyName },
    city: { code: s.cityCode, name: s.cityName },
    applicant: s.contact,
    stakeholders: s.stakeholders,
  };
}

type Entry = Pick<TimelineEntry, 'event' | 'summary' | 'actor' | 'opinion'>;

function describe(message: ReviewMessage): { progress: ReviewProgress; entry: Entry } {
  switch (message.name) {
    case 'approval.started':
      return { progress: { type: 'started' }, entry: { event: 'review_started', summary: '审批流程已启动', actor: null, opinion: null } };
    case 'approval.task_assigned': {
      const { step } = message.payload;
      return {
        progress: { type: 'task_assigned', step: step.index },
        entry: { event: 'step_assigned', summary: `${step.name}：已分派至${step.organisation.name}`, actor: null, opinion: null },
      };
    }
    case 'approval.step_approved': {
      const { step, decidedBy, opinion } = message.payload;
      return {
        progress: { type: 'step_approved', step: step.index },
        entry: { event: 'step_approved', summary: `${step.name}：通过`, actor: decidedBy, opinion: opinion ?? null },
      };
    }
    case 'approval.approved':
      return { progress: { type: 'approved' }, entry: { event: 'approved', summary: '审批完成：方案已批准', actor: null, opinion: null } };
    case 'approval.rejected': {
      const { step, decidedBy, reason } = message.payload;
      return { progress: { type: 'rejected' }, entry: { event: 'rejected', summary: `${step.name}：不予通过`, actor: decidedBy, opinion: reason } };
    }
  }
}
