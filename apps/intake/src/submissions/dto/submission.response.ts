import type { Contact } from '@shanhai/contracts';
import type { Submission } from '../submission.entity.js';
import type { TimelineEntry } from '../timeline-entry.entity.js';

/** The applicant's view of a submission: whitelisted fields, never the entity. */
export interface SubmissionResponse {
  id: string;
  kind: string;
  zoneName: string;
  county: { code: string; name: string };
  city: { code: string; name: string };
  contact: Contact;
  stakeholders: Contact[];
  revision: number;
  status: string;
  currentStep: { index: number; name: string; organisation: string; of: number } | null;
  submittedAt: string;
  updatedAt: string;
  timeline?: { event: string; summary: string; actor: string | null; opinion: string | null; at: string }[];
}

export function toSubmissionResponse(s: Submission, timeline?: TimelineEntry[]): SubmissionResponse {
  return {
    id: s.id,
    kind: s.kind,
    zoneName: s.title,
    county: { code: s.countyCode, name: s.countyName },
    city: { code: s.cityCode, name: s.cityName },
    contact: s.contact,
    stakeholders: s.stakeholders,
    revision: s.revision,
    status: s.status,
    currentStep: s.currentStep
      ? { index: s.currentStep.index, name: s.currentStep.name, organisation: s.currentStep.organisation, of: s.currentStep.stepCount }
      : null,
    submittedAt: s.submittedAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    ...(timeline
      ? { timeline: timeline.map((t) => ({ event: t.event, summary: t.summary, actor: t.actor, opinion: t.opinion, at: t.at.toISOString() })) }
      : {}),
  };
}
