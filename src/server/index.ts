/** The HTTP API and dashboard of `beast serve`. */
export { startServer } from './serve.js';
