export { createTestGenModel, type TestGenModel } from './model.js';
export { exploreModule } from './explore.js';
export { emitTestFile, minimiseCalls, type EmittedTest } from './emit.js';
export type { CallSite, Exploration, ExploreOptions, ObservedCall, Outcome } from './types.js';
