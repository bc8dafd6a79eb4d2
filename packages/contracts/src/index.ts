export * from './queues.js';
export * from './envelope.js';
export * from './messages.js';
export * from './directory.js';
export * from './routing.js';
export * from './deadlines.js';
export * from './urging.js';
export * from './jobs.js';
