import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import {
  checkRuleIds,
  formatReport,
  FORMATS,
  loadBaselineFile,
  resolveTargets,
  type Format,
} from '../../analysis/index.js';
import {
  ConfigError,
  GRADES,
  InputError,
  SEVERITIES,
  resolveConfig,
  writeFileAtomic,
  type ConfigFile,
  type ScanReport,
} from '../../core/index.js';
import { runScan } from '../../pipeline/index.js';
import { defaultStorePath, openStore } from '../../store/index.js';
import { createProgress } from '../progress.js';
import { commaList, dbOption, EXIT, requireFolder, type CliIo } from '../io.js';

interface ScanFlags {
  format: Format;
  output?: string;
  since?: string;
  failOn?: string;
  minScore?: string;
  enable?: string[];
  disable?: string[];
  quiet?: boolean;
  progress: boolean;
  db?: string;
  store: boolean;
  cache: boolean;
  workers?: string;
  includeVendored?: boolean;
  stdin?: boolean;
  stdinFilename?: string;
  changed?: boolean;
  /** A file (`--baseline FILE`), false (`--no-baseline`), or undefined for the repository's own. */
  baseline?: string | false;
}

/** Flags as a partial config file, so they take precedence through the one resolver. */
export function flagsToConfig(flags: ScanFlags): ConfigFile {
  const out: ConfigFile = {};
  const gate: NonNullable<ConfigFile['gate']> = {};
  if (flags.failOn !== undefined)
    gate.failOn = flags.failOn as NonNullable<ConfigFile['gate']>['failOn'];
  if (flags.minScore !== undefined) {
    const n = Number(flags.minScore);
    if (!Number.isFinite(n))
      throw new ConfigError(`--min-score: expected a number, got "${flags.minScore}"`);
    gate.minScore = n;
  }
  if (Object.keys(gate).length > 0) {
    if (flags.since !== undefined) out.newCodeGate = gate;
    else out.gate = gate;
  }
  if (flags.includeVendored) out.includeVendored = true;
  if (flags.workers !== undefined) {
    const n = Number(flags.workers);
    if (!Number.isInteger(n) || n < 0)
      throw new ConfigError(`--workers: expected a whole number, got "${flags.workers}"`);
    out.workers = n;
  }
  return out;
}

type Selection = Awaited<ReturnType<typeof resolveTargets>>['selection'];

/** `--stdin` and `--stdin-filename` go together, and with nothing else naming files. */
function checkStdinFlags(paths: readonly string[], flags: ScanFlags): void {
  if (flags.stdinFilename !== undefined && !flags.stdin)
    throw new InputError('--stdin-filename needs --stdin');
  if (!flags.stdin) return;
  if (flags.stdinFilename === undefined)
    throw new InputError(
      '--stdin needs --stdin-filename <path>: the file the source is analysed as',
    );
  if (paths.length > 0 || flags.changed)
    throw new InputError('--stdin takes no paths and no --changed');
}

/** The one folder to scan whole, when the arguments name one folder (or none) and nothing else. */
async function wholeFolder(
  io: CliIo,
  paths: readonly string[],
  flags: ScanFlags,
): Promise<string | undefined> {
  if (flags.stdin || flags.changed || paths.length > 1) return undefined;
  const single = paths[0] ?? '.';
  const info = await stat(path.resolve(io.cwd, single)).catch(() => undefined);
  return info?.isDirectory() ? requireFolder(io, single) : undefined;
}

/**
 * What to scan: one folder whole (the default, recorded as the repository's latest scan), or a
 * selection of a repository's files (files, several paths, globs, `--changed`, `--stdin`).
 */
