export { applyLintConfig, type LintConfigOptions } from './apply.js';
export { type NodeScriptResult, type NodeScriptRunner } from './eslint-api.js';
