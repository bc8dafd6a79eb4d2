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

  /** Applies one of workflow's events inside the caller's (inbox) transaction. */
  async record(manager: EntityManager, message: ReviewMessage): Promise<void> {
    const p = message.payload;
    const submission = await manager.findOne(Submission, { where: { id: p.submission.submissionId }, lock: { mode: 'pessimistic_write' } });
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
    const before = submission.status;
    submission.status = applyProgress(submission.status, progress);
    if (message.name === 'approval.task_assigned') {
      const { step, stepCount, parties, reassigned } = message.payload;
      if (!submission.reviewingOrganisations.includes(step.organisation.code)) {
        submission.reviewingOrganisations = [...submission.reviewingOrganisations, step.organisation.code];
      }
      // A countersigned step is shown with all its departments; a reassignment shows who has it now.
      const current = submission.currentStep?.index ?? -1;
      if (current < step.index || (current === step.index && reassigned)) {
        const organisation = parties && parties.length > 1 ? parties.map((o) => o.name).join('、') : step.organisation.name;
        submission.currentStep = { index: step.index, name: step.name, organisation, organisationCode: step.organisation.code, stepCount };
      }
    }
    if (message.name === 'approval.returned' && submission.status === 'returned' && before !== 'returned') {
      const correction = correctionOf(message);
      submission.correction = correction;
      await manager.update(SubmissionRevision, { submissionId: submission.id, revision: submission.revision }, { correction });
    }
    await manager.save(submission);
    await manager.insert(TimelineEntry, { submissionId: submission.id, messageId: message.id, at: new Date(message.occurredAt), ...entry });
  }
}