async function resolveScope(
  io: CliIo,
  paths: readonly string[],
  flags: ScanFlags,
): Promise<{ root: string; select?: Selection }> {
  checkStdinFlags(paths, flags);
  const folder = await wholeFolder(io, paths, flags);
  if (folder !== undefined) return { root: folder };
  const { stdinFilename } = flags;
  const stdin =
    stdinFilename === undefined
      ? undefined
      : { path: stdinFilename, source: await readAll(io.stdin ?? process.stdin) };
  const { root, selection } = await resolveTargets({
    cwd: io.cwd,
    paths,
    changed: flags.changed,
    stdin,
  });
  return { root, select: selection };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** A file named on the command line and skipped is said so, as ESLint warns of an ignored file. */
function warnNamedSkips(io: CliIo, report: ScanReport): void {
  const named = new Set(report.selection?.named ?? []);
  for (const s of report.skipped) {
    if (named.has(s.path))
      io.stderr.write(`beast: warning: ${s.path} skipped (${s.reason}): ${s.detail}\n`);
  }
}

/** Scans, writes the report where asked, and returns the exit code. */
async function scanAndReport(
  io: CliIo,
  flags: ScanFlags,
  root: string,
  select: Selection | undefined,
): Promise<number> {
  const { config } = await resolveConfig(root, io.env, flagsToConfig(flags));
  const useStore = flags.store || flags.cache;
  const store = useStore ? await openStore(flags.db ?? defaultStorePath(io.env)) : undefined;
  const baseline =
    typeof flags.baseline === 'string'
      ? await loadBaselineFile(io.cwd, flags.baseline)
      : flags.baseline;
  const progress = createProgress(io.stderr, !flags.quiet && flags.progress);
  try {
    const { report } = await runScan(root, {
      baseline,
      config,
      rules: { enable: flags.enable ?? [], disable: flags.disable ?? [] },
      since: flags.since,
      store,
      record: flags.store,
      select,
      useCache: flags.cache,
      onProgress: ({ done: n, total }) => progress.update(n, total),
    });
    progress.finish();
    warnNamedSkips(io, report);
    await writeReport(io, flags, report);
    return report.gate.passed ? EXIT.ok : EXIT.gateFailed;
  } finally {
    progress.finish();
    await store?.close();
  }
}

async function writeReport(io: CliIo, flags: ScanFlags, report: ScanReport): Promise<void> {
  const color =
    flags.output === undefined && Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined;
  const text = formatReport(report, flags.format, { color });
  const line = text.endsWith('\n') ? text : `${text}\n`;
  if (flags.output === undefined) {
    io.stdout.write(line);
    return;
  }
  await writeFileAtomic(path.resolve(io.cwd, flags.output), line);
  if (!flags.quiet) {
    io.stderr.write(
      `beast: ${report.score.grade} (${report.score.score}) — ${report.summary.findings} findings; report written to ${flags.output}\n`,
    );
  }
}

export function registerScanCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('scan')
    .description('Measure a repository: metrics, findings, quality score and hotspots')
    .argument(
      '[paths...]',
      'a folder to scan whole (default: .), or files, folders and globs to report on',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--since <ref>', 'new-code mode: only findings on lines changed since this git ref')
    .addOption(
      new Option(
        '--fail-on <threshold>',
        'exit 1 when the grade is worse or a finding is at least this severe',
      ).choices([...GRADES, ...SEVERITIES, 'none']),
    )
    .option('--min-score <n>', 'exit 1 when the score is below n')
    .option('--enable <rules>', 'switch rules on (comma-separated ids)', commaList)
    .option('--disable <rules>', 'switch rules off (comma-separated ids)', commaList)
    .option('-q, --quiet', 'no progress output')
    .option('--no-progress', 'no progress bar')
    .addOption(dbOption())
    .option('--no-store', 'do not record the scan in the database')
    .option('--no-cache', 'ignore cached analyses and parse every file')
    .option('--workers <n>', 'worker threads (0: none)')
    .option(
      '--include-vendored',
      'scan vendored, bundled and minified files too (improve never edits them)',
    )
    .option('--changed', 'report on files changed from HEAD: staged, unstaged and untracked')
    .option('--stdin', 'analyse source read from stdin (needs --stdin-filename)')
    .option('--stdin-filename <path>', 'the file the source from stdin is analysed as')
    .option(
      '--baseline <file>',
      'compare with this baseline file (default: .beast/baseline.json when there is one)',
    )
    .option('--no-baseline', 'report and gate on every finding, ignoring any baseline')
    .action(async (paths: string[], flags: ScanFlags) => {
      checkRuleIds(flags.enable ?? [], '--enable');
      checkRuleIds(flags.disable ?? [], '--disable');
      const { root, select } = await resolveScope(io, paths, flags);
      if (select?.changed?.length === 0) {
        io.stderr.write('beast: no changed files\n');
        done(EXIT.ok);
        return;
      }
      done(await scanAndReport(io, flags, root, select));
    });
}
