export {
  createJobHandlers,
  listedChange,
  refactorOptions,
  type ImproveJobOptions,
  type ListedChange,
  type RefactorParams,
} from './handlers.js';
export { createJobProcesses, type JobProcesses, type JobProcessOptions } from './processes.js';
export { createJobRunner, type JobEvent, type JobHandler, type JobRunner } from './runner.js';
