import type { DeficiencyNote } from './instance.state.js';
import type { RevisionSnapshot } from './revision.js';

/**
 * The deficiencies of a correction notice that a corrected revision leaves as they were: a field
 * whose value (the whole subtree, for a block or the contact) is unchanged, an attachment whose
 * file (by content hash) is the same one, or still missing. `returned` is the revision that was
 * returned, `corrected` the one about to be submitted.
 */
export function stillOpen<D extends Pick<DeficiencyNote, 'target' | 'ref'>>(deficiencies: readonly D[], returned: RevisionSnapshot, corrected: RevisionSnapshot): D[] {
  return deficiencies.filter((d) =>
    d.target === 'field' ? same(valueAt(returned.fields, d.ref), valueAt(corrected.fields, d.ref)) : fileOf(returned, d.ref) === fileOf(corrected, d.ref),
  );
}

const fileOf = (revision: RevisionSnapshot, kind: string): string | undefined => revision.attachments.find((f) => f.kind === kind)?.sha256;

function valueAt(tree: unknown, path: string): unknown {
  let node = tree;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Equal as JSON with object keys in any order; a missing value and null are the same "not filled in". */
function same(a: unknown, b: unknown): boolean {
  return canonical(a ?? null) === canonical(b ?? null);
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v ?? null)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined && record[k] !== null).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`;
}
