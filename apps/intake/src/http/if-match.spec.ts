import { describe, expect, it } from '@jest/globals';
import { RequestValidationError } from '@shanhai/platform';
import { etagOf, expectedVersion, versionToCheck } from './if-match.js';

describe(expectedVersion.name, () => {
  it.each([
    [undefined, undefined, undefined],
    [3, undefined, 3],
    [undefined, '"3"', 3],
    [undefined, 'W/"3"', 3],
    [undefined, ' 3 ', 3],
    [undefined, '*', 'any'],
    [3, '"3"', 3],
    [3, '*', 3],
    [0, undefined, 0],
  ] as const)('body %j, If-Match %j → %j', (body, header, expected) => {
    expect(expectedVersion(body, header)).toBe(expected);
  });

  it('takes back the ETag it sends', () => {
    expect(expectedVersion(undefined, etagOf(7))).toBe(7);
  });

  it.each(['"3", "4"', 'abc', '"-1"', '"3'])('refuses the If-Match %j, naming the header', (header) => {
    expect(() => expectedVersion(undefined, header)).toThrow(RequestValidationError);
    try {
      expectedVersion(undefined, header);
    } catch (error) {
      expect((error as RequestValidationError).problems.map((p) => p.field)).toEqual(['If-Match']);
    }
  });

  it('refuses a body version and a header that disagree', () => {
    expect(() => expectedVersion(2, '"3"')).toThrow(RequestValidationError);
  });
});

describe(versionToCheck.name, () => {
  it.each([
    [3, 3],
    ['any', undefined],
    [undefined, undefined],
  ] as const)('checks %j against %j', (expected, checked) => {
    expect(versionToCheck(expected)).toBe(checked);
  });
});
