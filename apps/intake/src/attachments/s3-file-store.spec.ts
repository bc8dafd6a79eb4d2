import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { sha256Of } from './file-store.js';
import { createS3Client, S3FileStore, type S3Sender } from './s3-file-store.js';

/*
 * There is no S3 server on this machine and no network: the store is specified against a fake
 * client (what it asks of S3), and the real SDK client against a loopback stub that answers
 * path-style PUT/HEAD/GET like S3 (what goes over the wire). Neither is a real S3 or MinIO.
 */

const notFound = (name: 'NotFound' | 'NoSuchKey') => new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 404 }, message: name });

/** An in-memory bucket behind the SDK's `send`. */
function fakeS3(objects = new Map<string, Buffer>()) {
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  const send = jest.fn(async (command: unknown) => {
    const { input } = command as { input: { Bucket: string; Key: string; Body?: Buffer } };
    const name = (command as object).constructor.name;
    sent.push({ command: name, input });
    const key = `${input.Bucket}/${input.Key}`;
    if (command instanceof PutObjectCommand) return void objects.set(key, input.Body!);
    const object = objects.get(key);
    if (command instanceof HeadObjectCommand) {
      if (!object) throw notFound('NotFound');
      return { ContentLength: object.length };
    }
    if (command instanceof GetObjectCommand) {
      if (!object) throw notFound('NoSuchKey');
      return { Body: Readable.from([object]) };
    }
    throw new Error(`unexpected ${name}`);
  });
  return { client: { send } as unknown as S3Sender, sent, objects };
}

const content = Buffer.from('%PDF-1.4 规划环评审查意见', 'utf8');
const hash = sha256Of(content);

describe(S3FileStore.name, () => {
  it('puts a missing object under <prefix>/<sha256> with the SHA-256 for S3 to check', async () => {
    const s3 = fakeS3();
    await new S3FileStore(s3.client, 'shanhai-files', 'intake/attachments').put(hash, content);
    expect(s3.sent.map((s) => s.command)).toEqual(['HeadObjectCommand', 'PutObjectCommand']);
    expect(s3.sent[1]?.input).toMatchObject({
      Bucket: 'shanhai-files',
      Key: `intake/attachments/${hash}`,
      Body: content,
      ContentLength: content.length,
      ChecksumSHA256: Buffer.from(hash, 'hex').toString('base64'),
    });
  });

  it('does not upload an object that is already there', async () => {
    const s3 = fakeS3(new Map([[`b-1/${hash}`, content]]));
    await new S3FileStore(s3.client, 'b-1', '').put(hash, content);
    expect(s3.sent.map((s) => s.command)).toEqual(['HeadObjectCommand']);
  });

  it('refuses content that does not hash to its address before asking S3 anything', async () => {
    const s3 = fakeS3();
    await expect(new S3FileStore(s3.client, 'b-1', '').put(hash, Buffer.from('other'))).rejects.toThrow(RangeError);
    expect(s3.sent).toEqual([]);
  });

  it('tells a missing object from a failing store', async () => {
    const s3 = fakeS3();
    const store = new S3FileStore(s3.client, 'b-1', 'p');
    await expect(store.has(hash)).resolves.toBe(false);
    await expect(store.open(hash)).rejects.toMatchObject({ name: 'NoSuchKey' });
    const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'denied' });
    const failing = { send: jest.fn(async () => Promise.reject(denied)) } as unknown as S3Sender;
    await expect(new S3FileStore(failing, 'b-1', 'p').has(hash)).rejects.toBe(denied);
  });

  it('streams an object back', async () => {
    const s3 = fakeS3(new Map([[`b-1/p/${hash}`, content]]));
    await expect(buffer(await new S3FileStore(s3.client, 'b-1', 'p').open(hash))).resolves.toEqual(content);
  });

  it('closes its client when the app shuts down', () => {
    const destroy = jest.fn();
    new S3FileStore({ send: jest.fn(), destroy } as unknown as S3Sender, 'b-1', '').onApplicationShutdown();
    expect(destroy).toHaveBeenCalledTimes(1);
  });
});

describe('the SDK client against a loopback S3 stub', () => {
  const objects = new Map<string, Buffer>();
  const requests: { method: string; url: string; headers: Record<string, unknown> }[] = [];
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      void (async () => {
        const body = await buffer(req);
        requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
        const key = decodeURIComponent(new URL(req.url ?? '/', 'http://stub').pathname);
        const object = objects.get(key);
        if (req.method === 'PUT') {
          objects.set(key, body);
          res.writeHead(200, { ETag: '"stub"' }).end();
        } else if (!object) {
          res.writeHead(404, { 'Content-Type': 'application/xml' });
          res.end(req.method === 'HEAD' ? undefined : '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>');
        } else {
          res.writeHead(200, { 'Content-Length': object.length, 'Content-Type': 'application/octet-stream' });
          res.end(req.method === 'HEAD' ? undefined : object);
        }
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('writes, finds and reads objects path-style, signed with the configured keys', async () => {
    const client = createS3Client({
      kind: 's3',
      bucket: 'shanhai-files',
      prefix: 'intake',
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI-example-secret' },
    });
    const store = new S3FileStore(client, 'shanhai-files', 'intake');
    try {
      await expect(store.has(hash)).resolves.toBe(false);
      await store.put(hash, content);
      await store.put(hash, content);
      await expect(store.has(hash)).resolves.toBe(true);
      await expect(text(await store.open(hash))).resolves.toBe(content.toString('utf8'));
      await expect(store.open(sha256Of(Buffer.from('missing')))).rejects.toMatchObject({ name: 'NoSuchKey' });
    } finally {
      store.onApplicationShutdown();
    }
    expect(objects.get(`/shanhai-files/intake/${hash}`)).toEqual(content);
    const puts = requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]?.headers).toMatchObject({
      authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request/),
      'x-amz-checksum-sha256': Buffer.from(hash, 'hex').toString('base64'),
    });
  });
});
