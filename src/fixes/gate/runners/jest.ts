import { join } from 'node:path';
import { parseJestJson } from './jest-json.js';
import type { RunnerPlugin } from './types.js';

const REPORT = 'jest.json';

/** Jest: `jest --json --outputFile`, with `--findRelatedTests <files>` for related tests. */
export const jest: RunnerPlugin = {
  name: 'jest',
  packageName: 'jest',
  supportsRelated: true,
  configFiles: /^jest\.config\.([cm]?[jt]s|json)$/,
  packageJsonKey: 'jest',
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
  invocation(info, { dir, related, testFiles }) {
    const report = ['--json', `--outputFile=${join(dir, REPORT)}`, '--passWithNoTests'];
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
