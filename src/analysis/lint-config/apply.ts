import type { Config, LintConfigReport } from '../../core/index.js';
import type { NodeScriptRunner } from './eslint-api.js';
import { readLintConfig } from './read.js';
import type { LintConfigLayer } from './types.js';

/** How a scan reads the project's lint configuration. */
export interface LintConfigOptions {
  /** Runs the repository's own ESLint for configs that are code (see `createLintConfigRunner`). */
  runScript?: NodeScriptRunner;
}

/**
 * Pure: the layers without the rules the beast config itself sets at its top level: a rule named
 * there is the user's alone, whatever the project's linter says of it.
 */
export function withoutUserRules(
  layers: readonly LintConfigLayer[],
  userRules: Readonly<Record<string, unknown>>,
): LintConfigLayer[] {
  return layers
    .map((layer) => ({
      files: layer.files,
      rules: Object.fromEntries(Object.entries(layer.rules).filter(([id]) => !(id in userRules))),
    }))
    .filter((layer) => Object.keys(layer.rules).length > 0);
}

/**
 * The config with the project's lint configuration beneath it (`respectLintConfig`), and the
 * report of what it changed; the config unchanged and no report when the key is false.
 */
export async function applyLintConfig(
  root: string,
  config: Config,
  files: readonly string[],
  options: LintConfigOptions = {},
): Promise<{ config: Config; report: LintConfigReport | undefined }> {
  if (!config.respectLintConfig) return { config, report: undefined };
  const lint = await readLintConfig(root, files, options);
  const layers = withoutUserRules(lint.layers, config.rules);
  const report = {
    ...lint.report,
    adjusted: lint.report.adjusted.filter((a) => !(a.rule in config.rules)),
  };
  return { config: { ...config, baseLayers: [...layers, ...config.baseLayers] }, report };
}
