// npm run eval:repos [-- --only name[,name]] [--task fix|refactor] [--root DIR] [--timeout MIN]
//   [--no-build] [--fresh] [--table-only] [--write] [path ...]
// --task runs that task kind (`beast improve --task`); each kind has its own stored results and its
// own table in docs/benchmarks.md.
// Runs `beast improve --json` on local clones of real open-source repositories (bench/repos.json, or
// paths given as arguments) and prints, per repository: which checks the gate detected and ran (and
// why the others did not), proposed/accepted/rejected/withheld, then re-runs the repository's own
// test, type-check and lint commands on the result branch and on the base commit and counts
// regressions (passed on the base, failed on the result). --write records the table in
// docs/benchmarks.md.
//
// Each repository is cloned into <root>/.eval-work first (its node_modules folders symlinked, its
// other ignored build output copied), so the checkouts under the root are never touched. The root
// defaults to bench/repos.json's `root`, overridden by REPOS_DIR or --root. Base-commit results are
// cached under <root>/.eval-cache (--fresh ignores the cache); each repository's result is stored
// there too, so --table-only can print the table of runs made one --only at a time.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  appendFile,
  cp,
  lstat,
  mkdir,
  readdir,
  realpath,
  mkdtemp,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordSection } from './record.js';
import { flagValue, loadRepos, type RepoEntry } from './repos.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

interface CheckAvailability {
  name: string;
  ran: boolean;
  detail: string;
}

interface ImproveJson {
  status: string;
  branch: string | undefined;
  base: string;
  changes: { status: string; gate?: string; reason?: string }[];
  outcomes: Record<'accepted' | 'rejected' | 'withheld', number[]>;
  checks: CheckAvailability[];
  formatter: string;
  warnings: string[];
  timings: { totalMs: number; baselineMs: number };
}

interface CommandResult {
  name: string;
  command: string;
  ok: boolean;
  ms: number;
  tail: string;
}

interface RepoResult {
  entry: RepoEntry;
  /** The beast commit and date of this result. */
  beast?: string;
  date?: string;
  error?: string;
  report?: ImproveJson;
  base: CommandResult[];
  after: CommandResult[];
  regressions: string[];
  treeUnchanged: boolean | undefined;
  ms: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const beastRoot = path.resolve(here, '..');

const args = process.argv.slice(2);
const write = args.includes('--write');
const fresh = args.includes('--fresh');
/** Print (and with --write record) the table from the stored results of earlier runs. */
const tableOnly = args.includes('--table-only');
const timeoutMin = Number(flagValue(args, '--timeout') ?? 25);
const commandTimeoutMin = Number(flagValue(args, '--command-timeout') ?? 10);
const maxChanges = flagValue(args, '--max-changes');
const models = flagValue(args, '--model');
const task = flagValue(args, '--task') ?? 'fix';
/** Stored results and the docs section of a kind other than fix carry its name. */
const taskSuffix = task === 'fix' ? '' : `-${task}`;
const valued = new Set(['--timeout', '--command-timeout', '--max-changes', '--model', '--task']);
const { config, root, selected } = await loadRepos(args, valued);

/** Process groups of the commands running now, ended with this script. */
const running = new Set<number>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    process.exit(130);
  });
}

/** Runs a shell command in its own process group; on timeout the whole group is killed. */
function sh(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  argv?: string[],
): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = argv
      ? spawn(argv[0]!, argv.slice(1), { cwd, env, detached: true })
      : spawn('bash', ['-c', command], { cwd, env, detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    if (child.pid) running.add(child.pid);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.on('error', (error) => {
      stderr += String(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (child.pid) running.delete(child.pid);
      resolve({ code, stdout, stderr, ms: performance.now() - started, timedOut });
    });
  });
}

function git(cwd: string, gitArgs: string[]): Promise<Run> {
  return sh('', cwd, process.env, 120_000, ['git', ...gitArgs]);
}

