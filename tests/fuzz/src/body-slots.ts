import { isPlainObject, setKey } from './json-text.js';
import type { Schema } from './operations.js';

export type Segment = string | number;

/** A place in a body the schema describes: `blocks.0.areaKm2`, with its schema. Arrays are entered at item 0. */
export interface Slot {
  readonly path: readonly Segment[];
  readonly schema: Schema;
  /** Required by the object that holds it. */
  readonly required: boolean;
}

/** Every slot of a schema, the root (`[]`) first. */
export function slotsOf(schema: Schema, path: readonly Segment[] = [], required = true, depth = 0): Slot[] {
  const own: Slot = { path, schema, required };
  if (depth > 8) return [own];
  if (schema.type === 'array' && schema.items) return [own, ...slotsOf(schema.items, [...path, 0], true, depth + 1)];
  const needed = new Set(schema.required ?? []);
  const children = Object.entries(schema.properties ?? {}).flatMap(([name, child]) => slotsOf(child, [...path, name], needed.has(name), depth + 1));
  return [own, ...children];
}

export const fieldOf = (path: readonly Segment[]): string => path.join('.');

/** Whether one path lies inside the other (or they are the same). */
export const overlaps = (a: readonly Segment[], b: readonly Segment[]): boolean => a.slice(0, b.length).every((s, i) => s === b[i]) || b.slice(0, a.length).every((s, i) => s === a[i]);

/**
 * Puts `value` at `path` in `root`, making the objects and arrays on the way where the body has
 * none (a fault may target an optional field the generated body left out). Returns the new root.
 */
export function placeAt(root: unknown, path: readonly Segment[], value: unknown): unknown {
  if (!path.length) return value;
  const top = containerFor(root, path[0]!);
  let node = top;
  path.slice(0, -1).forEach((segment, i) => {
    const child = containerFor(read(node, segment), path[i + 1]!);
    write(node, segment, child);
    node = child;
  });
  write(node, path.at(-1)!, value);
  return top;
}

/** Takes the value at `path` out of its object (the path's parents made as placeAt makes them). Returns the new root. */
export function removeAt(root: unknown, path: readonly Segment[]): unknown {
  const parent = path.slice(0, -1);
  const key = path.at(-1)!;
  const placed = placeAt(root, [...parent, key], null);
  const holder = parent.reduce<unknown>((node, segment) => read(node, segment), placed);
  if (isPlainObject(holder)) delete holder[String(key)];
  return placed;
}

/** The value at `path`, if there is one. */
export const valueAt = (root: unknown, path: readonly Segment[]): unknown => path.reduce<unknown>((node, segment) => read(node, segment), root);

function containerFor(value: unknown, next: Segment): Record<string, unknown> | unknown[] {
  if (typeof next === 'number') {
    const list: unknown[] = Array.isArray(value) ? value : [];
    while (list.length <= next) list.push({});
    return list;
  }
  return isPlainObject(value) ? value : {};
}

function read(node: unknown, segment: Segment): unknown {
  if (Array.isArray(node) && typeof segment === 'number') return node[segment];
  if (isPlainObject(node)) return Object.prototype.hasOwnProperty.call(node, segment) ? node[String(segment)] : undefined;
  return undefined;
}

function write(node: Record<string, unknown> | unknown[], segment: Segment, value: unknown): void {
  if (Array.isArray(node)) node[segment as number] = value;
  else setKey(node, String(segment), value);
}
