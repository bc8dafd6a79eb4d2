import base from '../../jest.config.base.js';
// Unit specs of the generators and the oracle only: the fuzz run itself is `npm run fuzz`.
export default { ...base, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
