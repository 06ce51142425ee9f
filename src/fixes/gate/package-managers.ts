/**
 * Pure reading of package-manager command lines in scripts (npm, pnpm, yarn classic and berry,
 * bun, and the task runners turbo, lerna and nx): which scripts they run, in which packages, or
 * which program they execute.
 */
import type { PackageJson } from './package-json.js';
import type { ScriptCommand } from './script.js';

/** The package managers whose command lines the gate reads. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Where a call runs: this package, another folder, the workspace root, or workspace packages. */
export type CallScope =
  | { kind: 'here' }
  | { kind: 'dir'; dir: string }
  | { kind: 'root' }
  /** Every workspace package (but the root) that `filters` select; all of them when empty. */
  | { kind: 'packages'; filters: string[] };

/** What a package-manager command line asks for. */
export type PackageManagerCall =
  /**
   * Run scripts: `pattern` is a script name, a glob (`test:*`) or pnpm's `/regex/`; `args` are
   * appended to each script; `orBin` runs the program of that name when no script has it.
   */
  | { kind: 'scripts'; pattern: string; args: string[]; scope: CallScope; orBin: boolean }
  /** Run a program: `npx vitest`, `pnpm exec jest`, `yarn dlx ava`, `pnpm vitest run`. */
  | { kind: 'exec'; words: string[]; scope: CallScope };

const MANAGERS: ReadonlySet<string> = new Set(['npm', 'pnpm', 'yarn', 'bun']);

/**
 * The package manager a repository's CI uses: the `packageManager` field, else its lockfile, else
 * npm.
 */
export function resolvePackageManager(
  pkg: PackageJson,
  rootFiles: readonly string[],
): PackageManager {
  const field = typeof pkg.packageManager === 'string' ? pkg.packageManager.split('@')[0] : '';
  if (field !== undefined && MANAGERS.has(field)) return field as PackageManager;
  if (rootFiles.includes('pnpm-lock.yaml') || rootFiles.includes('pnpm-workspace.yaml'))
    return 'pnpm';
  if (rootFiles.includes('yarn.lock') || rootFiles.includes('.yarnrc.yml')) return 'yarn';
  if (rootFiles.includes('bun.lock') || rootFiles.includes('bun.lockb')) return 'bun';
  return 'npm';
}

/**
 * Whether the package manager runs a script's `pre` and `post` scripts around it: npm, yarn
 * classic and pnpm do (pnpm 6 and 7 did not by default); yarn berry and bun do not.
 */
export function runsPrePost(
  manager: PackageManager,
  pkg: PackageJson,
  rootFiles: readonly string[],
): boolean {
  const field = typeof pkg.packageManager === 'string' ? pkg.packageManager : '';
  if (manager === 'npm') return true;
  if (manager === 'pnpm') return !/^pnpm@[67]\./.test(field);
  if (manager !== 'yarn') return false;
  return field === '' ? !rootFiles.includes('.yarnrc.yml') : field.startsWith('yarn@1.');
}

interface Options {
  /** Options seen, by name, with their value (`true` for flags); repeated values joined. */
  values: Map<string, string[]>;
  /** Index of the first word that is not an option. */
  next: number;
}

/** Reads options from `from` on until a positional word (or `--`, which is consumed). */
function readOptions(words: readonly string[], from: number, valued: ReadonlySet<string>): Options {
  const values = new Map<string, string[]>();
  let i = from;
  while (i < words.length) {
    const word = words[i] ?? '';
    if (word === '--') return { values, next: i + 1 };
    if (!word.startsWith('-') || word === '-') break;
    const [name = word, inline] = word.split(/=(.*)/s);
    const value = inline ?? (valued.has(name) ? words[++i] : undefined) ?? 'true';
    values.set(name, [...(values.get(name) ?? []), value]);
    i++;
  }
  return { values, next: i };
}

function has(options: Options, ...names: string[]): boolean {
  return names.some((name) => options.values.has(name));
}

function valuesOf(options: Options, ...names: string[]): string[] {
  return names.flatMap((name) => options.values.get(name) ?? []);
}

/** Words after an optional leading `--`: pnpm and yarn pass them to the script as they are. */
function passed(words: readonly string[]): string[] {
  return words[0] === '--' ? words.slice(1) : [...words];
}

