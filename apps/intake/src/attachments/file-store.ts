import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Content-addressed storage of attachment files: a file is named by the SHA-256 of its bytes, so
 * the same file uploaded twice is stored once, and a stored file never changes. Rows in the
 * `attachments` table say which submission uses which file.
 */
export interface FileStore {
  /** Stores `content` under `sha256`; does nothing when it is already there. */
  put(sha256: string, content: Buffer): Promise<void>;
  /** The stored bytes; rejects when there is nothing under `sha256`. */
  open(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
}

export const FILE_STORE = Symbol('FILE_STORE');

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const sha256Of = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

/** Addresses end up in paths and object keys: only lower-case hex digests are let through. */
export function assertAddress(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new RangeError(`not a SHA-256 hex digest: ${JSON.stringify(sha256.slice(0, 80))}`);
}

/** A store that filed bytes under another hash would serve the wrong document forever. */
export function assertContentMatches(sha256: string, content: Buffer): void {
  assertAddress(sha256);
  const actual = sha256Of(content);
  if (actual !== sha256) throw new RangeError(`content hashes to ${actual}, not ${sha256}`);
}
