export { runScan, createStoreCache, type ScanRun } from './run-scan.js';
export * from './improve/index.js';
export {
  modelIds,
  modelStatuses,
  providerOf,
  setupModels,
  type ModelSetup,
  type ModelSetupOptions,
  type ModelState,
  type ModelStatus,
} from './models.js';
export {
  computeQualityReport,
  loadDefectRisk,
  loadQualityReport,
  type DefectRiskInput,
  type QualityInput,
  type QualityReport,
  type Recommendation,
} from './quality-report.js';