/** PATH with the repository's Node first (when the config has it) and the package managers last. */
function repoEnv(entry: RepoEntry): NodeJS.ProcessEnv {
  const dirs: string[] = [];
  const major = entry.node?.uses;
  const nodeDir = major ? config.nodes?.[major] : undefined;
  if (nodeDir) dirs.push(path.resolve(root, nodeDir));
  const tools = (config.tools ?? []).map((t) => path.resolve(root, t));
  const PATH = [...dirs, process.env.PATH ?? '', ...tools].join(path.delimiter);
  return { ...process.env, ...config.env, PATH, CI: 'true', FORCE_COLOR: '0' };
}

/** What beast runs with: the machine's Node for itself; BEAST_NODE names the repository's Node when it needs another. */
function beastEnv(entry: RepoEntry): NodeJS.ProcessEnv {
  const env = repoEnv(entry);
  const PATH = [
    path.dirname(process.execPath),
    process.env.PATH ?? '',
    ...(config.tools ?? []).map((t) => path.resolve(root, t)),
  ].join(path.delimiter);
  const major = entry.node?.uses;
  const nodeDir = major ? config.nodes?.[major] : undefined;
  const needsOther = major !== undefined && !process.version.startsWith(`v${major}.`);
  return {
    ...env,
    PATH,
    ...(nodeDir && needsOther
      ? { BEAST_NODE: path.join(path.resolve(root, nodeDir), 'node') }
      : {}),
  };
}

const CACHE_FOLDERS = new Set(['.cache', '.vite', '.vite-temp']);

/**
 * A node_modules folder whose entries are symlinks to `from`'s, except links to the repository's
 * own workspace packages, which point to the same package in `target`: a monorepo's packages then
 * import each other's code from the result branch, not from the original checkout.
 */
async function mirrorNodeModules(
  from: string,
  to: string,
  source: string,
  target: string,
): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from)) {
    // Runners' cache folders stay the clone's own, as in a real install (beast mounts them writable).
    if (CACHE_FOLDERS.has(name)) continue;
    const entry = path.join(from, name);
    if (name.startsWith('@') && (await lstat(entry)).isDirectory()) {
      await mirrorNodeModules(entry, path.join(to, name), source, target);
      continue;
    }
    let link = entry;
    if ((await lstat(entry)).isSymbolicLink()) {
      const real = await realpath(entry).catch(() => entry);
      const rel = path.relative(source, real);
      const inside = !rel.startsWith('..') && !path.isAbsolute(rel);
      if (inside && !rel.split(path.sep).includes('node_modules')) link = path.join(target, rel);
    }
    await symlink(link, path.join(to, name));
  }
}

/**
 * Gives `target` (a clone or worktree of `source`) the installed state of `source`: every ignored
 * node_modules folder symlinked, other ignored output (build folders, generated links) copied.
 */
async function shareInstall(source: string, target: string): Promise<void> {
  const listed = await git(source, [
    'ls-files',
    '--others',
    '--ignored',
    '--exclude-standard',
    '--directory',
  ]);
  const entries = listed.stdout
    .split('\n')
    .map((l) => l.replace(/\/$/, ''))
    .filter((l) => l !== '' && !/(^|\/)(coverage|\.eval-cache|\.eval-work)$/.test(l));
  const excluded: string[] = [];
  for (const rel of entries) {
    const from = path.join(source, rel);
    const to = path.join(target, rel);
    if (existsSync(to)) continue;
    await mkdir(path.dirname(to), { recursive: true });
    // A symlink is not the folder `.gitignore` names (`node_modules/`): git would list it as new.
    excluded.push(`/${rel}`);
    if (path.basename(rel) === 'node_modules') await mirrorNodeModules(from, to, source, target);
    else if (!rel.split('/').includes('node_modules'))
      await cp(from, to, { recursive: true, verbatimSymlinks: true });
  }
  const gitDir = (await git(target, ['rev-parse', '--git-common-dir'])).stdout.trim();
  const exclude = path.resolve(target, gitDir, 'info', 'exclude');
  await mkdir(path.dirname(exclude), { recursive: true });
  await appendFile(exclude, excluded.map((e) => `${e}\n`).join(''));
}

