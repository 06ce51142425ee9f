import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FILE_TITLE, RUN_TITLE, ReportBuilder } from './report.js';
import type { ParsedReport, RunnerPlugin, TestOutcome } from './types.js';

const REPORT = 'ava.tap';

/** `ok 3 - file › title`, `not ok 4 - file › title`, `ok 1 - file › title # SKIP`. */
const RESULT = /^(not ok|ok)\s+\d*\s*(?:-\s+)?(.*?)(?:\s+#\s+(SKIP|TODO)\b.*)?$/i;

/** AVA's entry for a test file whose process crashed (it did not load, say): not a test. */
const FILE_CRASH = /^(.+?) exited with a non-zero exit code: \d+$/;

/** AVA's entry for an uncaught error outside any test, titled by the error itself. */
const UNCAUGHT = /^[A-Z]\w*(Error|Exception)(: |$)/;

function outcomeOf(status: string, directive: string | undefined): TestOutcome {
  if (directive !== undefined) return 'skip';
  return status.toLowerCase() === 'ok' ? 'pass' : 'fail';
}

/** The indented lines from `start` on: the YAML block under a TAP result. */
function indentedBlock(lines: readonly string[], start: number): string[] {
  const block: string[] = [];
  for (let i = start; i < lines.length && /^\s/.test(lines[i] ?? ''); i++)
    block.push(lines[i] ?? '');
  return block;
}

/** AVA's separator between the file prefix and the title. */
const PREFIX_SEPARATOR = ' › ';

/**
 * The test's own title. AVA prefixes titles with the file (relative to the common folder of the
 * files that ran) only when several files run, so the same test would have another id in a run of
 * one file, or once a file in another folder joins: the title alone is the stable id (a title
 * repeated in several files gets ` #2` from the builder).
 */
function ownTitle(title: string): string {
  const at = title.lastIndexOf(PREFIX_SEPARATOR);
  return at === -1 ? title : title.slice(at + PREFIX_SEPARATOR.length);
}

/**
 * Reads AVA's TAP: one line per test, its id the test's own title without AVA's file prefix
 * (see `ownTitle`), and the YAML block under a failing test as its message.
 */
export async function parseAvaTap(path: string, cwd: string): Promise<ParsedReport | undefined> {
  const tap = await readFile(path, 'utf8').catch(() => undefined);
  if (tap === undefined || !/^TAP version/m.test(tap)) return undefined;
  const builder = await ReportBuilder.create(cwd);
  const lines = tap.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = RESULT.exec(lines[i] ?? '');
    if (!match) continue;
    const block = indentedBlock(lines, i + 1);
    i += block.length;
    const [, status = '', title = '', directive] = match;
    const outcome = outcomeOf(status, directive);
    const crashed = FILE_CRASH.exec(title);
    if (crashed) builder.add(crashed[1], [FILE_TITLE], 'fail', block.join('\n'));
    else if (status !== 'ok' && UNCAUGHT.test(title) && !title.includes(PREFIX_SEPARATOR)) {
      builder.add(undefined, [RUN_TITLE, title], 'fail', block.join('\n'));
    } else
      builder.add(undefined, [ownTitle(title.replace(/\\#/g, '#'))], outcome, block.join('\n'));
  }
  return builder.build();
}

/** AVA: the script's arguments plus `--tap`, stdout (the TAP) written to a file. */
export const ava: RunnerPlugin = {
  name: 'ava',
  packageName: 'ava',
  supportsRelated: false,
  configFiles: /^ava\.config\.[cm]?js$/,
  packageJsonKey: 'ava',
  coverage: 'node-v8',
  shuffle: false,
  args: {
    values: new Set([
      '--match',
      '-m',
      '--timeout',
      '-T',
      '--concurrency',
      '-c',
      '--config',
      '--node-arguments',
    ]),
    drop: new Set(['--watch', '-w', '--tap', '-t', '--update-snapshots', '-u']),
  },
  invocation(info, { dir, testFiles }) {
    const files = testFiles ?? info.positionals;
    return { args: [...info.options, '--tap', ...files], stdoutFile: join(dir, REPORT) };
  },
  parse({ dir, cwd }) {
    return parseAvaTap(join(dir, REPORT), cwd);
  },
};
