export { createJobHandlers, listedChange } from './handlers.js';
export { createJobProcesses } from './processes.js';
export { createJobRunner, type JobEvent, type JobRunner } from './runner.js';
