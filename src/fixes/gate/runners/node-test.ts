import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expandGlobs } from '../globs.js';
import { FILE_TITLE, ReportBuilder, isRecord, text } from './report.js';
import type { ParsedReport, RunnerPlugin, TestOutcome } from './types.js';

const REPORT = 'node-test.jsonl';
const REPORTER = 'node-test-reporter.mjs';

/**
 * A node:test reporter (the documented async-generator form) that writes one JSON line per test
 * start, pass and fail, with the file each comes from, which the tap and junit reporters of
 * Node 20 do not say.
 */
const REPORTER_SOURCE = `export default async function* reporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:start' && event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data;
    const error = data.details && data.details.error;
    yield JSON.stringify({
      type: event.type,
      name: String(data.name),
      nesting: data.nesting,
      file: data.file ?? null,
      skip: Boolean(data.skip || data.todo),
      suite: Boolean(data.details && data.details.type === 'suite'),
      failureType: error ? String(error.failureType ?? '') : null,
      message: error ? String((error.cause && error.cause.message) ?? error.message ?? '') : '',
    }) + '\\n';
  }
}
`;

interface NodeTestEvent {
  type: string;
  name: string;
  nesting: number;
  file: string | undefined;
  skip: boolean;
  suite: boolean;
  failureType: string;
  message: string;
}

function parseLine(line: string): NodeTestEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  return {
    type: text(value.type),
    name: text(value.name),
    nesting: typeof value.nesting === 'number' ? value.nesting : 0,
    file: text(value.file) || undefined,
    skip: value.skip === true,
    suite: value.suite === true,
    failureType: text(value.failureType),
    message: text(value.message),
  };
}

function outcomeOf(event: NodeTestEvent): TestOutcome | undefined {
  if (event.skip) return 'skip';
  if (event.type === 'test:pass') return event.suite ? undefined : 'pass';
  // A suite fails because a test in it failed, which is recorded already, unless its own code did.
  return event.suite && event.failureType === 'subtestsFailed' ? undefined : 'fail';
}

/** Builds titles from the start events (in definition order), one stack of names per file. */
function addEvents(builder: ReportBuilder, events: NodeTestEvent[]): void {
  const stacks = new Map<string, string[]>();
  for (const event of events) {
    const stack = stacks.get(event.file ?? '') ?? [];
    stacks.set(event.file ?? '', stack);
    if (event.type === 'test:start') {
      stack.length = event.nesting;
      stack.push(event.name);
      continue;
    }
    const outcome = outcomeOf(event);
    if (outcome === undefined) continue;
    // A file that failed to load reports as a top-level test named by its path.
    const fileLevel = event.nesting === 0 && event.name === event.file;
    const titles = fileLevel ? [FILE_TITLE] : [...stack.slice(0, event.nesting), event.name];
    builder.add(event.file, titles, outcome, event.message);
  }
}

async function parseNodeTestEvents(path: string, cwd: string): Promise<ParsedReport | undefined> {
  const content = await readFile(path, 'utf8').catch(() => undefined);
  if (content === undefined) return undefined;
  const events = content
    .split('\n')
    .map(parseLine)
    .filter((e): e is NodeTestEvent => e !== undefined);
  const builder = await ReportBuilder.create(cwd);
  addEvents(builder, events);
  return builder.build();
}

/**
 * node:test: our own Node with the script's Node options, `--test`, a JSON-lines reporter to a file
 * and the spec reporter for people, and the script's file arguments, globs expanded.
 */
export const nodeTest: RunnerPlugin = {
  name: 'node:test',
  packageName: undefined,
  supportsRelated: false,
  configFiles: undefined,
  packageJsonKey: undefined,
  coverage: 'node-v8',
  shuffle: false,
  args: {
    values: new Set([
      '--import',
      '--require',
      '-r',
      '--loader',
      '--experimental-loader',
      '--conditions',
      '-C',
      '--env-file',
      '--input-type',
      '--inspect-port',
      '--title',
      '--disable-warning',
      '--test-reporter',
      '--test-reporter-destination',
      '--test-name-pattern',
      '--test-skip-pattern',
      '--test-concurrency',
      '--test-shard',
      '--test-timeout',
      '--test-coverage-include',
      '--test-coverage-exclude',
      '--watch-path',
    ]),
    drop: new Set([
      '--test',
      '--watch',
      '--watch-path',
      '--watch-preserve-output',
      '--test-reporter',
      '--test-reporter-destination',
      '--experimental-test-coverage',
      '--test-coverage-include',
      '--test-coverage-exclude',
      '--test-update-snapshots',
    ]),
  },
  async invocation(info, { cwd, dir, testFiles }) {
    const reporter = join(dir, REPORTER);
    await writeFile(reporter, REPORTER_SOURCE);
    const reporters = [
      // A file URL: Windows paths are not import specifiers.
      `--test-reporter=${pathToFileURL(reporter).href}`,
      `--test-reporter-destination=${join(dir, REPORT)}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
    ];
    return {
      args: ['--test', ...reporters, ...(testFiles ?? (await expandGlobs(cwd, info.positionals)))],
    };
  },
  parse({ dir, cwd }) {
    return parseNodeTestEvents(join(dir, REPORT), cwd);
  },
};
