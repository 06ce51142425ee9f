import { join } from 'node:path';
import { ReportBuilder, isRecord, readJsonReport, records, text } from './report.js';
import type { ParsedReport, RunnerPlugin, TestOutcome } from './types.js';

const REPORT = 'mocha.json';

function parseStdout(stdout: string): unknown {
  try {
    return JSON.parse(stdout) as unknown;
  } catch {
    return undefined;
  }
}

function errorMessage(test: Record<string, unknown>): string {
  const err = test.err;
  if (!isRecord(err)) return '';
  return text(err.stack) || text(err.message);
}

/** Mocha's json report: `passes`, `failures` (hooks included) and `pending`, each with `file`. */
async function parseMochaJson(report: unknown, cwd: string): Promise<ParsedReport | undefined> {
  if (!isRecord(report) || !Array.isArray(report.failures)) return undefined;
  const builder = await ReportBuilder.create(cwd);
  const groups: [unknown, TestOutcome][] = [
    [report.passes, 'pass'],
    [report.failures, 'fail'],
    [report.pending, 'skip'],
  ];
  for (const [tests, outcome] of groups) {
    for (const test of records(tests)) {
      const file = text(test.file) || undefined;
      builder.add(file, [text(test.fullTitle)], outcome, errorMessage(test));
    }
  }
  return builder.build();
}

/**
 * Mocha: the script's arguments plus `--reporter json --reporter-option output=<file>`. Mocha
 * before 9.2 ignores `output` and prints the report on stdout, which is read instead.
 */
export const mocha: RunnerPlugin = {
  name: 'mocha',
  packageName: 'mocha',
  supportsRelated: false,
  configFiles: /^\.mocharc\.(c?js|ya?ml|jsonc?)$/,
  packageJsonKey: 'mocha',
  coverage: 'node-v8',
  shuffle: false,
  args: {
    values: new Set([
      '--reporter',
      '-R',
      '--reporter-option',
      '--reporter-options',
      '-O',
      '--require',
      '-r',
      '--import',
      '--ui',
      '-u',
      '--timeout',
      '-t',
      '--slow',
      '-s',
      '--grep',
      '-g',
      '--fgrep',
      '-f',
      '--config',
      '--package',
      '--extension',
      '--ignore',
      '--exclude',
      '--spec',
      '--file',
      '--jobs',
      '-j',
      '--retries',
      '--watch-files',
      '--watch-ignore',
      '--node-option',
      '-n',
    ]),
    drop: new Set([
      '--reporter',
      '-R',
      '--reporter-option',
      '--reporter-options',
      '-O',
      '--watch',
      '-w',
      '--watch-files',
      '--watch-ignore',
    ]),
  },
  invocation(info, { dir, testFiles }) {
    const reporter = ['--reporter', 'json', '--reporter-option', `output=${join(dir, REPORT)}`];
    return { args: [...info.options, ...reporter, ...(testFiles ?? info.positionals)] };
  },
  async parse({ dir, cwd }, stdout) {
    const report = (await readJsonReport(join(dir, REPORT))) ?? parseStdout(stdout);
    return parseMochaJson(report, cwd);
  },
};
