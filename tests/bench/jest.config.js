import base from '../../jest.config.base.js';
// Unit specs of the bench's pure parts (options, statistics, the mail ledger): the bench itself is `npm run bench:e2e`.
export default { ...base, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
