import { describe, expect, it } from '@jest/globals';
import { RequestValidationError } from '@shanhai/platform';
import { parseUpload, type UploadedFileBody } from './upload-attachment.request.js';

const file: UploadedFileBody = { originalname: '申请书.pdf', size: 4, buffer: Buffer.from('%PDF') };

const problemsOf = (body: Record<string, unknown> | undefined, upload: UploadedFileBody | undefined) => {
  try {
    parseUpload(body, upload);
  } catch (error) {
    if (error instanceof RequestValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a RequestValidationError');
};

describe('an upload request', () => {
  it('takes one of the five kinds and a file', () => {
    expect(parseUpload({ kind: 'land_use_plan' }, file)).toEqual({ kind: 'land_use_plan', upload: file });
  });

  it('lists a bad kind and a missing file together', () => {
    expect(problemsOf({ kind: 'selfie' }, undefined).map((p) => p.field)).toEqual(['kind', 'file']);
    expect(problemsOf(undefined, undefined).map((p) => p.field)).toEqual(['kind', 'file']);
  });

  it('refuses unknown fields and an empty file', () => {
    expect(problemsOf({ kind: 'land_use_plan', owner: 'me' }, { ...file, size: 0, buffer: Buffer.alloc(0) })).toEqual([
      { field: 'owner', message: 'unknown field' },
      { field: 'file', message: 'file is empty' },
    ]);
  });
});
