import { Readable } from 'node:stream';
import type { OnApplicationShutdown } from '@nestjs/common';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3StoreSettings } from './file-store-settings.js';
import { assertAddress, assertContentMatches, type FileStore } from './file-store.js';

/** What the store uses of the SDK client: a fake stands in for it in unit specs. */
export type S3Sender = Pick<S3Client, 'send'> & Partial<Pick<S3Client, 'destroy'>>;

/**
 * Files as objects `<prefix>/<sha256>` in a bucket of an S3-compatible store. Objects are
 * immutable by construction (the key is the content's hash), so `put` checks for the object first
 * and writes only when it is missing; S3 checks the body against the SHA-256 it is sent with.
 */
export class S3FileStore implements FileStore, OnApplicationShutdown {
  constructor(
    private readonly client: S3Sender,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  keyOf(sha256: string): string {
    assertAddress(sha256);
    return this.prefix ? `${this.prefix}/${sha256}` : sha256;
  }

  async put(sha256: string, content: Buffer): Promise<void> {
    assertContentMatches(sha256, content);
    if (await this.has(sha256)) return;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.keyOf(sha256),
        Body: content,
        ContentLength: content.length,
        ContentType: 'application/octet-stream',
        ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      }),
    );
  }

  async open(sha256: string): Promise<Readable> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
    if (!(Body instanceof Readable)) throw new Error(`s3://${this.bucket}/${this.keyOf(sha256)}: the SDK returned no Node.js stream`);
    return Body;
  }

  /** Closes the client's sockets when the app stops. */
  onApplicationShutdown(): void {
    this.client.destroy?.();
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}

/** HEAD has no body, so a missing object is told by the status (the SDK names it `NotFound`). */
function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * The SDK client for the settings. The SDK's default CRC checksums on every request are switched to
 * "when required": several S3-compatible servers refuse them; the SHA-256 sent with each upload
 * still lets the server check the body.
 */
export function createS3Client(settings: S3StoreSettings): S3Client {
  return new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(settings.endpoint && { endpoint: settings.endpoint }),
    ...(settings.credentials && { credentials: { ...settings.credentials } }),
  });
}
