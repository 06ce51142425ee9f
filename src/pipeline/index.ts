export { runScan } from './run-scan.js';
export {
  codeHashOf,
  formatImproveReport,
  runImprove,
  type ChangeOutcome,
  type ImproveEvent,
  type ImproveOptions,
  type ImproveReport,
} from './improve/index.js';
export { taskKind, taskKindNames } from './tasks/index.js';
export { improveRepository, type RunSetup } from './run.js';
export {
  formatDelivery,
  prepareDelivery,
  runDelivery,
  wantsDelivery,
  type DeliveryRequest,
} from './deliver/index.js';
export * from './jobs/index.js';
export { endLeftoverProcesses } from '../fixes/index.js';
export {
  loadModelUsage,
  modelStatuses,
  resolveModelStatuses,
  setupModels,
  type ModelStatus,
  type ModelUsage,
} from './models.js';
export { loadQualityReport, type QualityReport } from './quality-report.js';
export { repositoryVectors, searchCodebase, updateIndex } from './codebase/index.js';
export type { IndexStats, SearchResult } from './codebase/index.js';
export {
  chatAboutCodebase,
  type Answer,
  type ChatEvent,
  type ChatResult,
  exportKnowledge,
  knowledgeLlm,
  knowledgeMarkdown,
  updateKnowledge,
  type KnowledgeExport,
  type KnowledgeStats,
} from './codebase/index.js';
export {
  formatTestGenReport,
  generateRepositoryTests,
  recordTestGenReport,
  resolveTestGenOptions,
  type TestGenOptions,
  type TestGenReport,
} from './testgen/index.js';
