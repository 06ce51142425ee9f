import { join } from 'node:path';
import { keepOptions, parseEslintReport, scriptSetup } from './report.js';
import type { LinterPlugin, LinterSetup } from './types.js';

const CONFIG = /^(xo\.config\.[cm]?[jt]s|\.xo-config(\.(c?js|json))?)$/;
const REPORT = 'xo.json';

/**
 * xo, an ESLint wrapper: `xo.config.*`, `.xo-config*`, package.json `xo`, or a script that runs
 * it; run with `--reporter json`, whose output is ESLint's json format, on stdout.
 */
export const xo: LinterPlugin = {
  name: 'xo',
  label: 'xo',
  bin: 'xo',
  packageName: 'xo',
  detect({ files, pkg, uses }): LinterSetup | undefined {
    const file = files.find((name) => CONFIG.test(name));
    if (file !== undefined) return { config: file };
    if (pkg?.xo !== undefined) return { config: 'package.json#xo' };
    return scriptSetup(uses);
  },
  scriptOptions(args) {
    return keepOptions(args, {
      values: new Set([
        '--reporter',
        '--config',
        '--ignore',
        '--cwd',
        '--extension',
        '--env',
        '--global',
        '--plugin',
        '--extend',
        '--parser',
        '--stdin-filename',
      ]),
      drop: new Set([
        '--reporter',
        '--fix',
        '--open',
        '--stdin',
        '--stdin-filename',
        '--print-config',
        '--version',
        '--cwd',
      ]),
    });
  },
  invocation(files, { dir, options }) {
    return {
      args: [...options, '--reporter', 'json', ...files],
      report: join(dir, REPORT),
      stdoutToReport: true,
    };
  },
  parse: parseEslintReport,
};
