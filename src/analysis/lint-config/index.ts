export { readLintConfig, type LintConfig, type ReadLintConfigOptions } from './read.js';
export { type NodeScriptResult, type NodeScriptRunner } from './eslint-api.js';
export { otherNames } from './names.js';
export type { LintConfigLayer } from './types.js';