function commandsOf(entry: RepoEntry): { name: string; command: string }[] {
  const c = entry.commands;
  const lint = c.lint === undefined ? [] : Array.isArray(c.lint) ? c.lint : [c.lint];
  return [
    ...(c.test ? [{ name: 'test', command: c.test }] : []),
    ...(c.typecheck ? [{ name: 'typecheck', command: c.typecheck }] : []),
    ...lint.map((command, i) => ({ name: lint.length > 1 ? `lint ${i + 1}` : 'lint', command })),
  ];
}

function tail(run: Run, lines = 12): string {
  const text = `${run.stdout}\n${run.stderr}`
    .trim()
    .split('\n')
    .filter((l) => !/^npm warn/i.test(l));
  return text
    .slice(-lines)
    .map((l) => l.slice(0, 200))
    .join('\n');
}

async function runCommands(entry: RepoEntry, dir: string): Promise<CommandResult[]> {
  const results: CommandResult[] = [];
  for (const { name, command } of commandsOf(entry)) {
    const run = await sh(command, dir, repoEnv(entry), commandTimeoutMin * 60_000);
    results.push({
      name,
      command,
      ok: run.code === 0 && !run.timedOut,
      ms: run.ms,
      tail: run.timedOut ? `timed out after ${commandTimeoutMin} min` : tail(run),
    });
    console.log(
      `  ${name.padEnd(10)} ${run.code === 0 ? 'ok  ' : 'FAIL'} ${(run.ms / 1000).toFixed(0)}s  ${command}`,
    );
  }
  return results;
}

/** The commands' results on the base commit, cached per commit and command list. */
async function baseResults(
  entry: RepoEntry,
  source: string,
  clone: string,
  commit: string,
): Promise<CommandResult[]> {
  const key = createHash('sha256')
    .update(JSON.stringify([commit, commandsOf(entry), entry.node?.uses]))
    .digest('hex')
    .slice(0, 16);
  const cacheFile = path.join(root, '.eval-cache', `${entry.name}-${key}.json`);
  if (!fresh && existsSync(cacheFile)) {
    console.log(`  base commit: cached results (${path.relative(root, cacheFile)})`);
    return JSON.parse(await readFile(cacheFile, 'utf8')) as CommandResult[];
  }
  const dir = path.join(path.dirname(clone), 'base');
  await git(clone, ['worktree', 'add', '--quiet', '--detach', dir, commit]);
  await shareInstall(source, dir);
  console.log('  base commit:');
  const results = await runCommands(entry, dir);
  await git(clone, ['worktree', 'remove', '--force', dir]);
  await mkdir(path.dirname(cacheFile), { recursive: true });
  await writeFile(cacheFile, JSON.stringify(results, null, 2));
  return results;
}

