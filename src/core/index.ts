export * from './errors.js';
export * from './types.js';
export * from './config.js';
export * from './version.js';
export * from './files.js';
export * from './exit.js';
export * from './redact.js';
