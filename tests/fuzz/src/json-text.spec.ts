import { describe, expect, it } from '@jest/globals';
import { BadBytes, cloneValue, jsonBytes, Nested, RawJson, setKey } from './json-text.js';

describe(jsonBytes.name, () => {
  it('writes what JSON.stringify cannot: -0, 2^53+1, 1e400, as they are', () => {
    const text = jsonBytes({ a: new RawJson('-0'), b: new RawJson('9007199254740993'), c: [new RawJson('1e400')] }).toString();
    expect(text).toBe('{"a":-0,"b":9007199254740993,"c":[1e400]}');
    expect(Object.is((JSON.parse(text) as { a: number }).a, -0)).toBe(true);
  });

  it('writes bytes that are not UTF-8 inside a string, the rest escaped as JSON', () => {
    const bytes = jsonBytes({ name: new BadBytes('a"', [0xff, 0xfe], '\u0000b') });
    expect([...bytes]).toEqual([...Buffer.from('{"name":"a\\"'), 0xff, 0xfe, ...Buffer.from('\\u0000b"}')]);
  });

  it('writes nesting far deeper than the call stack, and own __proto__ keys', () => {
    const deep = jsonBytes({ x: new Nested(100_000, 'array') }).toString();
    expect(deep.length).toBe(200_000 + '{"x":}'.length);
    const proto: Record<string, unknown> = {};
    setKey(proto, '__proto__', { polluted: true });
    const text = jsonBytes(cloneValue({ body: proto })).toString();
    expect(text).toBe('{"body":{"__proto__":{"polluted":true}}}');
    expect(Object.keys((JSON.parse(text) as { body: object }).body)).toEqual(['__proto__']);
  });
});
