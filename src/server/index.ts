/** The HTTP API and dashboard of `beast serve`. */
export { createApp, type AppDeps, type ApiApp } from './app.js';
export { loadApiToken, type ApiToken } from './auth.js';
export { startServer, type RunningServer, type ServeOptions } from './serve.js';
