import { randomBytes } from 'node:crypto';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertAddress, assertContentMatches, type FileStore } from './file-store.js';

/**
 * Files in a directory, fanned out as `ab/cd/<sha256>` so no directory grows past 65,536 entries.
 * A file appears whole or not at all: it is written to a temporary name beside its place, flushed,
 * then renamed (atomic on one filesystem), so a crash never leaves a truncated file under a hash.
 */
export class LocalFileStore implements FileStore {
  constructor(private readonly directory: string) {}

  pathOf(sha256: string): string {
    assertAddress(sha256);
    return path.join(this.directory, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, content: Buffer): Promise<void> {
    assertContentMatches(sha256, content);
    if (await this.has(sha256)) return;
    const target = this.pathOf(sha256);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const file = await open(temporary, 'wx', 0o640);
      try {
        await file.writeFile(content);
        await file.sync();
      } finally {
        await file.close();
      }
      // Two uploads of the same file may race here: both renames put identical bytes in place.
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async open(sha256: string): Promise<Readable> {
    // Opened before returning, so a missing file rejects here rather than failing a response mid-stream.
    const file = await open(this.pathOf(sha256), 'r');
    return file.createReadStream();
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await access(this.pathOf(sha256));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}