function merge(a: Options, b: Options): Options {
  const values = new Map(a.values);
  for (const [k, v] of b.values) values.set(k, [...(values.get(k) ?? []), ...v]);
  return { values, next: b.next };
}

// npm: every option before `--` is npm's, wherever it is; the words after `--` go to the script.
const NPM_VALUED = new Set(['--prefix', '-C', '-w', '--workspace']);

function npmScope(options: Options): CallScope {
  if (has(options, '--workspaces', '--ws', '-ws')) return { kind: 'packages', filters: [] };
  const workspaces = valuesOf(options, '-w', '--workspace');
  if (workspaces.length > 0) return { kind: 'packages', filters: workspaces };
  const [prefix] = valuesOf(options, '--prefix', '-C');
  return prefix === undefined ? { kind: 'here' } : { kind: 'dir', dir: prefix };
}

function parseNpm(args: readonly string[]): PackageManagerCall | undefined {
  const end = args.indexOf('--');
  const before = end < 0 ? args : args.slice(0, end);
  const after = end < 0 ? [] : args.slice(end + 1);
  const positionals: string[] = [];
  let options: Options = { values: new Map(), next: 0 };
  for (let i = 0; i < before.length;) {
    const read = readOptions(before, i, NPM_VALUED);
    options = merge(options, read);
    i = read.next;
    if (i < before.length) positionals.push(before[i++] ?? '');
  }
  const [command, name, ...rest] = positionals;
  const scope = npmScope(options);
  if (command === 'test' || command === 't' || command === 'tst') {
    return { kind: 'scripts', pattern: 'test', args: after, scope, orBin: false };
  }
  if ((command === 'run' || command === 'run-script' || command === 'rum') && name !== undefined) {
    return { kind: 'scripts', pattern: name, args: after, scope, orBin: false };
  }
  if (command === 'exec' || command === 'x') {
    const words = [...(name === undefined ? [] : [name]), ...rest, ...after];
    return words.length > 0 ? { kind: 'exec', words, scope } : undefined;
  }
  return undefined;
}

// pnpm: options before the command, and again before a script name; the rest goes to the script.
const PNPM_VALUED = new Set([
  '--filter',
  '-F',
  '--filter-prod',
  '-C',
  '--dir',
  '--workspace-concurrency',
  '--reporter',
  '--resume-from',
  '--test-pattern',
  '--changed-files-ignore-pattern',
  '--package',
  '--allow-build',
]);

/** pnpm's own commands: `pnpm <word>` runs a script or a program for any other word. */
const PNPM_BUILTINS = new Set([
  'add',
  'audit',
  'bin',
  'config',
  'create',
  'deploy',
  'env',
  'fetch',
  'i',
  'import',
  'init',
  'install',
  'licenses',
  'link',
  'list',
  'ls',
  'outdated',
  'pack',
  'patch',
  'prune',
  'publish',
  'rebuild',
  'remove',
  'root',
  'setup',
  'store',
  'up',
  'update',
  'why',
  'approve-builds',
]);

function pnpmScope(options: Options): CallScope {
  const filters = valuesOf(options, '--filter', '-F', '--filter-prod');
  if (has(options, '-r', '--recursive') || filters.length > 0) {
    return { kind: 'packages', filters };
  }
  if (has(options, '-w', '--workspace-root')) return { kind: 'root' };
  const [dir] = valuesOf(options, '-C', '--dir');
  return dir === undefined ? { kind: 'here' } : { kind: 'dir', dir };
}

function parsePnpm(args: readonly string[]): PackageManagerCall | undefined {
  let options = readOptions(args, 0, PNPM_VALUED);
  const command = args[options.next];
  if (command === undefined) return undefined;
  if (command === 'run' || command === 'run-script') {
    options = merge(options, readOptions(args, options.next + 1, PNPM_VALUED));
    const name = args[options.next];
    if (name === undefined) return undefined;
    const rest = passed(args.slice(options.next + 1));
    return { kind: 'scripts', pattern: name, args: rest, scope: pnpmScope(options), orBin: false };
  }
  const rest = args.slice(options.next + 1);
  if (command === 'test' || command === 't' || command === 'tst') {
    return {
      kind: 'scripts',
      pattern: 'test',
      args: passed(rest),
      scope: pnpmScope(options),
      orBin: false,
    };
  }
  if (command === 'exec' || command === 'dlx') {
    const more = merge(options, readOptions(args, options.next + 1, PNPM_VALUED));
    const words = args.slice(more.next);
    return words.length > 0 ? { kind: 'exec', words, scope: pnpmScope(more) } : undefined;
  }
  if (PNPM_BUILTINS.has(command)) return undefined;
  return {
    kind: 'scripts',
    pattern: command,
    args: passed(rest),
    scope: pnpmScope(options),
    orBin: true,
  };
}

