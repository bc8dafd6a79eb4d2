// Shared Jest setup: native ESM (Node 20 cannot require() ESM), TypeScript through ts-jest.
// Each workspace's jest.config.js spreads this and names its own test roots.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
  // Integration specs migrate and seed a database of their own before they start: on a busy
  // two-core CI machine that can take longer than Jest's 5 s default.
  testTimeout: 30_000,
};
