import path from 'node:path';
import { Option, type Command } from 'commander';
import { checkRuleIds } from '../../analysis/index.js';
import { ConfigError } from '../../core/index.js';
import {
  formatDelivery,
  formatImproveReport,
  improveRepository,
  prepareDelivery,
  runDelivery,
  taskKind,
  taskKindNames,
  wantsDelivery,
  type DeliveryRequest,
  type ImproveEvent,
  type ImproveOptions,
  type RunSetup,
} from '../../pipeline/index.js';
import { defaultStorePath, openStore, type Store } from '../../store/index.js';
import { commaList, dbOption, EXIT, requireFolder, requireWritable, type CliIo } from '../io.js';

interface ImproveFlags {
  task: string;
  branch?: string;
  dryRun?: boolean;
  patch?: string;
  maxChanges?: string;
  group: 'change' | 'rule';
  allowUnvalidated?: boolean;
  includeTests?: boolean;
  json?: boolean;
  batchSize?: string;
  testTimeout?: string;
  node?: string;
  rule?: string[];
  model?: string[];
  budget?: string;
  quiet?: boolean;
  db?: string;
  store: boolean;
  apply?: boolean;
  push?: string;
  pr?: boolean;
  prBase?: string;
}

function budgetUsd(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new ConfigError(`--budget: expected an amount of US dollars, got "${value}"`);
  }
  return n;
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new ConfigError(`${flag}: expected a whole number of at least 1, got "${value}"`);
  }
  return n;
}

/** Flags as improvement options; numbers are checked here, once. */
export function improveOptions(flags: ImproveFlags, cwd: string): ImproveOptions {
  const maxChanges = positiveInteger('--max-changes', flags.maxChanges);
  const batchSize = positiveInteger('--batch-size', flags.batchSize);
  const timeout = positiveInteger('--test-timeout', flags.testTimeout);
  const options: ImproveOptions = {
    kind: flags.task,
    dryRun: flags.dryRun === true,
    group: flags.group,
    allowUnvalidated: flags.allowUnvalidated === true,
  };
  if (flags.branch !== undefined) options.branch = flags.branch;
  if (flags.patch !== undefined) options.patchFile = path.resolve(cwd, flags.patch);
  if (maxChanges !== undefined) options.maxChanges = maxChanges;
  if (batchSize !== undefined) options.batchSize = batchSize;
  if (timeout !== undefined) options.testTimeoutMs = timeout * 1000;
  if (flags.rule) options.rules = flags.rule;
  if (flags.includeTests === true) options.includeTests = true;
  if (flags.node !== undefined) options.node = path.resolve(cwd, flags.node);
  return options;
}

/** What to do with the delivered branch; a dry run keeps none, so it cannot be asked. */
function deliveryRequest(flags: ImproveFlags): DeliveryRequest {
  const request: DeliveryRequest = {};
  if (flags.apply === true) request.apply = true;
  if (flags.push !== undefined) request.push = flags.push;
  if (flags.pr === true) request.pr = true;
  if (flags.prBase !== undefined) request.prBase = flags.prBase;
  if (flags.dryRun === true && wantsDelivery(request)) {
    const asked = [
      ...(request.apply ? ['--apply'] : []),
      ...(request.push !== undefined ? ['--push'] : []),
      ...(request.pr ? ['--pr'] : []),
    ];
    throw new ConfigError(
      `${asked.join(', ')} cannot be used with --dry-run: a dry run keeps no branch`,
    );
  }
  return request;
}

function taskHelp(): string {
  const kinds = taskKindNames().map((name) => `${name}: ${taskKind(name).summary}`);
  return `the kind of task (${kinds.join('; ')})`;
}

function progressLine(event: ImproveEvent): string {
  if (event.type === 'phase') return `beast: ${event.message}\n`;
  const c = event.change;
  const where = `${c.finding.file}:${c.finding.location.line}`;
  return `beast: ${c.status.padEnd(8)} ${c.finding.ruleId} ${where}${c.gate ? ` (${c.gate})` : ''}\n`;
}

