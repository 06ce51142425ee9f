export { runScan, createStoreCache, type ScanRun } from './run-scan.js';
export * from './improve/index.js';
