import { describe, expect, it } from '@jest/globals';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('verifies the password a hash was made from, and no other', async () => {
    const hash = await hashPassword('庆元-correct horse');
    expect(hash).toMatch(/^\$2[aby]\$10\$/);
    await expect(verifyPassword('庆元-correct horse', hash)).resolves.toBe(true);
    await expect(verifyPassword('庆元-correct hors', hash)).resolves.toBe(false);
    await expect(verifyPassword('', hash)).resolves.toBe(false);
  });

  it('salts: the same password gives different hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('secret-1'), hashPassword('secret-1')]);
    expect(a).not.toBe(b);
  });

  it('never verifies anything against the dummy hash, which costs the same as a real one', async () => {
    for (const guess of ['', 'password', 'admin', DUMMY_HASH]) await expect(verifyPassword(guess, DUMMY_HASH)).resolves.toBe(false);
    expect(DUMMY_HASH.slice(0, 7)).toBe((await hashPassword('x')).slice(0, 7));
  });

  it('refuses an empty password and one bcrypt would cut at 72 bytes', async () => {
    await expect(hashPassword('')).rejects.toThrow(RangeError);
    await expect(hashPassword('长'.repeat(25))).rejects.toThrow('at most 72 bytes');
    await expect(hashPassword('a'.repeat(72))).resolves.toMatch(/^\$2/);
  });
});
