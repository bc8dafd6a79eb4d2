import type { ApiClient } from './api-client.js';
import type { Ledger, SubmissionKind, TrackedSubmission } from './ledger.js';

/** The county whose demo applicant submits everything (its plans name 柯桥, the zone it is paired with). */
export const APPLICANT = 'qingyuan';

const ATTACHMENT_KINDS = ['application_letter', 'feasibility_report', 'land_use_plan', 'site_selection_opinion', 'plan_eia_review_opinion'];
const pdf = (title: string) =>
  new Blob([`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${title}\ntrailer << /Root 1 0 R >>\n%%EOF\n`], { type: 'application/pdf' });

type Example = Record<string, unknown> & { contact: Record<string, unknown> };

/** What each kind is drafted from: intake's own documented example (as `npm run demo` does), so the bench follows the API as it evolves. */
export interface Examples {
  readonly zonePlan: Example;
  readonly promotionEvent: Example;
}

interface OpenApi {
  paths: Record<string, { post?: { requestBody?: { content?: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }> }> } } }>;
}

export async function loadExamples(api: ApiClient): Promise<Examples> {
  const { body } = await api.call<OpenApi>('intake', 'GET', '/docs-json');
  const example = (path: string): Example => {
    const content = body.paths[path]?.post?.requestBody?.content?.['application/json'];
    const value = content?.example ?? Object.values(content?.examples ?? {})[0]?.value;
    if (!value || typeof value !== 'object') throw new Error(`intake's OpenAPI document has no example body for POST ${path}`);
    return value as Example;
  };
  return { zonePlan: example('/zone-plans'), promotionEvent: example('/promotion-events') };
}

/** A day well ahead (China time), since a submitted event may not lie in the past. */
const eventDate = (): string => new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);

const pathOf = (kind: SubmissionKind): string => (kind === 'zone_plan' ? '/zone-plans' : '/promotion-events');

/**
 * Drafts one submission as the applicant and attaches what it needs (a plan's five PDFs,
 * multipart): its title carries the tag every email about it will carry too, and it has an
 * applicant address of its own.
 */
export async function draftOne(api: ApiClient, examples: Examples, ledger: Ledger, kind: SubmissionKind): Promise<TrackedSubmission> {
  const s = ledger.create(kind);
  const contact = { ...(kind === 'zone_plan' ? examples.zonePlan : examples.promotionEvent).contact, email: `${s.tag.toLowerCase()}@county.shanhai.example` };
  const body =
    kind === 'zone_plan'
      ? { ...examples.zonePlan, zoneName: `浙江庆元经济开发区 ${s.tag}`, contact }
      : { ...examples.promotionEvent, title: `山海协作·庆元招商推介会 ${s.tag}`, date: eventDate(), contact };
  const draft = await api.call<{ id: string }>('intake', 'POST', pathOf(kind), { body, as: APPLICANT, expect: [201] });
  ledger.identify(s, draft.body.id);
  if (kind === 'zone_plan') {
    for (const attachment of ATTACHMENT_KINDS) {
      const form = new FormData();
      form.set('kind', attachment);
      form.set('file', pdf(attachment), `${attachment}.pdf`);
      await api.call('intake', 'POST', `${pathOf(kind)}/${draft.body.id}/attachments`, { body: form, as: APPLICANT, expect: [201] });
    }
  }
  return s;
}

/** Submits a draft: the submission's first transition. */
export async function submitDraft(api: ApiClient, s: TrackedSubmission): Promise<void> {
  s.submitSentAt = Date.now();
  await api.call('intake', 'POST', `${pathOf(s.kind)}/${s.id}/submit`, { as: APPLICANT, expect: [200] });
  s.submittedAt = Date.now();
}
