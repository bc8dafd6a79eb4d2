import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@shanhai/platform';
import { loadConfig } from '../config.js';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('intake attachment settings', () => {
  it('keeps files in <repository>/var/files and accepts 20 MiB unless told otherwise', () => {
    const config = loadConfig({});
    expect(config.fileStore).toEqual({ kind: 'local', directory: path.join(repository, 'var/files') });
    expect(config.uploadMaxBytes).toBe(20 * 1024 * 1024);
  });

  it('reads a local directory and a size limit', () => {
    expect(loadConfig({ FILE_STORE_URL: 'file:///srv/shanhai/files', UPLOAD_MAX_BYTES: '1048576' })).toMatchObject({
      fileStore: { kind: 'local', directory: '/srv/shanhai/files' },
      uploadMaxBytes: 1048576,
    });
  });

  it('reads an S3-compatible store with its options and keys', () => {
    const config = loadConfig({
      FILE_STORE_URL: 's3://shanhai-files/intake/attachments/?endpoint=http://127.0.0.1:9000&region=cn-east-1&forcePathStyle=true',
      S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
    });
    expect(config.fileStore).toEqual({
      kind: 's3',
      bucket: 'shanhai-files',
      prefix: 'intake/attachments',
      endpoint: 'http://127.0.0.1:9000',
      region: 'cn-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' },
    });
  });

  it("leaves S3's region, path style and credentials to their defaults when not given", () => {
    expect(loadConfig({ FILE_STORE_URL: 's3://shanhai-files' }).fileStore).toEqual({ kind: 's3', bucket: 'shanhai-files', prefix: '', region: 'us-east-1', forcePathStyle: false });
  });

  it('names every bad setting at once, and never echoes a key', () => {
    expect(problemsOf({ FILE_STORE_URL: 's3://Bad_Bucket/x?endpoint=ftp://x&colour=blue', UPLOAD_MAX_BYTES: '0', S3_ACCESS_KEY_ID: 'AKIDONLY' })).toEqual([
      expect.stringMatching(/^FILE_STORE_URL: s3:\/\/Bad_Bucket: the bucket must be/),
      expect.stringMatching(/^UPLOAD_MAX_BYTES: /),
      'S3_SECRET_ACCESS_KEY: required with S3_ACCESS_KEY_ID',
    ]);
    const leaked = problemsOf({ FILE_STORE_URL: 's3://AKIDLEAK:supersecret@shanhai-files/x' });
    expect(leaked).toEqual(['FILE_STORE_URL: credentials do not go in the URL: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY']);
    expect(problemsOf({ FILE_STORE_URL: 's3://shanhai-files/x?colour=blue' })).toEqual([
      'FILE_STORE_URL: unknown option(s) colour: the options are endpoint, region, forcePathStyle',
    ]);
    expect(problemsOf({ FILE_STORE_URL: 's3://shanhai-files?forcePathStyle=yes' })).toEqual(['FILE_STORE_URL: forcePathStyle must be true or false']);
    expect(problemsOf({ FILE_STORE_URL: '/var/files' })).toEqual(['FILE_STORE_URL: must be a file:// or s3:// URL']);
    expect(problemsOf({ FILE_STORE_URL: 'https://files.example/x' })).toEqual(['FILE_STORE_URL: must be a file:// or s3:// URL']);
  });

  it('refuses a size limit files could not be held in memory at', () => {
    expect(problemsOf({ UPLOAD_MAX_BYTES: String(2 ** 30) })).toEqual([expect.stringMatching(/^UPLOAD_MAX_BYTES: at most 268435456/)]);
  });
});
