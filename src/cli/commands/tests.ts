import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError, InputError } from '../../core/index.js';
import {
  formatTestGenReport,
  generateRepositoryTests,
  resolveTestGenOptions,
  type TestGenOptions,
} from '../../pipeline/index.js';
import { defaultStorePath, openStore } from '../../store/index.js';
import { commaList, dbOption, EXIT, type CliIo } from '../io.js';

interface TestsFlags {
  files?: string[];
  target?: string;
  model?: string[];
  maxFiles?: string;
  attempts?: string;
  dryRun?: boolean;
  branch?: string;
  json?: boolean;
  timeout?: string;
  scope?: string;
  quiet?: boolean;
  db?: string;
  store: boolean;
}

function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) {
    throw new ConfigError(`${flag}: expected a whole number of at least 1, got "${value}"`);
  }
  return n;
}

function coverageTarget(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new ConfigError(
      `--target: expected a line coverage between 0 and 1 (0.8), got "${value}"`,
    );
  }
  return n;
}

function testScope(value: string | undefined): 'suite' | 'related' | undefined {
  if (value === undefined || value === 'suite' || value === 'related') return value;
  throw new ConfigError(`--scope: expected suite or related, got "${value}"`);
}

/**
 * The files and folders to test, relative to `root`; each must exist, so a typo is one line and
 * exit 2 before any work.
 */
async function namedPaths(root: string, named: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of named) {
    const absolute = path.resolve(root, p);
    const relative = path.relative(root, absolute);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new InputError(`${p} is outside ${root}`);
    }
    const found = await stat(absolute).catch(() => undefined);
    if (!found) throw new InputError(`no such file or folder: ${p}`);
    out.push(relative.split(path.sep).join('/'));
  }
  return out;
}

/** Flags as options; numbers are checked here, once. */
export async function testsOptions(
  root: string,
  paths: readonly string[],
  flags: TestsFlags,
): Promise<TestGenOptions> {
  return resolveTestGenOptions({
    paths: await namedPaths(root, [...paths, ...(flags.files ?? [])]),
    target: coverageTarget(flags.target),
    models: flags.model ?? [],
    maxFiles: wholeNumber('--max-files', flags.maxFiles),
    attempts: wholeNumber('--attempts', flags.attempts),
    dryRun: flags.dryRun === true,
    branch: flags.branch,
    timeoutMs: wholeNumber('--timeout', flags.timeout),
    scope: testScope(flags.scope),
  });
}

export function registerTestsCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('tests')
    .description(
      'Generate tests for the least-covered files on a new branch: each kept test builds, passes reliably and raises coverage',
    )
    .argument('[paths...]', 'source files or folders to test (default: the least-covered files)')
    .option('--files <paths>', 'source files or folders to test (comma-separated)', commaList)
    .option('--target <ratio>', 'line coverage to aim for per file, 0 to 1 (default 0.8)')
    .option(
      '--model <ids>',
      'only use these models, in this order (default builtin:testgen, then configured LLMs)',
      commaList,
    )
    .option('--max-files <n>', 'most source files to work on (default 5)')
    .option(
      '--attempts <n>',
      "attempts per file for a model that repairs from the gate's errors (default 3)",
    )
    .option('--dry-run', 'gate the tests and print the files; keep no branch')
    .option('--branch <name>', 'branch to create (default beast/tests-<date>-<id>)')
    .option('--timeout <ms>', 'timeout of one test run, in milliseconds (default 300000)')
    .option(
      '--scope <scope>',
      'suite: the baseline and the gate run the whole suite (default); related: only the tests related to the named paths (vitest, jest), for a slow suite',
    )
    .option('--json', 'print the report as JSON')
    .option('-q, --quiet', 'no progress output')
    .addOption(dbOption())
    .option('--no-store', 'do not record the run in the database')
    .action(async (paths: string[], flags: TestsFlags) => {
      const root = io.cwd;
      const options = await testsOptions(root, paths, flags);
      const dbFile = path.resolve(io.cwd, flags.db ?? defaultStorePath(io.env));
      const store = flags.store ? await openStore(dbFile) : undefined;
      const quiet = flags.quiet === true || flags.json === true;
      try {
        const report = await generateRepositoryTests(root, options, {
          env: io.env,
          stateDir: path.dirname(dbFile),
          ...(store ? { store } : {}),
          ...(quiet ? {} : { onProgress: (line: string) => io.stderr.write(`beast: ${line}\n`) }),
        });
        io.stdout.write(
          flags.json === true
            ? `${JSON.stringify(report, null, 2)}\n`
            : formatTestGenReport(report, report.status === 'dry-run'),
        );
        // Nothing could be generated or checked at all: as a failed gate, so scripts notice.
        done(report.status === 'not-run' ? EXIT.gateFailed : EXIT.ok);
      } finally {
        await store?.close();
      }
    });
}
