import { join } from 'node:path';
import { globLiteral } from './coverage-args.js';
import { parseJestJson } from './jest-json.js';
import type { CoverageContext, RunnerPlugin } from './types.js';

const REPORT = 'vitest.json';

/**
 * Vitest's v8 coverage as Istanbul JSON into the run's folder, also when a test fails, with the
 * repository's thresholds off (a measurement, not a check); the given provider module instead of
 * the repository's `@vitest/coverage-v8` when it has none; `include` lists files no test loads.
 */
function coverageArgs(coverage: CoverageContext | undefined): string[] {
  if (coverage === undefined) return [];
  const provider =
    coverage.providerModule === undefined
      ? ['--coverage.provider=v8']
      : [
          '--coverage.provider=custom',
          `--coverage.customProviderModule=${coverage.providerModule}`,
        ];
  return [
    '--coverage.enabled=true',
    ...provider,
    '--coverage.reporter=json',
    `--coverage.reportsDirectory=${coverage.dir}`,
    '--coverage.reportOnFailure=true',
    '--coverage.clean=true',
    ...['lines', 'functions', 'branches', 'statements'].map((m) => `--coverage.thresholds.${m}=0`),
    ...(coverage.include ?? []).map((file) => `--coverage.include=${globLiteral(file)}`),
  ];
}

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
  coverage: 'istanbul',
  shuffle: true,
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
  invocation(info, { dir, related, testFiles, coverage, shuffle }) {
    const reporters = [
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${join(dir, REPORT)}`,
    ];
    const common = [
      ...info.options,
      '--passWithNoTests',
      ...reporters,
      ...coverageArgs(coverage),
      ...(shuffle === true ? ['--sequence.shuffle'] : []),
    ];
    if (related !== undefined) return { args: ['related', ...related, '--run', ...common] };
    return { args: ['run', ...common, ...(testFiles ?? info.positionals)] };
  },
  parse({ dir, cwd }) {
    return parseJestJson(join(dir, REPORT), cwd);
  },
};
