// ESLint flat config for the whole monorepo (ESLint 10 finds this file from any workspace).
//
// - TypeScript: typescript-eslint `recommendedTypeChecked`, plus no-floating-promises and
//   import-x/no-cycle as errors.
// - Type information: every workspace (packages/*, apps/*, tools/*, tests/*) that has a
//   `tsconfig.spec.json` is linted against *that* project, because it covers src + test
//   (the build `tsconfig.json` excludes specs and test/). Each workspace gets its own block so a
//   `lint` run in one workspace only builds one TypeScript program. A workspace without a
//   tsconfig.spec.json falls back to the project service (nearest tsconfig.json).
// - scripts/*.mjs: plain JavaScript rules with Node globals.
// - Ignored: dist/, node_modules/, coverage/, and *.js / *.cjs config files (jest.config.js, this file).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;
const workspaceParents = ['packages', 'apps', 'tools', 'tests'];

/** Workspace directories (relative to the root, with `/`) that have a tsconfig.spec.json. */
const typedWorkspaces = workspaceParents.flatMap((parent) => {
  const dir = path.join(root, parent);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}`)
    .filter((ws) => existsSync(path.join(root, ws, 'tsconfig.spec.json')));
});

/** The feature folders under each app's src/, each with the app's other features. */
function featureFolders() {
  return readdirSync(path.join(root, 'apps'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(root, 'apps', e.name, 'src')))
    .flatMap(({ name: app }) => {
      const features = readdirSync(path.join(root, 'apps', app, 'src'), { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name !== 'migrations')
        .map((e) => e.name);
      return features.map((feature) => ({ app, feature, siblings: features.filter((f) => f !== feature) }));
    });
}

const tsFiles = ['**/*.ts', '**/*.mts', '**/*.cts'];
const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'];

export default defineConfig(
  {
    name: 'shanhai/ignores',
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.turbo/**',
      '**/*.d.ts',
      // Config files (jest.config.js, eslint.config.js, ...) are not linted.
      '**/*.js',
      '**/*.cjs',
    ],
  },

  {
    name: 'shanhai/linter-options',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // ---------------------------------------------------------------- scripts/*.mjs (plain JS, Node)
  {
    name: 'shanhai/scripts',
    files: ['scripts/**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },

  // ---------------------------------------------------------------- TypeScript
  {
    name: 'shanhai/typescript',
    files: tsFiles,
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    plugins: { 'import-x': importX },
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        // Fallback for a workspace without tsconfig.spec.json; overridden per workspace below.
        projectService: true,
        tsconfigRootDir: root,
      },
    },
    settings: {
      'import-x/extensions': ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts', '.cts'] },
      // The built-in resolver (unrs-resolver) maps the `.js` suffixes of NodeNext imports to the
      // `.ts` sources, so no separate TypeScript resolver package is needed.
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.mts', '.cts', '.d.ts', '.js', '.mjs', '.cjs', '.json', '.node'],
          extensionAlias: { '.js': ['.ts', '.d.ts', '.js'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] },
          conditionNames: ['types', 'import', 'node', 'default'],
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],

      // NestJS idioms:
      // - modules are decorated empty classes (`@Module({...}) export class AppModule {}`);
      '@typescript-eslint/no-extraneous-class': 'off',
      // - `constructor(private readonly svc: Service) {}` is dependency injection, not useless;
      'no-useless-constructor': 'off',
      '@typescript-eslint/no-useless-constructor': 'off',
      // - lifecycle hooks and BullMQ `process()` are `async` to satisfy their interfaces even
      //   when they do not await anything;
      '@typescript-eslint/require-await': 'off',
      // - decorators are type-checked by tsc; injected types are runtime values for metadata.
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },

  // One block per workspace: lint against its tsconfig.spec.json (src + test).
  ...typedWorkspaces.map((ws) => ({
    name: `shanhai/project:${ws}`,
    files: tsFiles.map((glob) => `${ws}/${glob}`),
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: `./${ws}/tsconfig.spec.json`,
        tsconfigRootDir: root,
      },
    },
  })),

  // ---------------------------------------------------------------- boundaries
  // packages/domain and packages/contracts are pure: no framework, no database, no queue.
  {
    name: 'shanhai/boundaries:pure-packages',
    files: ['packages/domain/**/*.ts', 'packages/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@nestjs/.*|typeorm(/.*)?|bullmq(/.*)?|pg(/.*)?|pg-.*|ioredis(/.*)?|@shanhai/platform(/.*)?)$',
              message: 'packages/domain and packages/contracts stay pure: no Nest, TypeORM, BullMQ, pg or Redis (that is packages/platform).',
            },
          ],
        },
      ],
    },
  },
  // No app imports another app (services meet only through the queues), and no feature another feature's entities.
  {
    name: 'shanhai/boundaries:apps',
    files: ['apps/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          // Zones are relative to the repository, whichever workspace runs ESLint.
          basePath: root,
          // Every folder under apps/, so a new app (the console) is covered without being listed.
          zones: [
            ...readdirSync(path.join(root, 'apps'), { withFileTypes: true }).filter((e) => e.isDirectory()).map(({ name: app }) => ({
              target: `./apps/${app}`,
              from: './apps',
              except: [`./${app}`],
              message: 'an app never imports another app: services meet only through BullMQ queues and packages/contracts.',
            })),
            // A feature's entities are its own: another feature asks it (its service, its exported types), never its tables.
            // In this one rule: a second config block naming the rule would replace these zones, not add to them.
            ...featureFolders().flatMap(({ app, feature, siblings }) =>
              siblings.map((other) => ({
                target: `./apps/${app}/src/${feature}/**/*`,
                from: `./apps/${app}/src/${other}/**/*.{entity,entities}.ts`,
                message: `the ${feature} feature never imports the ${other} feature's entities: ask ${other}'s service, or take the type from its public module.`,
              })),
            ),
          ],
        },
      ],
    },
  },

  // ---------------------------------------------------------------- tests
  {
    name: 'shanhai/tests',
    files: testFiles,
    rules: {
      // `expect(fake.method).toHaveBeenCalled()` passes a method unbound, on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // HTTP bodies (supertest `res.body`), asymmetric matchers (`expect.any`) and fixtures are
      // `any` by nature in tests; the production code keeps the strict no-unsafe-* rules.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
