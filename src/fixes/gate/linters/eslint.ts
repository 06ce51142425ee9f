import { join } from 'node:path';
import { keepOptions, parseEslintReport, scriptSetup } from './report.js';
import type { LinterPlugin, LinterSetup } from './types.js';

const FLAT_CONFIG = /^eslint\.config\.[cm]?[jt]s$/;
const LEGACY_CONFIG = /^\.eslintrc(\.(c?js|ya?ml|json))?$/;
const REPORT = 'eslint.json';

/**
 * ESLint: a flat config (`eslint.config.{js,mjs,cjs,ts,mts,cts}`), a legacy one (`.eslintrc`,
 * `.eslintrc.{js,cjs,json,yaml,yml}`, package.json `eslintConfig`), or a script that runs it;
 * run with `--format json --output-file`.
 */
export const eslint: LinterPlugin = {
  name: 'eslint',
  label: 'ESLint',
  bin: 'eslint',
  packageName: 'eslint',
  detect({ files, pkg, uses }): LinterSetup | undefined {
    const flat = files.find((file) => FLAT_CONFIG.test(file));
    if (flat !== undefined) return { config: flat, env: { ESLINT_USE_FLAT_CONFIG: 'true' } };
    const legacy = files.find((file) => LEGACY_CONFIG.test(file));
    const inPackage = pkg?.eslintConfig !== undefined ? 'package.json#eslintConfig' : undefined;
    const config = legacy ?? inPackage;
    if (config !== undefined) return { config, env: { ESLINT_USE_FLAT_CONFIG: 'false' } };
    // A script that names its config (`eslint -c config/eslint.js`): ESLint decides the mode.
    return scriptSetup(uses);
  },
  scriptOptions(args) {
    return keepOptions(args, {
      values: new Set([
        '-c',
        '--config',
        '--ext',
        '--parser',
        '--parser-options',
        '--resolve-plugins-relative-to',
        '--rulesdir',
        '--plugin',
        '--rule',
        '--env',
        '--global',
        '--ignore-path',
        '--ignore-pattern',
        '--max-warnings',
        '-f',
        '--format',
        '-o',
        '--output-file',
        '--cache-location',
        '--cache-strategy',
        '--report-unused-disable-directives-severity',
        '--flag',
        '--concurrency',
      ]),
      drop: new Set([
        '-f',
        '--format',
        '-o',
        '--output-file',
        '--fix',
        '--fix-dry-run',
        '--fix-type',
        '--cache',
        '--cache-location',
        '--cache-strategy',
        '--max-warnings',
        '--color',
        '--no-color',
        '--init',
        '--debug',
        '--print-config',
        '--stdin',
        '--stdin-filename',
        '--env-info',
        '--stats',
      ]),
    });
  },
  invocation(files, { dir, options }) {
    const report = join(dir, REPORT);
    return {
      args: [...options, '--format', 'json', '--output-file', report, ...files],
      report,
      stdoutToReport: false,
    };
  },
  parse: parseEslintReport,
};
