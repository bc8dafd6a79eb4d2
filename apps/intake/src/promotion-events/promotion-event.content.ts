import type { Contact } from '@shanhai/contracts';
import type { FieldProblem } from '@shanhai/platform';
import { toCommonResponse } from '../submissions/dto/submission.response.js';
import type { Submission } from '../submissions/submissions.service.js';
import type { DraftFields } from '../submissions/submissions.service.js';
import type { EventContactDto, PromotionEventPatch, PromotionEventRequest } from './dto/promotion-event.request.js';
import type { PromotionEventResponse } from './dto/promotion-event.response.js';

/**
 * An event's own fields, kept in the submission's `content` (validated at the edge when written).
 * Title, contact and paired zone are the generic submission's.
 */
export interface PromotionEventContent {
  theme: string;
  date: string;
  venue: string;
  hostUnit: string;
  hostOrganisationCode: string;
  coOrganisers: string[];
  supportingUnits: string[];
  pairedCountyCode: string;
  targetIndustryChain: string;
  expectedParticipants: number;
  invitedOfficials: string[];
  budgetWan: number;
  budgetSource: string;
  securityPlan: string;
}

/**
 * The stored contact keeps the phone beside name and email (typed as the plain Contact, it is
 * still there when read back, hence EventContactDto when reading); messages carry only name and email.
 */
const contactOf = (c: EventContactDto): Contact & { phone?: string } => ({ name: c.name, email: c.email, ...(c.phone ? { phone: c.phone } : {}) });

/** Absent (or null) lists are empty; an absent (or null) paired county is the applicant's own. */
export function draftFields(body: PromotionEventRequest, ownCounty: string): DraftFields {
  const content: PromotionEventContent = {
    theme: body.theme,
    date: body.date,
    venue: body.venue,
    hostUnit: body.hostUnit,
    hostOrganisationCode: body.hostOrganisationCode,
    coOrganisers: body.coOrganisers ?? [],
    supportingUnits: body.supportingUnits ?? [],
    pairedCountyCode: body.pairedCountyCode ?? ownCounty,
    targetIndustryChain: body.targetIndustryChain,
    expectedParticipants: body.expectedParticipants,
    invitedOfficials: body.invitedOfficials ?? [],
    budgetWan: body.budgetWan,
    budgetSource: body.budgetSource,
    securityPlan: body.securityPlan,
  };
  return { title: body.title, contact: contactOf(body.contact), pairedZoneCode: body.pairedZoneCode || null, content: { ...content } };
}

/** The stored draft as the request that would create it, so an edit is a merged request. */
export function requestOf(s: Submission): PromotionEventRequest {
  const c = contentOf(s);
  return { ...c, title: s.title, pairedZoneCode: s.pairedZoneCode ?? '', contact: s.contact };
}

/**
 * An edit over the stored draft: absent fields are unchanged, a given `contact` replaces the whole
 * contact, and null resets an optional field (lists to none, the paired county to the applicant's own).
 */
export const patchFields = (current: Submission, patch: PromotionEventPatch): DraftFields => {
  const { version: _version, ...given } = patch;
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<PromotionEventRequest>;
  return draftFields({ ...requestOf(current), ...defined }, current.countyCode);
};

const optional = new Set(['coOrganisers', 'supportingUnits', 'invitedOfficials', 'pairedCountyCode']);

/** `@IsOptional` lets null through every field of a PATCH; only the optional fields may be reset by it. */
export function nullFields(body: object): FieldProblem[] {
  return Object.entries(body)
    .filter(([field, value]) => value === null && !optional.has(field))
    .map(([field]) => ({ field, message: `${field} is required: leave it out to keep it, it cannot be null` }));
}

export const contentOf = (s: Pick<Submission, 'content'>): PromotionEventContent => s.content as unknown as PromotionEventContent;

export function toPromotionEventResponse(s: Submission): PromotionEventResponse {
  const c = contentOf(s);
  return {
    ...toCommonResponse(s),
    title: s.title,
    theme: c.theme,
    date: c.date,
    venue: c.venue,
    hostUnit: c.hostUnit,
    hostOrganisationCode: c.hostOrganisationCode,
    coOrganisers: c.coOrganisers,
    supportingUnits: c.supportingUnits,
    pairedCountyCode: c.pairedCountyCode,
    pairedZoneCode: s.pairedZoneCode,
    targetIndustryChain: c.targetIndustryChain,
    expectedParticipants: c.expectedParticipants,
    invitedOfficials: c.invitedOfficials,
    budgetWan: c.budgetWan,
    budgetSource: c.budgetSource,
    securityPlan: c.securityPlan,
    contact: contactOf(s.contact),
  };
}
