import { join } from 'node:path';
import { globLiteral } from './coverage-args.js';
import { parseJestJson } from './jest-json.js';
import type { CoverageContext, RunnerPlugin } from './types.js';

const REPORT = 'jest.json';

/**
 * Jest's own coverage (its configured provider, babel's Istanbul by default) as Istanbul JSON into
 * the run's folder, with the repository's thresholds off; `include` as `collectCoverageFrom`.
 */
function coverageArgs(coverage: CoverageContext | undefined): string[] {
  if (coverage === undefined) return [];
  return [
    '--coverage',
    '--coverageReporters=json',
    `--coverageDirectory=${coverage.dir}`,
    '--coverageThreshold={}',
    ...(coverage.include ?? []).map((file) => `--collectCoverageFrom=${globLiteral(file)}`),
  ];
}

/** Jest: `jest --json --outputFile`, with `--findRelatedTests <files>` for related tests. */
export const jest: RunnerPlugin = {
  name: 'jest',
  packageName: 'jest',
  supportsRelated: true,
  configFiles: /^jest\.config\.([cm]?[jt]s|json)$/,
  packageJsonKey: 'jest',
  coverage: 'istanbul',
  shuffle: true,
  args: {
    values: new Set([
      '--config',
      '-c',
      '--testPathPatterns',
      '--testPathPattern',
      '--testPathIgnorePatterns',
      '--testNamePattern',
      '-t',
      '--maxWorkers',
      '-w',
      '--selectProjects',
      '--ignoreProjects',
      '--rootDir',
      '--roots',
      '--testEnvironment',
      '--testEnvironmentOptions',
      '--testTimeout',
      '--shard',
      '--testMatch',
      '--testRegex',
      '--modulePathIgnorePatterns',
      '--moduleNameMapper',
      '--seed',
      '--maxConcurrency',
      '--reporters',
      '--outputFile',
      '--cacheDirectory',
      '--changedSince',
      '--coverageProvider',
      '--coverageReporters',
      '--coverageDirectory',
      '--collectCoverageFrom',
      '--testRunner',
      '--testSequencer',
      '--setupFiles',
      '--setupFilesAfterEnv',
      '--globalSetup',
      '--globalTeardown',
      '--preset',
      '--resolver',
      '--transform',
      '--transformIgnorePatterns',
      '--testFailureExitCode',
      '--workerIdleMemoryLimit',
      '--filter',
      '--openHandlesTimeout',
    ]),
    drop: new Set([
      '--watch',
      '--watchAll',
      '--json',
      '--outputFile',
      '--reporters',
      '--coverage',
      '--collectCoverage',
      '-u',
      '--updateSnapshot',
      '-o',
      '--onlyChanged',
      '--changedSince',
      '--lastCommit',
      '--findRelatedTests',
      '--listTests',
      '--passWithNoTests',
    ]),
  },
  invocation(info, { dir, related, testFiles, coverage, shuffle }) {
    const report = [
      '--json',
      `--outputFile=${join(dir, REPORT)}`,
      '--passWithNoTests',
      ...coverageArgs(coverage),
      ...(shuffle === true ? ['--randomize'] : []),
    ];
    if (related !== undefined) {
      return { args: [...info.options, ...report, '--findRelatedTests', ...related] };
    }
    if (testFiles !== undefined) {
      return { args: [...info.options, ...report, '--runTestsByPath', ...testFiles] };
    }
    return { args: [...info.options, ...report, ...info.positionals] };
  },
  parse({ dir, cwd }) {
    return parseJestJson(join(dir, REPORT), cwd);
  },
};
