export { gateTests } from './gate.js';
export { generateRepositoryTests, resolveTestGenOptions, type TestGenDeps } from './run-tests.js';
export { formatTestGenReport, recordRun as recordTestGenReport } from './deliver.js';
export {
  FUNNEL_STAGES,
  type CandidateTest,
  type Funnel,
  type FunnelStage,
  type TestGateContext,
  type TestGateResult,
  type TestGenOptions,
  type TestGenReport,
  type TestGenStatus,
  type TestVerdict,
} from './types.js';
