import { Injectable } from '@nestjs/common';
import type { SubmissionKind } from '@shanhai/contracts';
import { chinaDate, eventDateProblem } from '@shanhai/domain';
import { DomainError, RequestValidationError, type FieldProblem, type Principal } from '@shanhai/platform';
import { DirectoryService } from '../directory/directory.service.js';
import { SubmissionsService, type ApplicantNote, type Submission, type TimelineEntry } from '../submissions/submissions.service.js';
import type { PromotionEventPatch, PromotionEventRequest } from './dto/promotion-event.request.js';
import type { ListSubmissionsQuery } from '../submissions/dto/list-submissions.query.js';
import { versionToCheck, type ExpectedVersion } from '../http/if-match.js';
import { contentOf, draftFields, nullFields, patchFields } from './promotion-event.content.js';

export const PROMOTION_EVENT = 'promotion_event' satisfies SubmissionKind;

type DirectoryFields = Partial<Pick<PromotionEventRequest, 'hostOrganisationCode' | 'pairedCountyCode' | 'pairedZoneCode'>>;

/**
 * Investment-promotion events (招商推介会) on the generic submission lifecycle: this service maps
 * the event onto a draft and adds what is the event's own (directory references, the date rule).
 */
@Injectable()
export class PromotionEventsService {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly directory: DirectoryService,
  ) {}

  async create(principal: Principal, body: PromotionEventRequest, now = new Date()): Promise<Submission> {
    if (principal.role !== 'applicant' || !principal.county) throw new DomainError('FORBIDDEN', 'only an applicant county creates events');
    await this.assertDirectory(body, now);
    return this.submissions.createDraft(principal, PROMOTION_EVENT, draftFields(body, principal.county), now);
  }

  /** Edits the draft, or the event returned for correction; `expected` (from `version` or `If-Match`) guards against overwriting someone else's edit. */
  async update(principal: Principal, id: string, patch: PromotionEventPatch, expected: ExpectedVersion, now = new Date()): Promise<Submission> {
    const nulls = nullFields(patch);
    if (nulls.length) throw new RequestValidationError(nulls);
    await this.assertDirectory(patch, now);
    return this.submissions.update(principal, id, PROMOTION_EVENT, (current) => patchFields(current, patch), versionToCheck(expected));
  }

  /**
   * Submits the draft, or the event returned for correction. An event may not be submitted (again)
   * for a day already past (China time), and its host organisation must still be in the directory,
   * or workflow could never assign its first step.
   */
  async submit(principal: Principal, id: string, note: ApplicantNote = {}, now = new Date()): Promise<Submission> {
    const event = await this.submissions.findReadable(principal, id, PROMOTION_EVENT);
    // Anything but a draft or a returned event is refused by the lifecycle itself, with its own code.
    if (event.status === 'draft' || event.status === 'returned') {
      const content = contentOf(event);
      const past = eventDateProblem(content.date, chinaDate(now));
      const problems: FieldProblem[] = [
        ...(past ? [{ field: 'date', message: past }] : []),
        ...(await this.directoryProblems({ hostOrganisationCode: content.hostOrganisationCode }, now)),
      ];
      if (problems.length) throw new RequestValidationError(problems);
    }
    return this.submissions.submit(principal, id, PROMOTION_EVENT, note, now);
  }

  withdraw(principal: Principal, id: string, note: ApplicantNote = {}, now = new Date()): Promise<{ submission: Submission; accepted: boolean }> {
    return this.submissions.withdraw(principal, id, PROMOTION_EVENT, note, now);
  }

  get(principal: Principal, id: string): Promise<Submission> {
    return this.submissions.findReadable(principal, id, PROMOTION_EVENT);
  }

  list(principal: Principal, query: ListSubmissionsQuery): Promise<{ items: Submission[]; total: number }> {
    return this.submissions.list(principal, {
      kind: PROMOTION_EVENT,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
      ...(query.status ? { status: query.status } : {}),
    });
  }

  timeline(principal: Principal, id: string): Promise<TimelineEntry[]> {
    return this.submissions.timeline(principal, id, PROMOTION_EVENT);
  }

  private async assertDirectory(fields: DirectoryFields, now: Date): Promise<void> {
    const problems = await this.directoryProblems(fields, now);
    if (problems.length) throw new RequestValidationError(problems);
  }

  /** Every directory reference of the request that the directory does not hold, all at once. */
  private async directoryProblems(fields: DirectoryFields, now: Date): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    const { hostOrganisationCode: host, pairedCountyCode: county, pairedZoneCode: zone } = fields;
    if (host && !(await this.directory.organisations()).some((o) => o.code === host)) {
      problems.push({ field: 'hostOrganisationCode', message: `${host} is not an organisation in the directory` });
    }
    const today = chinaDate(now);
    if (county && !(await this.directory.counties(today)).some((c) => c.code === county)) {
      problems.push({ field: 'pairedCountyCode', message: `${county} is not one of the mountain counties on ${today}` });
    }
    if (zone && !(await this.directory.zones()).some((z) => z.code === zone)) {
      problems.push({ field: 'pairedZoneCode', message: `${zone} is not an advanced zone in the directory` });
    }
    return problems;
  }
}
