import { describe, expect, it } from '@jest/globals';
import { ConfigError, DEVELOPMENT_JWT_KEY } from '@shanhai/platform';
import { auditSettingsOf, DEFAULT_AUDIT, DEVELOPMENT_AUDIT_KEY, loadConfig } from './config.js';

const secret = (c: string) => c.repeat(32);

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('workflow configuration', () => {
  it('checkpoints the audit every minute, signed with the development key, when nothing is set', () => {
    expect(loadConfig({}).audit).toEqual({ checkpointMs: 60_000, signingKeys: [DEVELOPMENT_AUDIT_KEY] });
    // A config built without them (a spec's) gets the same.
    expect(auditSettingsOf({ ...loadConfig({}), audit: undefined })).toEqual(DEFAULT_AUDIT);
    expect(DEVELOPMENT_AUDIT_KEY.secret).not.toBe(DEVELOPMENT_JWT_KEY.secret);
  });

  it('reads the checkpoint period and the signing keys in order, the first one signing', () => {
    const config = loadConfig({ AUDIT_CHECKPOINT_MS: '15000', AUDIT_SIGNING_KEYS: `audit-2027:${secret('n')},audit-2026:${secret('o')}` });
    expect(config.audit).toEqual({ checkpointMs: 15_000, signingKeys: [{ kid: 'audit-2027', secret: secret('n') }, { kid: 'audit-2026', secret: secret('o') }] });
  });

  it('refuses bad keys and periods as AUTH_JWT_KEYS would, never echoing a secret', () => {
    const problems = problemsOf({ AUDIT_CHECKPOINT_MS: '0', AUDIT_SIGNING_KEYS: `audit-2026:short,audit-2026:${secret('x')}` });
    expect(problems).toEqual([expect.stringMatching(/^AUDIT_CHECKPOINT_MS: /), 'AUDIT_SIGNING_KEYS: entry 1 (kid audit-2026): the secret must be at least 32 characters']);
    expect(problems.join()).not.toContain('short');
  });

  it('refuses the development key in production, with the JWT one, in one error', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'AUTH_JWT_KEYS: required when NODE_ENV=production, without the development key',
      'AUDIT_SIGNING_KEYS: required when NODE_ENV=production, without the development key',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', AUTH_JWT_KEYS: `k:${secret('j')}`, AUDIT_SIGNING_KEYS: `a:${secret('a')},dev:${DEVELOPMENT_AUDIT_KEY.secret}` })).toEqual([
      'AUDIT_SIGNING_KEYS: required when NODE_ENV=production, without the development key',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', AUTH_JWT_KEYS: `k:${secret('j')}`, AUDIT_SIGNING_KEYS: `a:${secret('a')}` })).toEqual([]);
  });
});
