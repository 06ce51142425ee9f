import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReportBuilder, isRecord, readJsonReport, records, text } from './report.js';
import type { ParsedReport, RunnerPlugin, TestOutcome } from './types.js';

const REPORT = 'mocha.json';
const FILES_CONFIG = 'mocharc-files.cjs';

/** Options naming where mocha reads its config; replaced by ours when running given files. */
const CONFIG_OPTIONS = new Set(['--config', '--package']);

/** The value of `--config x` or `--config=x` among the script's options. */
function optionValue(options: readonly string[], name: string): string | undefined {
  for (let i = 0; i < options.length; i++) {
    const option = options[i] ?? '';
    if (option === name) return options[i + 1];
    if (option.startsWith(`${name}=`)) return option.slice(name.length + 1);
  }
  return undefined;
}

/** The script's options without those naming a config (`--config x`, `--no-package`, ...). */
function withoutConfig(options: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const option = options[i] ?? '';
    const name = option.split('=')[0] ?? '';
    if (CONFIG_OPTIONS.has(option)) i++;
    else if (!CONFIG_OPTIONS.has(name) && option !== '--no-config' && option !== '--no-package')
      kept.push(option);
  }
  return kept;
}

/**
 * A config file that loads the repository's own (its `.mocharc.*` through mocha's loader, and
 * package.json's `mocha`) without `spec`: mocha adds a config's `spec` to the files given on the
 * command line, so running given files alone would run the whole suite with them.
 */
function filesConfig(cwd: string, options: readonly string[]): string {
  const config = optionValue(options, '--config');
  const noConfig = options.includes('--no-config') || config === 'false';
  const pkg = optionValue(options, '--package') ?? 'package.json';
  const noPackage = options.includes('--no-package') || pkg === 'false';
  return `'use strict';
// Written by BEAST MODE's test gate: the repository's mocha config without \`spec\`.
const path = require('node:path');
const cwd = ${JSON.stringify(cwd)};
const { findConfig, loadConfig } = require(require.resolve('mocha/lib/cli/config', { paths: [cwd] }));
const explicit = ${JSON.stringify(noConfig ? null : (config ?? null))};
const file = ${JSON.stringify(noConfig)} ? undefined : explicit ? path.resolve(cwd, explicit) : findConfig(cwd);
const rc = file ? loadConfig(file) : {};
let pkg = {};
if (!${JSON.stringify(noPackage)}) {
  try {
    pkg = require(path.resolve(cwd, ${JSON.stringify(pkg)})).mocha || {};
  } catch {}
}
const merged = { ...pkg };
for (const [key, value] of Object.entries(rc)) {
  merged[key] = Array.isArray(value) && Array.isArray(merged[key]) ? [...merged[key], ...value] : value;
}
delete merged.spec;
module.exports = merged;
`;
}

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
  async invocation(info, { cwd, dir, testFiles }) {
    const reporter = ['--reporter', 'json', '--reporter-option', `output=${join(dir, REPORT)}`];
    if (testFiles === undefined)
      return { args: [...info.options, ...reporter, ...info.positionals] };
    const config = join(dir, FILES_CONFIG);
    await writeFile(config, filesConfig(cwd, info.options));
    const options = withoutConfig(info.options);
    return { args: [...options, '--config', config, '--no-package', ...reporter, ...testFiles] };
  },
  async parse({ dir, cwd }, stdout) {
    const report = (await readJsonReport(join(dir, REPORT))) ?? parseStdout(stdout);
    return parseMochaJson(report, cwd);
  },
};