// yarn: classic and berry.
const YARN_VALUED = new Set([
  '--cwd',
  '--include',
  '--exclude',
  '--from',
  '-j',
  '--jobs',
  '-p',
  '--package',
]);

const YARN_BUILTINS = new Set([
  'add',
  'install',
  'remove',
  'up',
  'upgrade',
  'pack',
  'publish',
  'link',
  'unlink',
  'info',
  'why',
  'config',
  'cache',
  'init',
  'set',
  'plugin',
  'npm',
  'constraints',
  'dedupe',
  'explain',
  'version',
]);

/**
 * `yarn run` / `bun run` from the word after `run`: its own options, then the script (or, failing
 * that, the binary) to run and its arguments.
 */
function runCall(
  args: readonly string[],
  at: { from: number; valued: ReadonlySet<string>; scope: CallScope },
): PackageManagerCall | undefined {
  const more = readOptions(args, at.from, at.valued);
  const name = args[more.next];
  if (name === undefined) return undefined;
  const rest = passed(args.slice(more.next + 1));
  return { kind: 'scripts', pattern: name, args: rest, scope: at.scope, orBin: true };
}

function yarnForeach(args: readonly string[], from: number): PackageManagerCall | undefined {
  const options = readOptions(args, from, YARN_VALUED);
  let i = options.next;
  if (args[i] === 'run') i++;
  const name = args[i];
  if (name === undefined) return undefined;
  const filters = valuesOf(options, '--include', '--from');
  return {
    kind: 'scripts',
    pattern: name,
    args: passed(args.slice(i + 1)),
    scope: { kind: 'packages', filters },
    orBin: false,
  };
}

function parseYarn(args: readonly string[], scope?: CallScope): PackageManagerCall | undefined {
  const options = readOptions(args, 0, YARN_VALUED);
  const [cwd] = valuesOf(options, '--cwd');
  const here: CallScope =
    scope ?? (cwd === undefined ? { kind: 'here' } : { kind: 'dir', dir: cwd });
  const command = args[options.next];
  const rest = args.slice(options.next + 1);
  if (command === undefined) return undefined;
  if (command === 'workspaces') {
    if (rest[0] === 'foreach') return yarnForeach(rest, 1);
    if (rest[0] === 'run' && rest[1] !== undefined) {
      const filters: string[] = [];
      const scopeAll: CallScope = { kind: 'packages', filters };
      return {
        kind: 'scripts',
        pattern: rest[1],
        args: passed(rest.slice(2)),
        scope: scopeAll,
        orBin: false,
      };
    }
    return undefined;
  }
  if (command === 'workspace' && rest[0] !== undefined) {
    return parseYarn(rest.slice(1), { kind: 'packages', filters: [rest[0]] });
  }
  if (command === 'exec' || command === 'dlx' || command === 'node') {
    const more = readOptions(args, options.next + 1, YARN_VALUED);
    const words = [...(command === 'node' ? ['node'] : []), ...args.slice(more.next)];
    return words.length > 0 ? { kind: 'exec', words, scope: here } : undefined;
  }
  if (command === 'run' || command === 'run-script') {
    return runCall(args, { from: options.next + 1, valued: YARN_VALUED, scope: here });
  }
  if (command === 'test' || command === 't') {
    return { kind: 'scripts', pattern: 'test', args: passed(rest), scope: here, orBin: false };
  }
  if (YARN_BUILTINS.has(command)) return undefined;
  return { kind: 'scripts', pattern: command, args: passed(rest), scope: here, orBin: true };
}

const BUN_VALUED = new Set(['--filter', '-F', '--cwd']);

