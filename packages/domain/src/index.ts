export * from './shared/result.js';
export * from './directory/counties.js';
export * from './directory/organisations.js';
export * from './approval/definition.js';
export * from './approval/instance.state.js';
export * from './submission/submission.state.js';
