import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { sha256Of } from './file-store.js';
import { LocalFileStore } from './local-file-store.js';

describe(LocalFileStore.name, () => {
  let directory: string;
  let store: LocalFileStore;
  const content = Buffer.from('浙江庆元经济开发区可行性研究报告', 'utf8');
  const hash = sha256Of(content);

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'shanhai-files-'));
    store = new LocalFileStore(path.join(directory, 'files'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const filesUnder = async (dir: string): Promise<string[]> =>
    (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));

  it('stores a file under ab/cd/<sha256> and gives back the same bytes', async () => {
    await expect(store.has(hash)).resolves.toBe(false);
    await store.put(hash, content);
    await expect(store.has(hash)).resolves.toBe(true);
    expect(await filesUnder(path.join(directory, 'files'))).toEqual([path.join(hash.slice(0, 2), hash.slice(2, 4), hash)]);
    await expect(text(await store.open(hash))).resolves.toBe(content.toString('utf8'));
  });

  it('stores the same content once, however often and however concurrently it is put', async () => {
    await store.put(hash, content);
    const first = await stat(store.pathOf(hash));
    await store.put(hash, content);
    expect((await stat(store.pathOf(hash))).mtimeMs).toBe(first.mtimeMs);
    const other = Buffer.from('选址意见', 'utf8');
    await Promise.all(Array.from({ length: 8 }, () => store.put(sha256Of(other), other)));
    await expect(readFile(store.pathOf(sha256Of(other)))).resolves.toEqual(other);
    expect((await filesUnder(path.join(directory, 'files'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses content that does not hash to its address, and writes nothing', async () => {
    await expect(store.put(hash, Buffer.from('something else'))).rejects.toThrow(`not ${hash}`);
    await expect(store.has(hash)).resolves.toBe(false);
  });

  it('refuses an address that is not a SHA-256 digest, so no path escapes the directory', async () => {
    for (const address of ['../../etc/passwd', hash.toUpperCase(), `${hash}0`, '']) {
      await expect(store.has(address)).rejects.toThrow(RangeError);
      await expect(store.open(address)).rejects.toThrow(RangeError);
    }
  });

  it('rejects opening a file it does not have', async () => {
    await expect(store.open(hash)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