async function evaluate(entry: RepoEntry, source: string): Promise<RepoResult> {
  const started = performance.now();
  const result: RepoResult = {
    entry,
    base: [],
    after: [],
    regressions: [],
    treeUnchanged: undefined,
    ms: 0,
  };
  // Not under the system's temporary folder: beast's test sandbox mounts a fresh one over it.
  const workRoot = path.join(root, '.eval-work');
  await mkdir(workRoot, { recursive: true });
  const work = await mkdtemp(path.join(workRoot, `${entry.name}-`));
  try {
    if (!existsSync(path.join(source, '.git'))) throw new Error(`${source} is not a git checkout`);
    const head = (await git(source, ['rev-parse', 'HEAD'])).stdout.trim();
    if (entry.commit && head !== entry.commit)
      console.log(
        `  note: ${source} is at ${head.slice(0, 10)}, repos.json pins ${entry.commit.slice(0, 10)}`,
      );
    const clone = path.join(work, entry.name);
    const cloned = await git(work, [
      'clone',
      '--quiet',
      '--local',
      '--no-hardlinks',
      source,
      clone,
    ]);
    if (cloned.code !== 0) throw new Error(`git clone failed: ${tail(cloned, 2)}`);
    await shareInstall(source, clone);
    const statusBefore = (await git(clone, ['status', '--porcelain'])).stdout;

    const db = path.join(work, 'state', 'beast.db');
    await mkdir(path.dirname(db), { recursive: true });
    const beastArgs = [
      path.join(beastRoot, 'bin', 'beast.js'),
      'improve',
      clone,
      '--json',
      '--db',
      db,
      ...(maxChanges ? ['--max-changes', maxChanges] : []),
      ...(models ? ['--model', models] : []),
      '--task',
      task,
    ];
    console.log(`  beast improve (limit ${timeoutMin} min)...`);
    const run = await sh('', clone, beastEnv(entry), timeoutMin * 60_000, [
      process.execPath,
      ...beastArgs,
    ]);
    const statusAfter = (await git(clone, ['status', '--porcelain'])).stdout;
    const headAfter = (await git(clone, ['rev-parse', 'HEAD'])).stdout.trim();
    result.treeUnchanged = statusAfter === statusBefore && headAfter === head;
    try {
      result.report = JSON.parse(run.stdout) as ImproveJson;
    } catch {
      throw new Error(
        run.timedOut
          ? `beast improve did not finish in ${timeoutMin} min`
          : `beast improve exited ${run.code} without a report: ${tail(run, 3)}`,
      );
    }
    const r = result.report;
    console.log(
      `  ${r.status}: ${r.changes.length} proposed, ${r.outcomes.accepted.length} accepted, ${r.outcomes.rejected.length} rejected, ${r.outcomes.withheld.length} withheld (${(run.ms / 1000).toFixed(0)}s)`,
    );
    for (const c of r.checks)
      console.log(`  check ${c.name}: ${c.ran ? 'ran' : 'NOT RUN'}: ${c.detail}`);

    result.base = await baseResults(entry, source, clone, head);
    if (r.branch && r.outcomes.accepted.length > 0) {
      const dir = path.join(work, 'after');
      await git(clone, ['worktree', 'add', '--quiet', '--detach', dir, r.branch]);
      await shareInstall(source, dir);
      console.log(`  result branch ${r.branch}:`);
      result.after = await runCommands(entry, dir);
      result.regressions = result.after
        .filter((a) =>
          isRegression(
            a,
            result.base.find((b) => b.name === a.name),
          ),
        )
        .map((a) => a.name);
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    console.log(`  error: ${result.error}`);
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
    result.ms = performance.now() - started;
  }
  return result;
}

/**
 * The failures a command's closing lines count (failed tests, lint or type errors), from the usual
 * summaries of node:test, vitest, jest, ava, mocha, ESLint, xo, Biome, oxlint and tsc.
 */
function failureCount(output: string): number | undefined {
  const tail = plain(output);
  const patterns = [
    /^# fail (\d+)/m,
    /ℹ fail (\d+)/,
    /Tests:?\s+(\d+) failed/,
    /(\d+) tests? failed/,
    /(\d+) failing/,
    /\((\d+) errors?,/,
    /^\s*(\d+) errors?$/m,
    /Found (\d+) errors?/,
    /Found \d+ warnings? and (\d+) errors?/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(tail);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** Passed on the base and failed on the result, or failed on both with more failures on the result. */
function isRegression(after: CommandResult, base: CommandResult | undefined): boolean {
  if (after.ok || base === undefined) return false;
  if (base.ok) return true;
  const [was, now] = [failureCount(base.tail), failureCount(after.tail)];
  return was !== undefined && now !== undefined && now > was;
}

function plain(text: string): string {
  // eslint-disable-next-line no-control-regex -- terminal colour codes
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** The lines of a failure worth quoting: errors and failures, not the package manager's boilerplate. */
function gist(tail: string): string {
  const lines = plain(tail)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(info Visit|error Command failed|npm error|ELIFECYCLE)/.test(l));
  const telling = lines.filter((l) => /error|fail|✖|✘|\[warn\]|problems?/i.test(l));
  return (telling.length ? telling : lines).slice(-3).join(' / ');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function checksCell(report: ImproveJson | undefined, ran: boolean): string {
  if (!report) return '-';
  const names = report.checks.filter((c) => c.ran === ran).map((c) => c.name);
  return names.length ? names.join(', ') : 'none';
}

function rerunCell(r: RepoResult): string {
  if (r.after.length === 0) return 'nothing delivered';
  return r.after
    .map((a) => {
      const base = r.base.find((b) => b.name === a.name);
      if (a.ok) return `${a.name} ok`;
      const counts = [base, a].map((x) => (x ? failureCount(x.tail) : undefined));
      const change =
        base && !base.ok && counts[0] !== undefined && counts[1] !== undefined
          ? ` (${counts[0]} -> ${counts[1]} failures)`
          : base && !base.ok
            ? ' (fails on base too)'
            : '';
      return `${a.name} ${isRegression(a, base) ? '**FAIL**' : 'fail'}${change}`;
    })
    .join(', ');
}

function baseCell(r: RepoResult): string {
  if (r.base.length === 0) return '-';
  return r.base.map((b) => `${b.name} ${b.ok ? 'ok' : 'fail'}`).join(', ');
}

function table(results: RepoResult[]): string {
  const rows = results.map((r) => {
    const e = r.entry;
    const stack = [e.packageManager, ...(e.runners ?? []), ...(e.linters ?? [])]
      .filter(Boolean)
      .join(' · ');
    const rep = r.report;
    const counts = rep
      ? `${rep.changes.length} | ${rep.outcomes.accepted.length} | ${rep.outcomes.rejected.length} | ${rep.outcomes.withheld.length}`
      : `- | - | - | -`;
    const status = r.error ? `error: ${r.error}` : (rep?.status ?? '-');
    return `| ${e.name} | ${cell(stack)} | ${cell(e.node?.engines ?? 'any')} | ${checksCell(rep, true)} | ${checksCell(rep, false)} | ${counts} | ${cell(status)} | ${baseCell(r)} | ${rerunCell(r)} | ${r.regressions.length} | ${r.treeUnchanged === undefined ? '-' : r.treeUnchanged ? 'yes' : '**no**'} | ${(r.ms / 1000).toFixed(0)} |`;
  });
  return [
    '| repository | stack | Node | gate ran | gate did not run | proposed | accepted | rejected | withheld | status | own commands on base | own commands on result | regressions | tree unchanged | time (s) |',
    '| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | --- | ---: |',
    ...rows,
  ].join('\n');
}

function reasons(results: RepoResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const missing = r.report?.checks.filter((c) => !c.ran) ?? [];
    const ran = r.report?.checks.filter((c) => c.ran) ?? [];
    lines.push(
      `- **${r.entry.name}**${r.report ? ` (formatter: ${cell(r.report.formatter)})` : ''}`,
    );
    if (r.error) lines.push(`  - error: ${cell(r.error)}`);
    for (const c of ran) lines.push(`  - ${c.name} ran: ${cell(c.detail)}`);
    for (const c of missing) lines.push(`  - ${c.name} did not run: ${cell(c.detail)}`);
    const rejected = new Map<string, number>();
    for (const c of r.report?.changes ?? [])
      if (c.status === 'rejected')
        rejected.set(c.gate ?? '?', (rejected.get(c.gate ?? '?') ?? 0) + 1);
    if (rejected.size)
      lines.push(`  - rejected by: ${[...rejected].map(([gate, n]) => `${gate} ${n}`).join(', ')}`);
    for (const a of r.after.filter((x) => !x.ok))
      lines.push(`  - on the result branch \`${cell(a.command)}\` failed: ${cell(gist(a.tail))}`);
  }
  return lines.join('\n');
}

const build =
  args.includes('--no-build') || tableOnly
    ? { code: 0, stdout: '', stderr: '', ms: 0, timedOut: false }
    : await sh('npm run build', beastRoot, process.env, 600_000);
if (build.code !== 0) {
  console.error(`eval:repos: npm run build failed:\n${tail(build, 20)}`);
  process.exit(1);
}

// The last commit that changed beast itself: bench and docs commits change no result.
const beastCommit = (
  await git(beastRoot, ['log', '-1', '--format=%h', '--', 'src', 'bin'])
).stdout.trim();
const resultsDir = path.join(root, '.eval-cache', 'results');
if (selected.length === 0) {
  console.error('eval:repos: no repository selected (check --only and bench/repos.json)');
  process.exit(2);
}
const startedAll = performance.now();
const results: RepoResult[] = [];
for (const { entry, dir } of selected) {
  if (tableOnly) {
    const file = path.join(resultsDir, `${entry.name}${taskSuffix}.json`);
    if (existsSync(file)) {
      const stored = JSON.parse(await readFile(file, 'utf8')) as RepoResult;
      stored.regressions = stored.after
        .filter((a) =>
          isRegression(
            a,
            stored.base.find((b) => b.name === a.name),
          ),
        )
        .map((a) => a.name);
      results.push(stored);
    } else console.log(`${entry.name}: no stored result`);
    continue;
  }
  console.log(`\n== ${entry.name} (${dir})`);
  const result = await evaluate(entry, dir);
  result.beast = beastCommit;
  result.date = new Date().toISOString();
  results.push(result);
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    path.join(resultsDir, `${entry.name}${taskSuffix}.json`),
    JSON.stringify(result, null, 2),
  );
}
const totalS = tableOnly
  ? results.reduce((s, r) => s + r.ms, 0) / 1000
  : (performance.now() - startedAll) / 1000;
const commits = [...new Set(results.map((r) => r.beast ?? beastCommit))].join(', ');

const regressions = results.reduce((n, r) => n + r.regressions.length, 0);
const section = [
  `Measured ${new Date().toISOString().slice(0, 10)} with \`beast improve --task ${task}\` (src at ${commits}) running on Node ${process.version}, with BEAST_NODE naming Node 22 for`,
  `the repositories that require it; ${results.length} repositories, ${(totalS / 60).toFixed(1)} min of runs in all. "Own commands" are the`,
  "repository's test, type-check and lint commands (bench/repos.json, on the Node it requires), re-run on the base commit and on",
  'the result branch; a regression is a command that passes on the base and fails on the result, or fails with more failures.',
  '',
  table(results),
  '',
  `Regressions on result branches: **${regressions}**.`,
  '',
  'What the gate ran and why the rest did not, per repository:',
  '',
  reasons(results),
].join('\n');
console.log(`\n${section}\n`);
console.log(`total time ${totalS.toFixed(0)} s`);

if (write) {
  const docs = path.join(beastRoot, 'docs', 'benchmarks.md');
  const text = await readFile(docs, 'utf8');
  const marker = `eval:repos${taskSuffix}`;
  if (!text.includes(`<!-- ${marker}:start -->`)) {
    const heading =
      task === 'fix'
        ? 'npm run eval:repos: the gate on real repositories'
        : `npm run eval:repos -- --task ${task}: the ${task} task kind on real repositories`;
    await writeFile(
      docs,
      `${text.trimEnd()}\n\n## ${heading}\n\n<!-- ${marker}:start -->\n<!-- ${marker}:end -->\n`,
    );
  }
  await recordSection(marker, section);
}
if (results.some((r) => r.error) || regressions > 0) process.exitCode = 1;
