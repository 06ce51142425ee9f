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

/**
 * Reads AVA's TAP: one line per test, titled `file prefix › title` (AVA's own naming, which is
 * the test id as is), and the YAML block under a failing test as its message.
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
    else if (status !== 'ok' && UNCAUGHT.test(title) && !title.includes(' › ')) {
      builder.add(undefined, [RUN_TITLE, title], 'fail', block.join('\n'));
    } else builder.add(undefined, [title.replace(/\\#/g, '#')], outcome, block.join('\n'));
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
