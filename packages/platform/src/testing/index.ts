export * from './test-config.js';
