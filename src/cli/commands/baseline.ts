import type { Command } from 'commander';
import {
  BASELINE_PATH,
  checkBaselinePath,
  createBaseline,
  loadBaselineFile,
  loadRepositoryBaseline,
  updateBaseline,
  writeBaselineFile,
  writeRepositoryBaseline,
  type LoadedBaseline,
} from '../../analysis/index.js';
import {
  ConfigError,
  InputError,
  resolveConfig,
  type ConfigFile,
  type Finding,
} from '../../core/index.js';
import { runScan } from '../../pipeline/index.js';
import { defaultStorePath, openStore } from '../../store/index.js';
import { createProgress } from '../progress.js';
import { dbOption, EXIT, requireFolder, requireWritable, type CliIo } from '../io.js';

interface BaselineFlags {
  update?: boolean;
  baseline?: string;
  quiet?: boolean;
  progress: boolean;
  db?: string;
  cache: boolean;
  workers?: string;
}

function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** Every finding of a whole scan of `root`, compared with no baseline. */
async function scanAll(io: CliIo, root: string, flags: BaselineFlags): Promise<Finding[]> {
  const file: ConfigFile = {};
  if (flags.workers !== undefined) {
    const n = Number(flags.workers);
    if (!Number.isInteger(n) || n < 0)
      throw new ConfigError(`--workers: expected a whole number, got "${flags.workers}"`);
    file.workers = n;
  }
  const { config } = await resolveConfig(root, io.env, file);
  const store = flags.cache ? await openStore(flags.db ?? defaultStorePath(io.env)) : undefined;
  const progress = createProgress(io.stderr, !flags.quiet && flags.progress);
  try {
    const { report } = await runScan(root, {
      config,
      store,
      record: false,
      useCache: flags.cache,
      baseline: false,
      onProgress: ({ done, total }) => progress.update(done, total),
    });
    return report.findings;
  } finally {
    progress.finish();
    await store?.close();
  }
}

/** The baseline `--update` starts from; there must be one. */
async function existingBaseline(
  io: CliIo,
  root: string,
  flags: BaselineFlags,
): Promise<LoadedBaseline> {
  if (flags.baseline !== undefined) return loadBaselineFile(io.cwd, flags.baseline);
  const loaded = await loadRepositoryBaseline(root);
  if (loaded === undefined)
    throw new InputError(
      `no baseline to update: ${BASELINE_PATH} does not exist (create it with \`beast baseline\`)`,
    );
  return loaded;
}

async function runBaseline(io: CliIo, target: string, flags: BaselineFlags): Promise<number> {
  const root = await requireFolder(io, target);
  const file = flags.baseline ?? BASELINE_PATH;
  // Read, or checked writable, before the scan: a broken or symlinked file fails at once.
  const previous = flags.update ? await existingBaseline(io, root, flags) : undefined;
  if (flags.baseline === undefined) await checkBaselinePath(root);
  else if (!flags.update) await requireWritable(io, '--baseline', flags.baseline);
  const findings = await scanAll(io, root, flags);
  const write = (baseline: ReturnType<typeof createBaseline>): Promise<void> =>
    flags.baseline === undefined
      ? writeRepositoryBaseline(root, baseline)
      : writeBaselineFile(io.cwd, flags.baseline, baseline);
  if (previous === undefined) {
    const baseline = createBaseline(findings);
    await write(baseline);
    io.stdout.write(
      `beast: wrote ${file}: ${plural(baseline.findings.length, 'finding')} (commit it: scans then report and gate on new findings only)\n`,
    );
    return EXIT.ok;
  }
  const { baseline, pruned, notAdded } = updateBaseline(previous.baseline, findings);
  await write(baseline);
  const left =
    notAdded > 0
      ? `; ${plural(notAdded, 'new finding')} not added (re-create it with \`beast baseline\` to accept them)`
      : '';
  io.stdout.write(
    `beast: updated ${file}: ${plural(baseline.findings.length, 'entry', 'entries')} written, ${pruned.length} pruned (fixed)${left}\n`,
  );
  return EXIT.ok;
}

export function registerBaselineCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('baseline')
    .description(
      `Accept today's findings: write ${BASELINE_PATH}, after which scans report and gate on new findings only`,
    )
    .argument('[path]', 'the repository to scan whole', '.')
    .option(
      '--update',
      'prune the entries no finding matches any more (fixed); new findings are never added',
    )
    .option('--baseline <file>', `write or update this file instead of ${BASELINE_PATH}`)
    .option('-q, --quiet', 'no progress output')
    .option('--no-progress', 'no progress bar')
    .addOption(dbOption())
    .option('--no-cache', 'ignore cached analyses and parse every file')
    .option('--workers <n>', 'worker threads (0: none)')
    .action(async (target: string, flags: BaselineFlags) => {
      done(await runBaseline(io, target, flags));
    });
}
