import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate, reportWindow, reviseReport, type SignedProject } from '@shanhai/domain';
import { DomainError, type Principal } from '@shanhai/platform';
import { QueryFailedError, type DataSource } from 'typeorm';
import type { ExpectedVersion } from '../http/if-match.js';
import { canChange } from '../submissions/submission-access.js';
import { SubmissionsService } from '../submissions/submissions.service.js';
import type { SignedProjectDto } from './dto/event-report.request.js';
import { EventReport } from './event-report.entity.js';
import { contentOf } from './promotion-event.content.js';
import { PROMOTION_EVENT } from './promotion-events.service.js';

/**
 * The report an event files once it is approved and held: its signed projects, replaced as a
 * whole by each update, each project's status only ever moving forward.
 */
@Injectable()
export class EventReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly submissions: SubmissionsService,
  ) {}

  async get(principal: Principal, id: string): Promise<{ report: EventReport; date: string }> {
    const event = await this.submissions.findReadable(principal, id, PROMOTION_EVENT);
    const report = await this.dataSource.manager.findOneBy(EventReport, { submissionId: id });
    if (!report) throw new DomainError('NOT_FOUND', `no report has been filed for event ${id} yet`);
    return { report, date: contentOf(event).date };
  }

  async file(principal: Principal, id: string, given: readonly SignedProjectDto[], expected: ExpectedVersion, now = new Date()): Promise<{ report: EventReport; date: string }> {
    const event = await this.submissions.findReadable(principal, id, PROMOTION_EVENT);
    if (!canChange(principal, event)) throw new DomainError('FORBIDDEN', 'only the applicant county files the report of its event');
    const { date } = contentOf(event);
    const window = reportWindow(event.status, date, chinaDate(now));
    if (!window.ok) throw new DomainError(window.code, window.detail, { eventStatus: event.status, eventDate: date });
    const projects: SignedProject[] = given.map((p) => ({ name: p.name, investor: p.investor, amountYi: p.amountYi, industry: p.industry, status: p.status }));

    const report = await this.dataSource.transaction(async (m) => {
      // Serialises the updates of one report; a first filing has no row to lock, and the primary key settles that race.
      const current = await m.findOne(EventReport, { where: { submissionId: id }, lock: { mode: 'pessimistic_write' } });
      const currentVersion = current?.version ?? 0;
      if (expected === 'any' ? !current : expected !== undefined && expected !== currentVersion) throw stale(currentVersion, expected);
      const revised = reviseReport(current?.projects ?? [], projects);
      if (!revised.ok) {
        throw new DomainError(revised.code, revised.detail, {
          errors: revised.backward.map((b) => ({ field: `projects.${b.index}.status`, message: `${b.name}: ${b.detail}` })),
        });
      }
      const next: EventReport = { submissionId: id, projects, totalAmountYi: revised.totalAmountYi, version: currentVersion + 1, updatedBy: principal.userId, updatedAt: now };
      if (current) await m.update(EventReport, { submissionId: id }, next);
      else await m.insert(EventReport, next).catch((error: unknown) => {
        throw isUniqueViolation(error) ? stale(1, expected) : error;
      });
      return next;
    });
    return { report, date };
  }
}

const stale = (currentVersion: number, expected: ExpectedVersion) =>
  new DomainError('STALE_VERSION', `the report is at version ${currentVersion}${expected === undefined || expected === 'any' ? '' : `, not ${expected}`}`, { currentVersion });

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';