function parseBun(args: readonly string[]): PackageManagerCall | undefined {
  const options = readOptions(args, 0, BUN_VALUED);
  const filters = valuesOf(options, '--filter', '-F');
  const [cwd] = valuesOf(options, '--cwd');
  const scope: CallScope =
    filters.length > 0
      ? { kind: 'packages', filters: filters.filter((f) => f !== '*') }
      : cwd === undefined
        ? { kind: 'here' }
        : { kind: 'dir', dir: cwd };
  const command = args[options.next];
  const rest = args.slice(options.next + 1);
  // `bun test` is Bun's own test runner, which the gate does not read; `bun --filter` runs scripts.
  if (command === undefined || (command === 'test' && filters.length === 0)) return undefined;
  if (command === 'x') return rest.length > 0 ? { kind: 'exec', words: rest, scope } : undefined;
  if (command === 'run') {
    return runCall(args, { from: options.next + 1, valued: BUN_VALUED, scope });
  }
  return { kind: 'scripts', pattern: command, args: passed(rest), scope, orBin: false };
}

/** `turbo run test lint`, `lerna run test --scope a`, `nx run-many -t test`: scripts in packages. */
function parseTaskRunner(program: string, args: readonly string[]): PackageManagerCall[] {
  const valued = new Set([
    '--filter',
    '-F',
    '--scope',
    '--ignore',
    '-t',
    '--target',
    '--targets',
    '--projects',
    '-p',
    '--concurrency',
    '--cache-dir',
    '--output-logs',
    '--log-order',
    '--parallel',
  ]);
  const positionals = positionalsOf(args, valued);
  const all = allOptions(args, valued);
  const [first, ...rest] = positionals;
  let tasks: string[] = [];
  let filters: string[] = [];
  if (program === 'turbo') {
    tasks = first === 'run' ? rest : positionals;
    filters = valuesOf(all, '--filter', '-F');
  } else if (program === 'lerna' && first === 'run') {
    tasks = rest.slice(0, 1);
    filters = valuesOf(all, '--scope');
  } else if (program === 'nx' && (first === 'run-many' || first === 'affected')) {
    tasks = valuesOf(all, '-t', '--target', '--targets').flatMap((t) => t.split(','));
    filters = valuesOf(all, '-p', '--projects').flatMap((p) => p.split(','));
  }
  return tasks
    .filter((task) => task !== '')
    .map((task) => ({
      kind: 'scripts',
      // turbo's `pkg#task` names one package's task.
      pattern: task.includes('#') ? (task.split('#')[1] ?? task) : task,
      args: [],
      scope: {
        kind: 'packages',
        filters: task.includes('#') ? [task.split('#')[0] ?? ''] : filters,
      },
      orBin: false,
    }));
}

/** Every option of a command line, wherever it is (task runners take them after the tasks). */
function allOptions(words: readonly string[], valued: ReadonlySet<string>): Options {
  let options: Options = { values: new Map(), next: 0 };
  for (let i = 0; i < words.length;) {
    const read = readOptions(words, i, valued);
    options = merge(options, read);
    if (words[read.next - 1] === '--') break;
    // Past the positional word where the options stopped.
    i = read.next + 1;
  }
  return options;
}

function positionalsOf(words: readonly string[], valued: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '--') break;
    if (word.startsWith('-')) {
      if (!word.includes('=') && valued.has(word)) i++;
    } else out.push(word);
  }
  return out;
}

/**
 * Pure: what a package-manager or task-runner command asks for (scripts to run, where; or a
 * program to execute); empty for other programs and for commands that run no script (install).
 */
export function parsePackageManagerCall(command: ScriptCommand): PackageManagerCall[] {
  const { program, args } = command;
  let call: PackageManagerCall | undefined;
  if (program === 'npm') call = parseNpm(args);
  else if (program === 'pnpm') call = parsePnpm(args);
  else if (program === 'yarn') call = parseYarn(args);
  else if (program === 'bun') call = parseBun(args);
  else if (program === 'turbo' || program === 'lerna' || program === 'nx') {
    return parseTaskRunner(program, args);
  } else if (program === 'node') {
    // Node 22's `node --run <script>`.
    const at = args.findIndex((a) => a === '--run' || a.startsWith('--run='));
    const word = args[at] ?? '';
    const name = word.includes('=') ? word.slice('--run='.length) : args[at + 1];
    if (at >= 0 && name !== undefined) {
      const rest = word.includes('=') ? args.slice(at + 1) : args.slice(at + 2);
      call = {
        kind: 'scripts',
        pattern: name,
        args: passed(rest),
        scope: { kind: 'here' },
        orBin: false,
      };
    }
  }
  return call === undefined ? [] : [call];
}

