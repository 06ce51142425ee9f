export { runScan, createStoreCache, type ScanRun } from './run-scan.js';
export * from './improve/index.js';
export { taskKind, taskKindNames, TASK_KIND_REGISTRY, type TaskKindSpec } from './tasks/index.js';
export { improveRepository, type RunSetup } from './run.js';
export * from './jobs/index.js';
export { endLeftoverProcesses } from '../fixes/index.js';
export {
  loadModelUsage,
  modelIds,
  modelStatuses,
  providerOf,
  resolveModelStatuses,
  setupModels,
  type ModelSetup,
  type ModelSetupOptions,
  type ModelState,
  type ModelStatus,
  type ModelUsage,
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