/** Where the run records and what the flags chose beyond the repository's config. */
function runSetup(
  root: string,
  flags: ImproveFlags,
  io: CliIo,
  where: { dbFile: string; store: Store | undefined; budget: number | undefined },
): RunSetup {
  const quiet = flags.quiet === true || flags.json === true;
  return {
    root,
    env: io.env,
    stateDir: path.dirname(path.resolve(io.cwd, where.dbFile)),
    ...(where.store ? { store: where.store } : {}),
    ...(flags.model ? { models: flags.model } : {}),
    ...(where.budget !== undefined ? { budgetUsd: where.budget } : {}),
    ...(quiet ? {} : { onEvent: (e: ImproveEvent) => io.stderr.write(progressLine(e)) }),
  };
}

export function registerImproveCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('improve')
    .description(
      'Fix findings on a new branch: propose changes, validate each (types, lint, tests, rescan), commit the accepted ones',
    )
    .argument('[path]', 'repository (or folder inside one) to improve', '.')
    .addOption(new Option('--task <kind>', taskHelp()).choices(taskKindNames()).default('fix'))
    .option('--branch <name>', 'branch to create (default beast/improve-<date>-<id>)')
    .option('--dry-run', 'validate and print the diff; keep no branch')
    .option('--patch <file>', 'also write the changes as a patch file')
    .option('--max-changes <n>', 'stop after this many accepted changes')
    .addOption(
      new Option('--group <how>', 'one commit per change or per rule')
        .choices(['change', 'rule'])
        .default('change'),
    )
    .option('--allow-unvalidated', 'apply changes even when the tests cannot run')
    .option('--rule <ids>', 'only fix findings of these rules (comma-separated)', commaList)
    .option('--include-tests', 'also fix findings in test, bench and fixture files')
    .option(
      '--model <ids>',
      'only use these models, in this order (e.g. builtin:codemods)',
      commaList,
    )
    .option('--budget <usd>', 'most this run may spend on LLM calls, in US dollars')
    .option('--batch-size <n>', 'changes validated together before bisecting (1: one by one)')
    .option('--test-timeout <seconds>', 'timeout of one test run (default 300)')
    .option(
      '--node <path>',
      "the Node binary to run the repository's tests and linters with (else BEAST_NODE, PATH, version managers)",
    )
    .option(
      '--apply',
      'then write the changes into the working tree (unstaged), if the touched files have no uncommitted changes',
    )
    .option('--push <remote>', 'then push the branch to this remote')
    .option('--pr', 'then open a GitHub pull request for the pushed branch (needs --push)')
    .option('--pr-base <branch>', "the pull request's base (default: the current branch)")
    .option('--json', 'print the report as JSON')
    .option('-q, --quiet', 'no progress output')
    .addOption(dbOption())
    .option('--no-store', 'do not record the run in the database')
    .action(async (target: string, flags: ImproveFlags) => {
      const root = await requireFolder(io, target);
      const options = improveOptions(flags, io.cwd);
      const budget = budgetUsd(flags.budget);
      checkRuleIds(flags.rule ?? [], '--rule');
      // Before any work: a patch that cannot be written would otherwise fail after delivery.
      if (flags.patch !== undefined) await requireWritable(io, '--patch', flags.patch);
      const request = deliveryRequest(flags);
      const plan = wantsDelivery(request)
        ? await prepareDelivery({ root, env: io.env }, request)
        : undefined;
      const dbFile = flags.db ?? defaultStorePath(io.env);
      const store = flags.store ? await openStore(dbFile) : undefined;
      try {
        const setup = runSetup(root, flags, io, { dbFile, store, budget });
        const report = await improveRepository(setup, options);
        await deliverAndPrint(io, { report, plan, json: flags.json === true });
        done(report.status === 'failed' ? EXIT.gateFailed : EXIT.ok);
      } finally {
        await store?.close();
      }
    });
}

/** Prints the report, and runs the delivery steps asked for after it. */
async function deliverAndPrint(
  io: CliIo,
  input: {
    report: Awaited<ReturnType<typeof improveRepository>>;
    plan: Awaited<ReturnType<typeof prepareDelivery>> | undefined;
    json: boolean;
  },
): Promise<void> {
  const { report, plan, json } = input;
  if (!json) io.stdout.write(formatImproveReport(report));
  try {
    if (plan) {
      report.delivery = {};
      await runDelivery(plan, report, report.delivery);
    }
  } finally {
    // Printed whatever a delivery step did: the report names the branch that holds the work.
    if (json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (report.delivery) io.stdout.write(formatDelivery(report.delivery));
  }
}
