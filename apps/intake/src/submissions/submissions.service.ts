import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SubmissionSubmitted, SubmissionWithdrawn, type ActorRef, type AttachmentRef, type Contact, type SubmissionKind, type SubmissionSummary } from '@shanhai/contracts';
import { applyApplicant, chinaDate, decideApplicant, missingAttachments, type ApplicantCommand, type ApplicantEvent } from '@shanhai/domain';
import { DomainError, Outbox, RequestValidationError, type Principal } from '@shanhai/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { DirectoryService } from '../directory/directory.service.js';
import { openDeficienciesProblem, revisionSnapshot } from './resubmission.js';
import { timelineOrder } from './review-timeline.js';
import { accessPolicy, canChange, canRead } from './submission-access.js';
import { Submission, SubmissionRevision } from './submission.entity.js';
import { TimelineEntry } from './timeline-entry.entity.js';

/** A submission's current attachments (kind, file name, hash); the attachments feature provides it. */
export interface AttachmentInventory {
  current(manager: EntityManager, submissionId: string): Promise<AttachmentRef[]>;
  /** The attachments as they stood at `at` (e.g. when a revision was submitted). */
  asOf(manager: EntityManager, submissionId: string, at: Date): Promise<AttachmentRef[]>;
}

/** What an applicant may say when submitting or withdrawing: why (see submit and withdraw). */
export interface ApplicantNote {
  readonly reason?: string;
}
export const ATTACHMENT_INVENTORY = Symbol('ATTACHMENT_INVENTORY');

// The submission types the kinds built on this feature (promotion events) work with: its public face, not its tables.
export type { Submission, TimelineEntry };

/** The kind-independent part of a draft; each kind's service maps its request onto it. */
export interface DraftFields {
  title: string;
  contact: Contact;
  pairedZoneCode: string | null;
  content: Record<string, unknown>;
}

export interface ListFilter {
  kind: SubmissionKind;
  status?: string;
  limit: number;
  offset: number;
}

