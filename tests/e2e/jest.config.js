import base from '../../jest.config.base.js';
// The services run as built processes, so these specs take seconds each.
export default { ...base, testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], testTimeout: 120_000 };
