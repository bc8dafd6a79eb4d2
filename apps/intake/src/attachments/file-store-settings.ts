import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Where attachment files live: a local directory, or a bucket of an S3-compatible store. */
export type FileStoreSettings = LocalStoreSettings | S3StoreSettings;

export interface LocalStoreSettings {
  readonly kind: 'local';
  /** An absolute directory; created on the first upload. */
  readonly directory: string;
}

export interface S3StoreSettings {
  readonly kind: 's3';
  readonly bucket: string;
  /** Key prefix without leading or trailing `/`; empty for the bucket's root. */
  readonly prefix: string;
  /** An S3-compatible server (MinIO, Ceph, a cloud's OSS…); AWS itself when absent. */
  readonly endpoint?: string;
  readonly region: string;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key`: most self-hosted servers need it. */
  readonly forcePathStyle: boolean;
  /** Absent: the AWS SDK's default chain (environment, profile, instance role). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The S3 region when the URL names none: what AWS and MinIO use by default. */
export const DEFAULT_S3_REGION = 'us-east-1';

const S3_OPTIONS = new Set(['endpoint', 'region', 'forcePathStyle']);
// Lower-case DNS-style names, as S3 requires of new buckets (3–63 characters).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `FILE_STORE_URL`: `file:///abs/dir` or `s3://bucket/prefix?endpoint=…&region=…&forcePathStyle=true`.
 * Credentials never go in the URL (it is logged and shown in errors): they have their own variables.
 */
export const fileStoreUrl = z.string().transform((raw, ctx): LocalStoreSettings | Omit<S3StoreSettings, 'credentials'> => {
  const problem = (message: string) => {
    // The URL is not echoed: someone may have put a key in it.
    ctx.addIssue({ code: 'custom', message, input: '(not shown)' });
    return z.NEVER;
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return problem('must be a file:// or s3:// URL');
  }
  if (url.username || url.password) return problem('credentials do not go in the URL: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  if (url.protocol === 'file:') {
    if (url.search || url.hash) return problem('a file:// URL takes no query or fragment');
    return { kind: 'local', directory: fileURLToPath(url) };
  }
  if (url.protocol !== 's3:') return problem('must be a file:// or s3:// URL');

  const bucket = url.hostname;
  if (!BUCKET.test(bucket)) return problem(`s3://${bucket}: the bucket must be 3 to 63 lower-case letters, digits, '.' or '-'`);
  const unknown = [...url.searchParams.keys()].filter((k) => !S3_OPTIONS.has(k));
  if (unknown.length) return problem(`unknown option(s) ${unknown.join(', ')}: the options are ${[...S3_OPTIONS].join(', ')}`);
  const endpoint = url.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined && !/^https?:$/.test(safeProtocol(endpoint))) return problem('endpoint must be an http:// or https:// URL');
  const forcePathStyle = url.searchParams.get('forcePathStyle') ?? 'false';
  if (forcePathStyle !== 'true' && forcePathStyle !== 'false') return problem('forcePathStyle must be true or false');
  const region = url.searchParams.get('region') || DEFAULT_S3_REGION;
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
  return { kind: 's3', bucket, prefix, region, forcePathStyle: forcePathStyle === 'true', ...(endpoint && { endpoint }) };
});

function safeProtocol(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return '';
  }
}

/** `<repository>/var/files`, given the URL of apps/intake/{src,dist}/config.{ts,js}; /var/ is git-ignored. */
export const defaultFileStoreUrl = (configFileUrl: string): string => new URL('../../../var/files', configFileUrl).href;

/** Joins the parsed URL and the credentials; both or neither key must be set (checked with the rest of the environment). */
export function fileStoreSettings(
  location: z.infer<typeof fileStoreUrl>,
  accessKeyId: string | undefined,
  secretAccessKey: string | undefined,
): FileStoreSettings {
  if (location.kind === 'local') return location;
  return accessKeyId && secretAccessKey ? { ...location, credentials: { accessKeyId, secretAccessKey } } : location;
}

/** Adds an issue per missing half of the S3 key pair, for the environment schema's cross-variable check. */
export function s3KeyPairProblems(env: { S3_ACCESS_KEY_ID?: string; S3_SECRET_ACCESS_KEY?: string }): { path: string; message: string }[] {
  const id = Boolean(env.S3_ACCESS_KEY_ID);
  const secret = Boolean(env.S3_SECRET_ACCESS_KEY);
  if (id === secret) return [];
  return id
    ? [{ path: 'S3_SECRET_ACCESS_KEY', message: 'required with S3_ACCESS_KEY_ID' }]
    : [{ path: 'S3_ACCESS_KEY_ID', message: 'required with S3_SECRET_ACCESS_KEY' }];
}
