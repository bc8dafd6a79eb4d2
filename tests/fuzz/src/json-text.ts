/*
 * JSON as a hostile client writes it. `JSON.stringify` cannot write what the fuzzer must send: a
 * number beyond double precision (2^53+1 becomes 2^53), -0 (becomes 0), 1e400, bytes that are not
 * UTF-8, or nesting deeper than the call stack. Such leaves are marked in the value tree, and
 * `jsonBytes` writes them as they are.
 */

/** JSON text written as it is, e.g. a number `JSON.stringify` would round: `9007199254740993`, `-0`, `1e400`. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A string whose UTF-8 has `bytes` (not UTF-8) between `before` and `after`. */
export class BadBytes {
  constructor(
    readonly before: string,
    readonly bytes: readonly number[],
    readonly after: string,
  ) {}
}

/** `depth` nested arrays (`[[[…]]]`) or objects (`{"a":{"a":…}}`), written without recursion. */
export class Nested {
  constructor(
    readonly depth: number,
    readonly kind: 'array' | 'object',
  ) {}
}

/** Sets `key` as an own, enumerable property, even `__proto__` (which plain assignment would treat as the prototype). */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy of a value tree: plain objects (own `__proto__` keys kept) and arrays; marked leaves are shared. */
export function cloneValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setKey(copy, key, cloneValue(value[key]));
    return copy as T;
  }
  return value;
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RawJson) && !(value instanceof BadBytes) && !(value instanceof Nested);

/** The bytes of a value tree as JSON. */
export function jsonBytes(value: unknown): Buffer {
  const chunks: Buffer[] = [];
  let text = '';
  const flush = (): void => {
    if (text) chunks.push(Buffer.from(text, 'utf8'));
    text = '';
  };
  const write = (node: unknown): void => {
    if (node instanceof RawJson) text += node.text;
    else if (node instanceof BadBytes) {
      text += JSON.stringify(node.before).slice(0, -1);
      flush();
      chunks.push(Buffer.from(node.bytes));
      text += JSON.stringify(node.after).slice(1);
    } else if (node instanceof Nested) {
      const [open, close] = node.kind === 'array' ? ['[', ']'] : ['{"a":', '}'];
      text += open.repeat(node.depth) + (node.kind === 'array' ? '' : 'null') + close.repeat(node.depth);
    } else if (Array.isArray(node)) {
      text += '[';
      node.forEach((item, i) => {
        if (i) text += ',';
        write(item);
      });
      text += ']';
    } else if (isPlainObject(node)) {
      text += '{';
      Object.keys(node).forEach((key, i) => {
        text += `${i ? ',' : ''}${JSON.stringify(key)}:`;
        write(node[key]);
      });
      text += '}';
    } else if (node === undefined) text += 'null';
    else text += JSON.stringify(node);
  };
  write(value);
  flush();
  return Buffer.concat(chunks);
}
