import { Injectable, Logger } from '@nestjs/common';
import { applyProgress, isStaleRevision } from '@shanhai/domain';
import { DomainError } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { correctionOf, describeProgress, type ReviewMessage } from './review-timeline.js';
import { Submission, SubmissionRevision } from './submission.entity.js';
import { TimelineEntry } from './timeline-entry.entity.js';

/** Applies workflow's events to submissions: status, current step, correction notice, timeline. */
@Injectable()
export class ReviewProgressService {
  private readonly logger = new Logger(ReviewProgressService.name);

  /**
   * Applies one of workflow's events inside the caller's (inbox) transaction: one locked read of the
   * submission, one update of what changed, one timeline line. The lock makes events of one
   * submission handled at once (the worker runs several jobs) apply one after the other, each on
   * the state the other left; the rules (status moves forward only, the step shown only onward)
   * make the outcome the same in either order.
   */
  async record(manager: EntityManager, message: ReviewMessage): Promise<void> {
    const p = message.payload;
    const submission = await manager.findOne(Submission, {
      where: { id: p.submission.submissionId },
      // What the rules read; the content (a plan's blocks, an event's programme) stays in the database.
      select: { id: true, revision: true, status: true, reviewingOrganisations: true, currentStep: true },
      lock: { mode: 'pessimistic_write' },
    });
    if (!submission) throw new DomainError('NOT_FOUND', `workflow reported on unknown submission ${p.submission.submissionId}`);
    // A withdrawal ends the instance whatever revision it reached: the applicant may have asked to
    // withdraw a returned revision and then resubmitted, which workflow refuses on the closed instance.
    if (message.name !== 'approval.withdrawn' && isStaleRevision(submission.revision, p.submission.revision)) {
      // A late event of a revision returned for correction and since resubmitted: it tells nothing
      // about the current revision, so neither the status nor the timeline changes.
      this.logger.log(`ignored ${message.name} ${message.id} of revision ${p.submission.revision}: ${submission.id} is at revision ${submission.revision}`);
      return;
    }
    const { progress, entry } = describeProgress(message);
    const change: Partial<Pick<Submission, 'status' | 'reviewingOrganisations' | 'currentStep' | 'correction'>> = {};
    const status = applyProgress(submission.status, progress);
    if (status !== submission.status) change.status = status;
    if (message.name === 'approval.task_assigned') {
      const { step, stepCount, parties, reassigned } = message.payload;
      if (!submission.reviewingOrganisations.includes(step.organisation.code)) {
        change.reviewingOrganisations = [...submission.reviewingOrganisations, step.organisation.code];
      }
      // A countersigned step is shown with all its departments; a reassignment shows who has it now.
      const current = submission.currentStep?.index ?? -1;
      if (current < step.index || (current === step.index && reassigned)) {
        const organisation = parties && parties.length > 1 ? parties.map((o) => o.name).join('、') : step.organisation.name;
        change.currentStep = { index: step.index, name: step.name, organisation, organisationCode: step.organisation.code, stepCount };
      }
    }
    if (message.name === 'approval.returned' && status === 'returned' && submission.status !== 'returned') {
      change.correction = correctionOf(message);
      await manager.update(SubmissionRevision, { submissionId: submission.id, revision: submission.revision }, { correction: change.correction });
    }
    // What changed, under the lock; the version moves as any edit moves it (the plan's ETag).
    if (Object.keys(change).length) await manager.update(Submission, { id: submission.id }, { ...change, version: () => 'version + 1' });
    await manager.insert(TimelineEntry, { submissionId: submission.id, messageId: message.id, at: new Date(message.occurredAt), ...entry });
  }
}
