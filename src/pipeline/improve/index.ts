export { runImprove } from './run-improve.js';
export { formatImproveReport } from './format.js';
export type {
  ChangeOutcome,
  ImproveDeps,
  ImproveEvent,
  ImproveOptions,
  ImproveReport,
} from './types.js';
