/** The HTTP API and dashboard of `beast serve`. */
export { createApp, type AppDeps, type ApiApp } from './app.js';
export { loadApiToken, type ApiToken } from './auth.js';
export { createJobHandlers } from './job-handlers.js';
export { createJobRunner, type JobEvent, type JobRunner } from './jobs.js';
export { startServer, type RunningServer, type ServeOptions } from './serve.js';
