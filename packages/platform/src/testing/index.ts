export * from './test-config.js';
export * from './test-app.js';
export * from './openapi.js';
export * from './eventually.js';
export * from './factories.js';
export * from './stack.js';
