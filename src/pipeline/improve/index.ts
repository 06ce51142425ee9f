export { runImprove } from './run-improve.js';
export { formatImproveReport } from './format.js';
export { codeHashOf } from './context.js';
export type {
  ChangeOutcome,
  ImproveDeps,
  ImproveEvent,
  ImproveOptions,
  ImproveReport,
} from './types.js';
