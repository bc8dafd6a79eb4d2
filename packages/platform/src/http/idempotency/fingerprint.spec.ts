import { describe, expect, it } from '@jest/globals';
import { canonicalJson, requestFingerprint } from './fingerprint.js';

const multipart = (boundary: string, content: string) => ({
  raw: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nfeasibility_report\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.pdf"\r\n\r\n${content}\r\n--${boundary}--\r\n`),
  boundary,
});

describe(requestFingerprint.name, () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: undefined, a: null }], a: 'x' })).toBe('{"a":"x","b":[2,{"a":null,"d":1}]}');
  });

  it('takes two JSON bodies differing only in key order as one request, and any other difference as another', () => {
    const one = requestFingerprint({ body: { name: '庆元', blocks: [1, 2] } });
    expect(requestFingerprint({ body: { blocks: [1, 2], name: '庆元' } })).toBe(one);
    expect(requestFingerprint({ body: { blocks: [2, 1], name: '庆元' } })).not.toBe(one);
    expect(requestFingerprint({ body: { blocks: [1, 2], name: '庆元' }, query: { dryRun: 'true' } })).not.toBe(one);
  });

  it('takes two multipart bodies differing only in boundary as one request', () => {
    const one = requestFingerprint({ multipart: multipart('----a1', '%PDF-1.7 one') });
    expect(requestFingerprint({ multipart: multipart('----b22', '%PDF-1.7 one') })).toBe(one);
    expect(requestFingerprint({ multipart: multipart('----a1', '%PDF-1.7 two') })).not.toBe(one);
  });
});
