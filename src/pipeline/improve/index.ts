export { runImprove } from './run-improve.js';
export { formatImproveReport } from './format.js';
export { validateInBatches, type BatchOptions, type Verdict } from './batches.js';
export {
  CHECKS,
  type ChangeOutcome,
  type CheckAvailability,
  type CheckName,
  type CheckResult,
  type ImproveDeps,
  type ImproveEvent,
  type ImproveOptions,
  type ImproveReport,
  type ImproveStatus,
} from './types.js';
