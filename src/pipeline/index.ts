export { runScan, createStoreCache, type ScanRun } from './run-scan.js';