@Injectable()
export class SubmissionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(ATTACHMENT_INVENTORY) private readonly attachments: AttachmentInventory,
    private readonly directory: DirectoryService,
  ) {}

  /** A new draft for the applicant's own county. */
  async createDraft(principal: Principal, kind: SubmissionKind, fields: DraftFields, now = new Date()): Promise<Submission> {
    return this.dataSource.transaction(async (m) => {
      const { county, city } = await this.placeOf(m, principal, now);
      await this.assertZone(m, fields.pairedZoneCode);
      const submission = m.create(Submission, {
        id: randomUUID(),
        kind,
        title: fields.title,
        countyCode: county.code,
        countyName: county.name,
        cityCode: city.code,
        cityName: city.name,
        contact: fields.contact,
        stakeholders: [],
        pairedZoneCode: fields.pairedZoneCode,
        content: fields.content,
        revision: 0,
        status: 'draft',
        currentStep: null,
        submittedAt: null,
        createdBy: principal.userId,
        reviewingOrganisations: [],
      });
      await m.save(submission);
      await this.addTimeline(m, submission.id, randomUUID(), 'drafted', '起草申请', applicantAccount(principal, submission), now);
      return submission;
    });
  }

  /** Edits a draft; `version` guards against overwriting someone else's edit. */
  async update(principal: Principal, id: string, kind: SubmissionKind, change: (current: Submission) => DraftFields, version?: number): Promise<Submission> {
    return this.dataSource.transaction(async (m) => {
      const submission = await this.loadForChange(m, principal, id, { type: 'edit' }, kind);
      if (version !== undefined && version !== submission.version) {
        throw new DomainError('STALE_VERSION', `the draft is at version ${submission.version}, not ${version}`, { currentVersion: submission.version });
      }
      const fields = change(submission);
      await this.assertZone(m, fields.pairedZoneCode);
      Object.assign(submission, fields);
      return m.save(submission);
    });
  }

  /**
   * Freezes the draft (or the returned submission, corrected) as the next revision and hands it to
   * workflow with its content and current attachments, in one transaction. A paired zone must be
   * one the directory pairs with the county. A corrected revision that changes nothing the notice
   * named is refused unless the applicant says why (`reason`, recorded and sent to the reviewers).
   * Resubmitting clears the correction notice: the returned revision's row keeps it.
   */
  async submit(principal: Principal, id: string, kind: SubmissionKind, note: ApplicantNote = {}, now = new Date()): Promise<Submission> {
    return this.dataSource.transaction(async (m) => {
      const submission = await this.loadForChange(m, principal, id, null, kind);
      const attachments = await this.attachments.current(m, id);
      const missing = missingAttachments(submission.kind, attachments.map((a) => a.kind));
      const content = { ...submission.content, pairedZoneCode: submission.pairedZoneCode, contact: submission.contact };
      await this.assertPaired(m, submission);
      if (submission.status === 'returned' && !note.reason) await this.assertCorrected(m, submission, content, attachments);
      this.apply(submission, { type: 'submit', missingAttachments: missing }, missing);
      submission.revision += 1;
      submission.submittedAt = now;
      submission.correction = null;
      submission.stakeholders = await this.stakeholdersOf(m, submission);
      await m.save(submission);
      // The revision as workflow receives it (content with the paired zone and the contact), so a later correction is compared with it.
      await m.insert(SubmissionRevision, { submissionId: id, revision: submission.revision, title: submission.title, content: content as object, submittedBy: principal.userId, submittedAt: now });
      const submittedBy = applicantAccount(principal, submission);
      const reason = note.reason ? { reason: note.reason } : {};
      const message = await this.outbox.publish(m, SubmissionSubmitted, { ...summaryOf(submission), content, attachments, submittedBy, ...reason }, now);
      const summary = `${submission.countyName}人民政府提交申请（第 ${submission.revision} 版）`;
      await this.addTimeline(m, id, message.id, 'submitted', summary, submittedBy, now, note.reason ?? null);
      return submission;
    });
  }

  /**
   * Withdraws a draft at once. A submission under review, or returned for correction, keeps its
   * status: the withdrawal goes to workflow (in the same transaction as its timeline entry), whose
   * `approval.withdrawn` has the final word; `accepted` tells the caller the outcome is still to come.
   */
  async withdraw(principal: Principal, id: string, kind: SubmissionKind, note: ApplicantNote = {}, now = new Date()): Promise<{ submission: Submission; accepted: boolean }> {
    return this.dataSource.transaction(async (m) => {
      const submission = await this.loadForChange(m, principal, id, null, kind);
      const events = this.apply(submission, { type: 'withdraw' }, []);
      // Asked already: workflow has it, and its answer will come.
      if (!events.length) return { submission, accepted: true };
      if (events.some((e) => e.type === 'withdrawal_requested')) {
        submission.withdrawalRequestedAt = now;
        await m.save(submission);
        const actor = applicantAccount(principal, submission);
        const reason = note.reason ? { reason: note.reason } : {};
        const message = await this.outbox.publish(m, SubmissionWithdrawn, { submissionId: id, revision: submission.revision, by: principal.name, actor, ...reason }, now);
        await this.addTimeline(m, id, message.id, 'withdrawal_requested', '申请撤回已提交', actor, now, note.reason ?? null);
        return { submission, accepted: true };
      }
      await m.save(submission);
      await this.addTimeline(m, id, randomUUID(), 'withdrawn', '申请已撤回', applicantAccount(principal, submission), now, note.reason ?? null);
      return { submission, accepted: false };
    });
  }

  async findReadable(principal: Principal, id: string, kind?: SubmissionKind): Promise<Submission> {
    const submission = await this.dataSource.manager.findOneBy(Submission, { id });
    if (!submission || (kind && submission.kind !== kind) || !canRead(principal, submission)) throw notFound(id);
    return submission;
  }

  async timeline(principal: Principal, id: string, kind?: SubmissionKind): Promise<TimelineEntry[]> {
    await this.findReadable(principal, id, kind);
    const entries = await this.dataSource.manager.find(TimelineEntry, { where: { submissionId: id }, order: { at: 'ASC', id: 'ASC' } });
    return entries.sort(timelineOrder);
  }

  /** Only what the principal may read: the access policy's read rule, in SQL. */
  async list(principal: Principal, filter: ListFilter): Promise<{ items: Submission[]; total: number }> {
    const q = this.dataSource.manager
      .createQueryBuilder(Submission, 's')
      .where('s.kind = :kind', { kind: filter.kind })
      .orderBy('s.createdAt', 'DESC')
      .addOrderBy('s.id', 'ASC')
      .take(filter.limit)
      .skip(filter.offset);
    if (filter.status) q.andWhere('s.status = :status', { status: filter.status });
    const readable = accessPolicy.read.where(principal, 's');
    if (readable !== 'all') q.andWhere(readable.sql, readable.params);
    const [items, total] = await q.getManyAndCount();
    return { items, total };
  }

  /** Loads for a change by the applicant and applies the command's rule (null: checked by the caller). */
  /** For the attachments feature: the draft the applicant may change, read in the caller's transaction. */
  findEditable(m: EntityManager, principal: Principal, id: string, kind?: SubmissionKind): Promise<Submission> {
    return this.loadForChange(m, principal, id, { type: 'edit' }, kind);
  }

  private async loadForChange(m: EntityManager, principal: Principal, id: string, command: ApplicantCommand | null, kind?: SubmissionKind): Promise<Submission> {
    const submission = await m.findOne(Submission, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!submission || (kind && submission.kind !== kind) || !canRead(principal, submission)) throw notFound(id);
    if (!canChange(principal, submission)) throw new DomainError('FORBIDDEN', 'only the applicant county changes its submissions');
    if (command) this.apply(submission, command, []);
    return submission;
  }

  private apply(submission: Submission, command: ApplicantCommand, missing: readonly string[]): readonly ApplicantEvent[] {
    const decision = decideApplicant(submission.status, command, submission.withdrawalRequestedAt !== null);
    if (!decision.ok) {
      if (decision.code === 'ATTACHMENTS_MISSING') {
        throw new DomainError('ATTACHMENTS_MISSING', 'required attachments are missing', {
          errors: missing.map((kind) => ({ field: `attachments.${kind}`, message: `${kind} is required before submitting` })),
        });
      }
      throw new DomainError(decision.code, decision.detail ?? decision.code, { submissionStatus: submission.status });
    }
    submission.status = decision.events.reduce(applyApplicant, submission.status);
    return decision.events;
  }

  private async placeOf(m: EntityManager, principal: Principal, now: Date) {
    // Today's list is China's today: the UTC date is a day behind until 08:00 China time.
    const place = await this.directory.countyOn(m, principal.county ?? '', chinaDate(now));
    if (!place) throw new DomainError('FORBIDDEN', `${principal.county ?? 'this account'} is not one of the mountain counties today`);
    return place;
  }

  private async assertZone(m: EntityManager, code: string | null): Promise<void> {
    if (code && !(await this.directory.zone(m, code))) {
      throw new RequestValidationError([{ field: 'pairedZoneCode', message: `${code} is not an advanced zone in the directory` }]);
    }
  }

  /** The paired zone a submission names must be one the directory pairs with its county, as it stands when submitted. */
  private async assertPaired(m: EntityManager, s: Submission): Promise<void> {
    if (!s.pairedZoneCode || (await this.directory.paired(m, s.countyCode, s.pairedZoneCode))) return;
    const paired = await this.directory.pairedZones(m, s.countyCode);
    throw new DomainError('ZONE_NOT_PAIRED', `${s.pairedZoneCode} is not paired with ${s.countyName} in the directory`, {
      errors: [{ field: 'pairedZoneCode', message: `${s.countyName} is paired with ${paired.join(', ') || 'no advanced zone'}` }],
    });
  }

  /** A corrected revision must change something its correction notice named (or say why not). */
  private async assertCorrected(m: EntityManager, s: Submission, content: Record<string, unknown>, attachments: AttachmentRef[]): Promise<void> {
    const returned = s.correction && (await m.findOneBy(SubmissionRevision, { submissionId: s.id, revision: s.correction.revision }));
    if (!s.correction || !returned) return;
    const then = revisionSnapshot(returned.title ?? s.title, returned.content, await this.attachments.asOf(m, s.id, returned.submittedAt));
    const problem = openDeficienciesProblem(s.correction.deficiencies, then, revisionSnapshot(s.title, content, attachments), s.kind);
    if (problem) throw problem;
  }

  /** Who besides the applicant is told of the decision: the paired advanced zone, and the city (its commerce bureau). */
  private async stakeholdersOf(m: EntityManager, s: Submission): Promise<Contact[]> {
    const zone = s.pairedZoneCode ? await this.directory.zone(m, s.pairedZoneCode) : null;
    const city = await this.directory.cityCommerceBureau(m, s.cityCode);
    return [zone, city].flatMap((o) => (o ? [{ name: o.name, email: o.email }] : []));
  }

  /** One of intake's own lines, naming the signed-in account that acted. */
  private async addTimeline(m: EntityManager, submissionId: string, messageId: string, event: string, summary: string, account: ActorRef, at: Date, opinion: string | null = null): Promise<void> {
    await m.insert(TimelineEntry, { submissionId, messageId, event, summary, actor: account.name, account, opinion, at });
  }
}

const notFound = (id: string) => new DomainError('NOT_FOUND', `no submission ${id}`);

/** The signed-in account acting for the submission's county, as workflow's audit names it. */
const applicantAccount = (principal: Principal, s: Submission): ActorRef => ({
  userId: principal.userId,
  name: principal.name,
  county: { code: s.countyCode, name: s.countyName },
});

function summaryOf(s: Submission): SubmissionSummary {
  return {
    submissionId: s.id,
    kind: s.kind,
    revision: s.revision,
    title: s.title,
    county: { code: s.countyCode, name: s.countyName },
    city: { code: s.cityCode, name: s.cityName },
    applicant: { name: s.contact.name, email: s.contact.email },
    stakeholders: s.stakeholders,
    ...hostOf(s),
  };
}

/** An event's host organisation reviews its first step, so workflow needs its code. */
function hostOf(s: Submission): Pick<SubmissionSummary, 'hostOrganisation'> {
  const host = s.kind === 'promotion_event' ? s.content.hostOrganisationCode : undefined;
  return typeof host === 'string' && host ? { hostOrganisation: host } : {};
}
