import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../../..');
const boundaryRules = new Set(['no-restricted-imports', 'import-x/no-restricted-paths']);

/** Lints `code` as if it were the file at `file` (relative to the repository), with the boundary rules only. */
async function boundaryProblems(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    ruleFilter: ({ ruleId }) => boundaryRules.has(ruleId),
    // The probe is not on disk, so it cannot be in a TypeScript project; the boundary rules need no types.
    overrideConfig: { languageOptions: { parserOptions: { project: false, projectService: false } } },
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('the boundaries ESLint enforces', () => {
  it('refuses Nest in packages/domain', async () => {
    await expect(boundaryProblems('packages/domain/src/probe.ts', "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n")).resolves.toEqual([
      expect.stringMatching(/^no-restricted-imports: .*stay pure/),
    ]);
  });

  it('refuses BullMQ and TypeORM in packages/contracts', async () => {
    const problems = await boundaryProblems('packages/contracts/src/probe.ts', "import { Queue } from 'bullmq';\nimport { DataSource } from 'typeorm';\nexport const probe = [Queue, DataSource];\n");
    expect(problems).toHaveLength(2);
    expect(problems.every((p) => p.startsWith('no-restricted-imports:'))).toBe(true);
  });

  it('refuses one app importing another', async () => {
    await expect(boundaryProblems('apps/workflow/src/probe.ts', "import { AppModule } from '../../intake/src/app.module.js';\nexport const probe = AppModule;\n")).resolves.toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*never imports another app/),
    ]);
  });

  it("refuses a feature importing another feature's entities, and lets it use that feature's service", async () => {
    await expect(
      boundaryProblems('apps/intake/src/auth/probe.ts', "import { UserRecord } from '../directory/directory.entities.js';\nexport const probe = UserRecord;\n"),
    ).resolves.toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*the auth feature never imports the directory feature's entities/)]);
    await expect(
      boundaryProblems('apps/notifier/src/reconciler/probe.ts', "import { Delivery } from '../deliveries/delivery.entity.js';\nexport const probe = Delivery;\n"),
    ).resolves.toEqual([expect.stringMatching(/never imports the deliveries feature's entities/)]);
    await expect(
      boundaryProblems('apps/intake/src/auth/probe.ts', "import { UsersService } from '../directory/users.service.js';\nimport { RefreshTokenRecord } from './refresh-token.entity.js';\nexport const probe = [UsersService, RefreshTokenRecord];\n"),
    ).resolves.toEqual([]);
  });

  it('lets an app import its own files and the packages', async () => {
    await expect(boundaryProblems('apps/workflow/src/probe.ts', "import { AppModule } from './app.module.js';\nimport { QueueName } from '@shanhai/contracts';\nexport const probe = [AppModule, QueueName];\n")).resolves.toEqual([]);
  });
});
