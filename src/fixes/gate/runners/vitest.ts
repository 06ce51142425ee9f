import { join } from 'node:path';
import { parseJestJson } from './jest-json.js';
import type { RunnerPlugin } from './types.js';

const REPORT = 'vitest.json';

/**
 * Vitest: `vitest run` (or `vitest related <files> --run`) with the default reporter for people and
 * the json reporter, in Jest's format, written to a file for us.
 */
export const vitest: RunnerPlugin = {
  name: 'vitest',
  packageName: 'vitest',
  supportsRelated: true,
  configFiles: /^vit(est|e)\.(config|workspace)\.[cm]?[jt]s$/,
  packageJsonKey: undefined,
  args: {
    values: new Set([
      '--config',
      '-c',
      '--project',
      '--root',
      '-r',
      '--dir',
      '--environment',
      '--pool',
      '--mode',
      '--maxWorkers',
      '--minWorkers',
      '--testTimeout',
      '--hookTimeout',
      '--teardownTimeout',
      '--shard',
      '--exclude',
      '-t',
      '--testNamePattern',
      '--retry',
      '--bail',
      '--maxConcurrency',
      '--reporter',
      '--outputFile',
      '--execArgv',
    ]),
    drop: new Set([
      '--watch',
      '-w',
      '--run',
      '--reporter',
      '--outputFile',
      '--coverage',
      '--ui',
      '--open',
      '--update',
      '-u',
      '--changed',
      '--standalone',
      '--passWithNoTests',
    ]),
  },
  invocation(info, { dir, related, testFiles }) {
    const reporters = [
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${join(dir, REPORT)}`,
    ];
    const common = [...info.options, '--passWithNoTests', ...reporters];
    if (related !== undefined) return { args: ['related', ...related, '--run', ...common] };
    return { args: ['run', ...common, ...(testFiles ?? info.positionals)] };
  },
  parse({ dir, cwd }) {
    return parseJestJson(join(dir, REPORT), cwd);
  },
};
