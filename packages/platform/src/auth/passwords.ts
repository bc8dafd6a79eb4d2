/**
 * Password hashing with bcrypt, through bcryptjs (pure JavaScript). Not argon2: its npm package needs
 * a native build in an install script, and npm 11 does not run dependencies' install scripts unless
 * each one is approved, so a plain `npm ci` would leave it broken. bcrypt at cost 10 is still a
 * deliberately slow, salted hash (~50-100 ms here), which is what a login needs.
 */
import bcrypt from 'bcryptjs';

const COST = 10;

/**
 * A valid bcrypt hash (same cost) of 48 random bytes nobody kept: compare a login for an unknown
 * user against it, so a missing user takes as long as a wrong password and cannot be told apart.
 */
export const DUMMY_HASH = '$2b$10$N0SSwXGlDtJ8K9RrwV5FtOtzEiQdR3HBba4kO7AXZCaSc6pkQOLTi';

/** bcrypt reads at most 72 bytes; a longer password is refused rather than silently cut. */
export const MAX_PASSWORD_BYTES = 72;

export async function hashPassword(plain: string): Promise<string> {
  if (plain.length === 0) throw new RangeError('a password cannot be empty');
  if (bcrypt.truncates(plain)) throw new RangeError(`a password can be at most ${MAX_PASSWORD_BYTES} bytes (UTF-8)`);
  return bcrypt.hash(plain, COST);
}

/** Whether `plain` is the password `hash` was made from; pass DUMMY_HASH when the user does not exist (and then refuse anyway). */
export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}
