import { documentKinds as documentsOf } from '../submission/attachments.js';
import type { SubmissionKind } from '../submission/kinds.js';
import { attachmentLabel, byDeclaration, fieldLabel, fieldPaths, fieldValues } from './field-paths.js';
import type { DeficiencyNote } from './instance.state.js';
import type { Label } from './submission-fields.js';

/** One attached file of a revision: which document, its name, and its content hash. */
export interface AttachedFile {
  readonly kind: string;
  readonly filename: string;
  readonly sha256: string;
}

/**
 * A submission's revision as reviewers compare it: its fields as one tree (the title and the
 * kind's content under `content`) and its attachments.
 */
export interface RevisionSnapshot {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly attachments: readonly AttachedFile[];
}

export interface FieldChange {
  /** Dot path of a leaf: `content.blocks.0.areaKm2`. */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
  /** What readers call the field ('司前区块 北至'), when the diff knew the submission's kind. */
  readonly label?: Label;
}

export interface AttachmentChange {
  readonly kind: string;
  readonly change: 'added' | 'removed' | 'replaced';
  readonly before?: AttachedFile;
  readonly after?: AttachedFile;
  /** The document's name ('规划环评审查意见'), when the diff knew the submission's kind. */
  readonly label?: Label;
}

export interface RevisionDiff {
  readonly fields: readonly FieldChange[];
  readonly attachments: readonly AttachmentChange[];
}

/** Every leaf of a JSON tree by its dot path; an empty object or array is a leaf of its own. */
export function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (v: unknown, path: string): void => {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : isObject(v) ? Object.entries(v) : undefined;
    if (!entries || entries.length === 0) {
      if (path) out.set(path, v);
      return;
    }
    for (const [k, x] of entries) walk(x, path ? `${path}.${k}` : k);
  };
  walk(value, prefix);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What changed from one revision to the next, field by field and attachment by kind. Given the
 * submission's kind, it compares exactly the kind's declared fields (the paths a correction
 * notice may name; undeclared members are ignored), in the order the kind declares them, and
 * labels each change. Without it (callers not yet passing the kind), every JSON leaf is
 * compared, sorted by path.
 */
export function diffRevisions(before: RevisionSnapshot, after: RevisionSnapshot, kind?: SubmissionKind): RevisionDiff {
  const [a, b] = kind ? [fieldValues(kind, before), fieldValues(kind, after)] : [leaves(before.fields), leaves(after.fields)];
  const labelled = (path: string, from: RevisionSnapshot): { label?: Label } => {
    const label = kind && fieldLabel(kind, path, from);
    return label ? { label } : {};
  };
  const fields: FieldChange[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort(kind ? byDeclaration(kind) : byPath)) {
    const had = a.has(path);
    const has = b.has(path);
    if (had && !has) fields.push({ path, change: 'removed', before: a.get(path), ...labelled(path, before) });
    else if (!had && has) fields.push({ path, change: 'added', after: b.get(path), ...labelled(path, after) });
    else if (JSON.stringify(a.get(path)) !== JSON.stringify(b.get(path))) fields.push({ path, change: 'changed', before: a.get(path), after: b.get(path), ...labelled(path, after) });
  }
  const attachments: AttachmentChange[] = [];
  const kinds = [...new Set([...before.attachments, ...after.attachments].map((f) => f.kind))].sort();
  for (const kindOfFile of kinds) {
    const old = before.attachments.find((f) => f.kind === kindOfFile);
    const now = after.attachments.find((f) => f.kind === kindOfFile);
    const change = { kind: kindOfFile, ...(kind ? { label: attachmentLabel(kindOfFile) } : {}) };
    if (old && !now) attachments.push({ ...change, change: 'removed', before: old });
    else if (!old && now) attachments.push({ ...change, change: 'added', after: now });
    else if (old && now && old.sha256 !== now.sha256) attachments.push({ ...change, change: 'replaced', before: old, after: now });
  }
  return { fields, attachments };
}

/** Paths in reading order: numeric segments by number (`blocks.2` before `blocks.10`). */
function byPath(x: string, y: string): number {
  const xs = x.split('.');
  const ys = y.split('.');
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const [p, q] = [xs[i]!, ys[i]!];
    if (p === q) continue;
    const [m, n] = [Number(p), Number(q)];
    return Number.isInteger(m) && Number.isInteger(n) ? m - n : p < q ? -1 : 1;
  }
  return xs.length - ys.length;
}

export interface DeficiencyProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Why a correction notice's deficiencies cannot be sent against `revision`: a field deficiency
 * names one of the revision's field paths (see `fieldPaths`: a declared field, filled in or
 * not, or an element an array of the revision has); an attachment deficiency names a document
 * kind of the submission's kind or one the revision carries. Without the revision's content
 * (`undefined`: it arrived before messages carried it) field references are taken as given.
 * Each problem names the bad reference and is addressed as `deficiencies.<i>.ref`.
 */
export function deficiencyProblems(deficiencies: readonly DeficiencyNote[], kind: SubmissionKind, revision: RevisionSnapshot | undefined): DeficiencyProblem[] {
  const problems: DeficiencyProblem[] = [];
  const paths = revision && new Set(fieldPaths(kind, revision));
  const documentKinds = new Set<string>([...documentsOf[kind], ...(revision?.attachments ?? []).map((f) => f.kind)]);
  const seen = new Map<string, number>();
  deficiencies.forEach((d, i) => {
    const at = `deficiencies.${i}.ref`;
    if (d.target === 'field' && paths && !paths.has(d.ref)) {
      problems.push({ field: at, message: `the submission has no field ${d.ref}` });
    } else if (d.target === 'attachment' && !documentKinds.has(d.ref)) {
      problems.push({ field: at, message: `${d.ref} is not an attachment of this submission (known: ${[...documentKinds].join(', ') || 'none'})` });
    }
    const key = `${d.target}:${d.ref}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else problems.push({ field: at, message: `deficiencies.${first} already names this ${d.target}: list each once, with every note in it` });
  });
  return problems;
}
