import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dataSourceOptions, hashPassword, type ServiceConfig } from '@shanhai/platform';
import { createTestApp, type TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../../src/app.module.js';
import type { IntakeConfig } from '../../src/config.js';
import { seedDirectory } from '../../src/directory/directory.seed.js';
import { SIGN_IN_LIMITS } from '../../src/auth/sign-in-limits.js';
import { openApi } from '../../src/openapi.js';

export const DEMO_PASSWORD = 'spec-password';
let demoHash: Promise<string> | undefined;

/**
 * Intake on its own database, with the directory and the demo accounts seeded as `npm start`
 * does, and a file store in a temporary directory of its own.
 */
export async function startIntake(extra: Partial<Omit<IntakeConfig, keyof ServiceConfig>> = {}): Promise<TestApp<IntakeConfig>> {
  demoHash ??= hashPassword(DEMO_PASSWORD);
  const passwordHash = await demoHash;
  const files = await mkdtemp(path.join(tmpdir(), 'shanhai-files-'));
  const t = await createTestApp<IntakeConfig>({
    service: 'intake',
    module: (config) => AppModule.forConfig(config),
    schema: { entities, migrations },
    openapi: openApi,
    extra: { fileStore: { kind: 'local', directory: files }, uploadMaxBytes: 20 * 1024 * 1024, signInLimits: SIGN_IN_LIMITS, ...extra },
    prepare: async (url) => {
      const dataSource = new DataSource(dataSourceOptions({ url, entities, migrations }));
      await dataSource.initialize();
      try {
        await seedDirectory(dataSource, { demo: true, demoPasswordHash: passwordHash });
      } finally {
        await dataSource.destroy();
      }
    },
  });
  return {
    ...t,
    async close() {
      await t.close();
      await rm(files, { recursive: true, force: true });
    },
  };
}

/** Signs in as a seeded demo account through POST /auth/login; returns the bearer header value. */
export async function bearer(t: TestApp, username: string): Promise<string> {
  const response = await request(t.app.getHttpServer()).post('/auth/login').send({ username, password: DEMO_PASSWORD });
  if (response.status !== 200) throw new Error(`login as ${username} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return `Bearer ${(response.body as { accessToken: string }).accessToken}`;
}
