import { attachmentKindNames, attachmentKindNamesEn } from '../submission/attachments.js';
import type { SubmissionKind } from '../submission/kinds.js';
import { submissionFields, type FieldSpec, type Label, type Lang, type ListField } from './submission-fields.js';

/** The part of a revision snapshot the field paths read (structurally a RevisionSnapshot). */
export interface WithFields {
  readonly fields: Readonly<Record<string, unknown>>;
}

/** What a path names in a revision: its spec and value, and the labels its label is built from. */
interface Resolved {
  readonly spec: FieldSpec;
  readonly value: unknown;
  readonly parts: readonly Label[];
}

const SEPARATOR: Label = { zh: ' ', en: ': ' };
const INDEX = /^(0|[1-9][0-9]*)$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const memberOf = (v: unknown, key: string): unknown => (isObject(v) && Object.hasOwn(v, key) ? v[key] : undefined);
const join = (path: string, key: string | number): string => (path ? `${path}.${key}` : String(key));

function elementLabel(list: ListField, element: unknown, index: number): Label {
  const name = list.named === undefined ? undefined : memberOf(element, list.named);
  if (typeof name === 'string' && name.trim()) return { zh: name.trim(), en: name.trim() };
  const n = String(index + 1);
  return { zh: list.itemLabel.zh.replace('{n}', n), en: list.itemLabel.en.replace('{n}', n) };
}

/**
 * Walks `path` down the kind's declared fields. A declared member is found whether or not the
 * revision filled it in (an optional field left out can still be named); an array element only
 * at an index the revision has. Undeclared members, members of a leaf and indices out of range
 * are not found.
 */
function resolve(kind: SubmissionKind, path: string, snapshot: WithFields | undefined): Resolved | undefined {
  if (!path) return undefined;
  let spec: FieldSpec = submissionFields[kind];
  let value: unknown = snapshot?.fields;
  let current: Label | undefined;
  const parts: Label[] = [];
  for (const key of path.split('.')) {
    if (spec.type === 'value') return undefined;
    if (spec.type === 'group') {
      const child: FieldSpec | undefined = Object.hasOwn(spec.fields, key) ? spec.fields[key] : undefined;
      if (!child) return undefined;
      if (current && !spec.quiet) parts.push(current);
      [spec, value, current] = [child, memberOf(value, key), child.label];
    } else {
      // Without the revision's content the elements are unknown: an index is taken as given.
      if (!INDEX.test(key) || (snapshot && !(Array.isArray(value) && Number(key) < value.length))) return undefined;
      const element: unknown = Array.isArray(value) ? value[Number(key)] : undefined;
      [current, spec, value] = [elementLabel(spec, element, Number(key)), spec.item, element];
    }
  }
  if (current) parts.push(current);
  return { spec, value, parts };
}

/** Every path of the tree under `spec`, in declaration order: groups in full, lists by the elements they have. */
function walk(spec: FieldSpec, value: unknown, path: string, visit: (path: string, spec: FieldSpec, value: unknown) => void): void {
  if (path) visit(path, spec, value);
  if (spec.type === 'group') for (const [key, child] of Object.entries(spec.fields)) walk(child, memberOf(value, key), join(path, key), visit);
  if (spec.type === 'list' && Array.isArray(value)) value.forEach((element: unknown, i) => walk(spec.item, element, join(path, i), visit));
}

/**
 * Every field path a revision of `kind` has or may have: each declared field (filled in or
 * not) and, for arrays, each element the revision has with its own fields. These are the paths
 * a correction notice may name.
 */
export function fieldPaths(kind: SubmissionKind, snapshot: WithFields): string[] {
  const paths: string[] = [];
  walk(submissionFields[kind], snapshot.fields, '', (path) => paths.push(path));
  return paths;
}

/** Whether a correction notice may name `path` in this revision (any declared path when the revision is unknown). */
export const hasFieldPath = (kind: SubmissionKind, path: string, snapshot: WithFields | undefined): boolean => resolve(kind, path, snapshot) !== undefined;

/**
 * The declared leaves a revision fills in, by path, with their values: what the diff compares.
 * Undeclared members are left out, and so are leaves the revision does not have.
 */
export function fieldValues(kind: SubmissionKind, snapshot: WithFields): Map<string, unknown> {
  const values = new Map<string, unknown>();
  walk(submissionFields[kind], snapshot.fields, '', (path, spec, value) => {
    if (spec.type === 'value' && value !== undefined) values.set(path, value);
  });
  return values;
}

/**
 * Orders declared paths as the kind declares its fields (a form's reading order: a block's name,
 * area, then its boundaries east to north), elements by index, a path before the paths under it.
 */
export function byDeclaration(kind: SubmissionKind): (x: string, y: string) => number {
  return (x, y) => {
    const [xs, ys] = [x.split('.'), y.split('.')];
    let spec: FieldSpec | undefined = submissionFields[kind];
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
      const [p, q] = [xs[i]!, ys[i]!];
      if (spec?.type === 'group') {
        const keys = Object.keys(spec.fields);
        if (p !== q) return keys.indexOf(p) - keys.indexOf(q);
        spec = spec.fields[p];
      } else if (spec?.type === 'list') {
        if (p !== q) return Number(p) - Number(q);
        spec = spec.item;
      } else if (p !== q) return p < q ? -1 : 1;
    }
    return xs.length - ys.length;
  };
}

/**
 * The label of a field path in both languages: '司前区块 北至' and '司前区块: north boundary' for
 * `content.blocks.0.boundary.north` (the block's name from the revision; '第1个区块' and 'block 1'
 * when it has none, or without the revision). Undefined for a path the kind does not declare.
 */
export function fieldLabel(kind: SubmissionKind, path: string, snapshot?: WithFields): Label | undefined {
  const found = resolve(kind, path, snapshot);
  if (!found) return undefined;
  return { zh: found.parts.map((p) => p.zh).join(SEPARATOR.zh), en: found.parts.map((p) => p.en).join(SEPARATOR.en) };
}

/** A field path's label in one language; the path itself for a path the kind does not declare. */
export const labelOf = (kind: SubmissionKind, path: string, snapshot: WithFields | undefined, lang: Lang): string =>
  fieldLabel(kind, path, snapshot)?.[lang] ?? path;

/** An attachment kind's label ('规划环评审查意见'); an unknown kind is shown as it is. */
export function attachmentLabel(kind: string): Label {
  const known = Object.hasOwn(attachmentKindNames, kind);
  return known ? { zh: attachmentKindNames[kind as keyof typeof attachmentKindNames], en: attachmentKindNamesEn[kind as keyof typeof attachmentKindNamesEn] } : { zh: kind, en: kind };
}

/** A deficiency with its label in both languages, as a correction notice is sent. */
export const withLabel = <D extends { readonly target: 'field' | 'attachment'; readonly ref: string }>(kind: SubmissionKind, d: D, snapshot: WithFields | undefined): D & { label: Label } => ({
  ...d,
  label: { zh: deficiencyLabel(kind, d, snapshot, 'zh'), en: deficiencyLabel(kind, d, snapshot, 'en') },
});

/** What a deficiency of a correction notice is about, as readers are told: a field's or an attachment's label. */
export function deficiencyLabel(
  kind: SubmissionKind,
  deficiency: { readonly target: 'field' | 'attachment'; readonly ref: string },
  snapshot: WithFields | undefined,
  lang: Lang,
): string {
  return deficiency.target === 'attachment' ? attachmentLabel(deficiency.ref)[lang] : labelOf(kind, deficiency.ref, snapshot, lang);
}
