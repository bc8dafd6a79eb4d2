import type { AttachmentRef, Deficiency } from '@shanhai/contracts';
import { deficiencyLabel, stillOpen, type RevisionSnapshot, type SubmissionKind } from '@shanhai/domain';
import { DomainError } from '@shanhai/platform';

/** A revision as the correction rules compare it: the title and content as one tree, and its files. */
export const revisionSnapshot = (title: string, content: Record<string, unknown>, attachments: readonly AttachmentRef[]): RevisionSnapshot => ({
  fields: { title, content },
  attachments,
});

/**
 * The refusal of a corrected revision that changes nothing its correction notice named
 * (`UNCHANGED_RESUBMISSION`, 422), listing every deficiency still open by its label; none when
 * the revision deals with at least one of them.
 */
export function openDeficienciesProblem(deficiencies: readonly Deficiency[], returned: RevisionSnapshot, corrected: RevisionSnapshot, kind?: SubmissionKind): DomainError | undefined {
  const open = stillOpen(deficiencies, returned, corrected);
  if (!deficiencies.length || open.length < deficiencies.length) return undefined;
  const labelOf = (d: Deficiency) => d.label?.zh ?? (kind ? deficiencyLabel(kind, d, corrected, 'zh') : d.ref);
  return new DomainError(
    'UNCHANGED_RESUBMISSION',
    'the corrected revision changes nothing the correction notice named: correct them, or resubmit with a reason saying why they stand',
    { errors: open.map((d) => ({ field: d.target === 'field' ? d.ref : `attachments.${d.ref}`, message: `still as returned: ${labelOf(d)} — ${d.note}` })) },
  );
}
