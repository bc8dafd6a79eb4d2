import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SubmissionUrged, type ActorRef, type SubmissionKind } from '@shanhai/contracts';
import { chinaDate } from '@shanhai/domain';
import { Clock, DomainError, Outbox, type Principal } from '@shanhai/platform';
import type { DataSource } from 'typeorm';
import { canChange, canRead } from './submission-access.js';
import { Submission } from './submission.entity.js';
import { TimelineEntry } from './timeline-entry.entity.js';

export interface UrgeInput {
  readonly note?: string;
}

export interface UrgeResult {
  readonly submissionId: string;
  readonly revision: number;
  readonly urgedOn: string;
  readonly note: string | null;
  readonly at: Date;
}

/**
 * 催办: the applicant urges the pending step of a submission under review. Intake has no
 * working-day calendar, so it allows one urge per China date (the `urges` key); workflow counts
 * an urge of a rest day as one of the next working day and records only the first of each.
 */
@Injectable()
export class UrgesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async urge(principal: Principal, id: string, kind: SubmissionKind, input: UrgeInput = {}): Promise<UrgeResult> {
    return this.dataSource.transaction(async (m) => {
      const submission = await m.findOne(Submission, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!submission || submission.kind !== kind || !canRead(principal, submission)) throw new DomainError('NOT_FOUND', `no submission ${id}`);
      if (!canChange(principal, submission)) throw new DomainError('FORBIDDEN', 'only the applicant county urges its submissions');
      if (submission.status !== 'in_review') throw new DomainError('NOT_UNDER_REVIEW', `the submission is ${submission.status}: only one under review can be urged`, { submissionStatus: submission.status });
      const now = this.clock.now();
      const urgedOn = chinaDate(now);
      const actor: ActorRef = { userId: principal.userId, name: principal.name, county: { code: submission.countyCode, name: submission.countyName } };
      const note = input.note ? { note: input.note } : {};
      const message = await this.outbox.publish(m, SubmissionUrged, { submissionId: id, revision: submission.revision, urgedOn, by: principal.name, actor, ...note }, now);
      const inserted = await m.query<unknown[]>(
        `INSERT INTO urges (submission_id, on_date, revision, note, urged_by, message_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (submission_id, on_date) DO NOTHING RETURNING submission_id`,
        [id, urgedOn, submission.revision, input.note ?? null, principal.userId, message.id, now],
      );
      // The transaction is rolled back with the error: the message published above goes with it.
      if (!inserted.length) throw new DomainError('ALREADY_URGED', `the submission was urged on ${urgedOn} already: once a day`, { urgedOn });
      await m.insert(TimelineEntry, { submissionId: id, messageId: message.id, event: 'urged', summary: '申请人催办', actor: actor.name, account: actor, opinion: input.note ?? null, at: now });
      return { submissionId: id, revision: submission.revision, urgedOn, note: input.note ?? null, at: now };
    });
  }
}
