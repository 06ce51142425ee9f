import path from 'node:path';
import { Option, type Command } from 'commander';
import { checkRuleIds, formatReport, FORMATS, type Format } from '../../analysis/index.js';
import {
  ConfigError,
  GRADES,
  SEVERITIES,
  resolveConfig,
  writeFileAtomic,
  type ConfigFile,
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

export function registerScanCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('scan')
    .description('Measure a repository: metrics, findings, quality score and hotspots')
    .argument('[path]', 'repository or folder to scan', '.')
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
    .action(async (target: string, flags: ScanFlags) => {
      const root = await requireFolder(io, target);
      checkRuleIds(flags.enable ?? [], '--enable');
      checkRuleIds(flags.disable ?? [], '--disable');
      const { config } = await resolveConfig(root, io.env, flagsToConfig(flags));
      const useStore = flags.store || flags.cache;
      const store = useStore ? await openStore(flags.db ?? defaultStorePath(io.env)) : undefined;
      const progress = createProgress(io.stderr, !flags.quiet && flags.progress);
      try {
        const { report } = await runScan(root, {
          config,
          rules: { enable: flags.enable ?? [], disable: flags.disable ?? [] },
          since: flags.since,
          store,
          record: flags.store,
          useCache: flags.cache,
          onProgress: ({ done: n, total }) => progress.update(n, total),
        });
        progress.finish();
        const color =
          flags.output === undefined && Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined;
        const text = formatReport(report, flags.format, { color });
        if (flags.output !== undefined) {
          await writeFileAtomic(
            path.resolve(io.cwd, flags.output),
            text.endsWith('\n') ? text : `${text}\n`,
          );
          if (!flags.quiet) {
            io.stderr.write(
              `beast: ${report.score.grade} (${report.score.score}) — ${report.summary.findings} findings; report written to ${flags.output}\n`,
            );
          }
        } else {
          io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
        }
        done(report.gate.passed ? EXIT.ok : EXIT.gateFailed);
      } finally {
        progress.finish();
        await store?.close();
      }
    });
}
