import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApprovalDigest, type DigestTask, type SubmissionSummary } from '@shanhai/contracts';
import { CalendarMissingError, chinaDate, isOverdue } from '@shanhai/domain';
import { Clock, Outbox } from '@shanhai/platform';
import type { DataSource } from 'typeorm';
import { CalendarsService } from '../calendars/calendars.service.js';

/** What one run did: the China date, and how many organisations got a digest (a second run: none). */
export interface DigestRun {
  readonly date: string;
  readonly skipped?: 'not_a_working_day' | 'calendar_missing';
  readonly sent: number;
}

interface PendingRow {
  task_id: string;
  instance_id: string;
  submission: SubmissionSummary;
  organisation_code: string;
  organisation_name: string;
  organisation_email: string;
  step_name: string;
  assignee_id: string | null;
  due_on: string | null;
}

/**
 * The daily digest (每日待办): on a working day, each reviewing organisation with pending tasks gets
 * one `approval.digest` listing them with their due dates and overdue marks. Keyed by organisation
 * and China date in `digests`, written with the message in one transaction: whichever replica runs
 * first sends it, a second run (another replica, a restart at the digest time, a retried job) finds
 * the row and sends nothing. Per organisation, not per account: the notifier, which holds the
 * accounts' addresses and languages, writes one email to each of its active accounts.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger(DigestService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly calendars: CalendarsService,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<DigestRun> {
    const now = this.clock.now();
    const date = chinaDate(now);
    try {
      if (!(await this.calendars.workingDays()).isWorkingDay(date)) return { date, skipped: 'not_a_working_day', sent: 0 };
    } catch (error) {
      if (!(error instanceof CalendarMissingError)) throw error;
      // Never a guess: without the year's calendar no one knows whether today is a working day.
      this.logger.error(`daily digest of ${date} skipped: ${error.message}`);
      return { date, skipped: 'calendar_missing', sent: 0 };
    }
    const rows = await this.dataSource.query<PendingRow[]>(
      `SELECT t.id AS task_id, t.instance_id, i.submission, t.organisation_code, t.organisation_name, t.organisation_email, t.step_name, t.assignee_id,
              to_char(d.due_on, 'YYYY-MM-DD') AS due_on
         FROM tasks t
         JOIN instances i ON i.id = t.instance_id
         LEFT JOIN deadlines d ON d.instance_id = t.instance_id AND d.clock = 'step' AND d.step = t.step_index AND d.round = t.round
        WHERE t.status = 'pending'
        ORDER BY t.organisation_code, d.due_on ASC NULLS LAST, t.created_at, t.id`,
    );
    const byOrganisation = new Map<string, PendingRow[]>();
    for (const row of rows) byOrganisation.set(row.organisation_code, [...(byOrganisation.get(row.organisation_code) ?? []), row]);
    let sent = 0;
    for (const [code, pending] of byOrganisation) {
      const first = pending[0]!;
      const tasks: DigestTask[] = pending.slice(0, 500).map((r) => ({
        taskId: r.task_id,
        instanceId: r.instance_id,
        submissionId: r.submission.submissionId,
        kind: r.submission.kind,
        title: r.submission.title,
        county: r.submission.county.name,
        stepName: r.step_name,
        ...(r.due_on ? { dueOn: r.due_on } : {}),
        overdue: r.due_on ? isOverdue(r.due_on, now) : false,
        ...(r.assignee_id ? { assignee: r.assignee_id } : {}),
      }));
      const organisation = { code, name: first.organisation_name, email: first.organisation_email };
      // One transaction per organisation: the row and its message commit together, or neither.
      const wrote = await this.dataSource.transaction(async (m) => {
        const claimed = await m.query<unknown[]>(
          'INSERT INTO digests (organisation_code, on_date, tasks, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING organisation_code',
          [code, date, tasks.length, now],
        );
        if (!claimed.length) return false;
        const message = await this.outbox.publish(m, ApprovalDigest, { organisation, date, tasks }, now);
        await m.query('UPDATE digests SET message_id = $3 WHERE organisation_code = $1 AND on_date = $2', [code, date, message.id]);
        return true;
      });
      if (wrote) sent += 1;
    }
    this.logger.log(`daily digest of ${date}: ${sent} organisation(s) told of their pending tasks`);
    return { date, sent };
  }
}