/** How a script pattern of a call is matched against script names. */
export type ScriptMatch = 'name' | 'npm-run-all' | 'concurrently';

/**
 * Pure: the scripts a pattern names, in the package's order: pnpm's `/regex/`, npm-run-all's globs
 * (`test:*` stops at `:`, `test:**` does not) or concurrently's `*` wildcard, else the name itself.
 */
export function matchScripts(
  pattern: string,
  scripts: Readonly<Record<string, string>>,
  match: ScriptMatch = 'name',
): string[] {
  const names = Object.keys(scripts);
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (regex && match === 'name') {
    try {
      const re = new RegExp(regex[1] ?? '', regex[2]);
      return names.filter((name) => re.test(name));
    } catch {
      return [];
    }
  }
  if (match === 'name' || !pattern.includes('*')) {
    return Object.hasOwn(scripts, pattern) ? [pattern] : [];
  }
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const source =
    match === 'concurrently'
      ? escaped.replace(/\*/g, '.*')
      : escaped
          .replace(/\*\*/g, '\uE000')
          .replace(/\*/g, '[^:]*')
          .replace(/\uE000/g, '.*');
  const re = new RegExp(`^${source}$`);
  return names.filter((name) => re.test(name));
}

/** A call of npm-run-all or concurrently: script patterns and, for concurrently, commands. */
export interface ParallelCall {
  scripts: { pattern: string; args: string[]; match: ScriptMatch }[];
  /** Command lines to read as scripts themselves (`concurrently "vitest run" "tsc"`). */
  commands: string[];
}

const RUN_ALL_VALUED = new Set(['--max-parallel', '--npm-path']);
const CONCURRENTLY_VALUED = new Set([
  '-n',
  '--names',
  '-c',
  '--prefix-colors',
  '-p',
  '--prefix',
  '-s',
  '--success',
  '-m',
  '--max-processes',
  '--name-separator',
  '-l',
  '--prefix-length',
  '-t',
  '--timestamp-format',
  '--restart-tries',
  '--restart-after',
  '--default-input-target',
  '--teardown',
]);

/** `npm:test:*(!lint)`: concurrently's shortcut for scripts; exclusions are ignored. */
const SHORTCUT = /^(npm|pnpm|yarn|bun|node):(\S+?)(?:\(!.*\))?(?:\s+(.*))?$/s;

/**
 * Pure: the scripts and commands that `run-s`, `run-p`, `npm-run-all` or `concurrently` run;
 * undefined for other programs.
 */
export function parseParallelCall(command: ScriptCommand): ParallelCall | undefined {
  const { program, args } = command;
  if (program === 'run-s' || program === 'run-p' || program === 'npm-run-all') {
    const scripts: ParallelCall['scripts'] = [];
    for (let i = 0; i < args.length; i++) {
      const word = args[i] ?? '';
      if (word === '--') break;
      if (word.startsWith('-')) {
        if (!word.includes('=') && RUN_ALL_VALUED.has(word)) i++;
        continue;
      }
      // `run-s "build -- --watch"`: a pattern with its arguments in one word.
      const [pattern = '', ...rest] = word.trim().split(/\s+/);
      scripts.push({ pattern, args: passed(rest), match: 'npm-run-all' });
    }
    return { scripts, commands: [] };
  }
  if (program !== 'concurrently') return undefined;
  const out: ParallelCall = { scripts: [], commands: [] };
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    if (word.startsWith('-')) {
      if (!word.includes('=') && CONCURRENTLY_VALUED.has(word)) i++;
      continue;
    }
    const shortcut = SHORTCUT.exec(word);
    if (shortcut) {
      const rest = (shortcut[3] ?? '').split(/\s+/).filter((w) => w !== '');
      out.scripts.push({ pattern: shortcut[2] ?? '', args: passed(rest), match: 'concurrently' });
    } else out.commands.push(word);
  }
  return out;
}
