import { posix } from 'node:path';
import type { PackageJson } from './package-json.js';
import {
  matchScripts,
  parsePackageManagerCall,
  parseParallelCall,
  type CallScope,
  type PackageManagerCall,
} from './package-managers.js';
import { RUNNERS, type RunnerPart, type TestRunnerName } from './runners/index.js';
import { splitArgs, splitScript, unwrapCommand, type ScriptCommand } from './script.js';
import { selectPackages, type WorkspacePackage } from './workspaces.js';

/** What a package.json test script runs, before its arguments are sorted. */
export interface ScriptRunner {
  name: TestRunnerName;
  nodeArgs: string[];
  args: string[];
  env: Record<string, string>;
}

const RUNNER_BINS: Record<string, TestRunnerName> = {
  vitest: 'vitest',
  jest: 'jest',
  mocha: 'mocha',
  _mocha: 'mocha',
  ava: 'ava',
};

/** Node options that take the next word as their value (`--import tsx`). */
const NODE_VALUES = RUNNERS['node:test'].args.values;

/** `npm init`'s placeholder test script. */
const PLACEHOLDER = /no test specified/;

function programName(path: string): string {
  const base = path.split(/[\\/]/).at(-1) ?? path;
  return base.replace(/\.(c|m)?js$|\.cmd$|\.exe$/i, '');
}

/** The runner a script path belongs to: `node_modules/.bin/jest`, `node_modules/ava/.../cli.mjs`. */
function runnerFromPath(path: string): TestRunnerName | undefined {
  const byName = RUNNER_BINS[programName(path)];
  if (byName !== undefined) return byName;
  const parts = path.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  return at >= 0 ? RUNNER_BINS[parts[at + 1] ?? ''] : undefined;
}

function stripSubcommand(name: TestRunnerName, args: string[]): string[] {
  const first = args[0];
  if (name === 'vitest' && (first === 'run' || first === 'watch' || first === 'dev')) {
    return args.slice(1);
  }
  return args;
}

/** Node's own options, the script (the first positional) and what follows it. */
function splitNodeArgs(args: string[]): { options: string[]; script?: string; rest: string[] } {
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    if (!word.startsWith('-')) return { options, script: word, rest: args.slice(i + 1) };
    options.push(word);
    if (!word.includes('=') && NODE_VALUES.has(word) && i + 1 < args.length) {
      options.push(args[++i] ?? '');
    }
  }
  return { options, rest: [] };
}

function identifyNodeRunner(command: ScriptCommand): ScriptRunner | undefined {
  const { options, script, rest } = splitNodeArgs(command.args);
  if (options.includes('--test')) {
    const files = script === undefined ? [] : [script, ...rest];
    return { name: 'node:test', nodeArgs: options, args: files, env: command.env };
  }
  const name = script === undefined ? undefined : runnerFromPath(script);
  if (name === undefined) return undefined;
  return { name, nodeArgs: options, args: stripSubcommand(name, rest), env: command.env };
}

function identifyRunner(command: ScriptCommand): ScriptRunner | undefined {
  const program = programName(command.program);
  if (program === 'node') return identifyNodeRunner(command);
  // `tsx --test` is `node --import tsx --test`.
  if (program === 'tsx' && command.args.includes('--test')) {
    const found = identifyNodeRunner(command);
    return found && { ...found, nodeArgs: ['--import', 'tsx', ...found.nodeArgs] };
  }
  const name = RUNNER_BINS[program];
  if (name === undefined) return undefined;
  return { name, nodeArgs: [], args: stripSubcommand(name, command.args), env: command.env };
}

/** A test command found in a repository's scripts, with the package folder it runs in. */
export type FoundTest =
  | {
      kind: 'runner';
      /** The folder it runs in, relative to the repository root; '' for the root. */
      dir: string;
      runner: ScriptRunner;
      /** The scripts that lead to it, outermost first. */
      via: string[];
    }
  /** A package's script that runs no runner we know: run as it is, its exit status compared. */
  | { kind: 'script'; dir: string; script: string; command: string; via: string[] }
  /** A `pre` script the package manager runs first (`pretest` builds what the tests import). */
  | { kind: 'setup'; dir: string; script: string; command: string; via: string[] };

interface Resolver {
  byDir: ReadonlyMap<string, WorkspacePackage>;
  packages: readonly WorkspacePackage[];
  /** Whether the package manager runs `pre<name>` before a script (npm and yarn classic do). */
  prePost: boolean;
  /** `dir\0script` already followed: a script reached twice runs once, and cycles end. */
  visited: Set<string>;
}

function scriptsOf(resolver: Resolver, dir: string): Record<string, string> {
  return resolver.byDir.get(dir)?.pkg.scripts ?? {};
}

/** A folder relative to the root, or undefined when it leaves the repository. */
function joinDir(dir: string, to: string): string | undefined {
  const joined = posix.normalize(posix.join(dir, to.split('\\').join('/')));
  if (joined === '.' || joined === './') return '';
  if (joined.startsWith('..') || posix.isAbsolute(joined)) return undefined;
  return joined.replace(/\/+$/, '');
}

/** The commands of a script text, each in the folder a preceding `cd` moved to. */
function resolveText(
  resolver: Resolver,
  dir: string,
  text: string,
  args: readonly string[],
  via: string[],
): FoundTest[] {
  const commands = splitScript(text);
  const last = commands.at(-1);
  if (last !== undefined && args.length > 0) last.push(...args);
  let here = dir;
  const found: FoundTest[] = [];
  for (const words of commands) {
    if (words[0] === 'cd') {
      here = (words[1] === undefined ? undefined : joinDir(here, words[1])) ?? here;
      continue;
    }
    found.push(...resolveWords(resolver, here, words, via));
  }
  return found;
}

function resolveScript(
  resolver: Resolver,
  dir: string,
  name: string,
  args: readonly string[],
  via: string[],
): FoundTest[] {
  const key = `${dir}\0${name}`;
  const text = scriptsOf(resolver, dir)[name];
  if (text === undefined || resolver.visited.has(key)) return [];
  resolver.visited.add(key);
  const pre = resolver.prePost ? scriptsOf(resolver, dir)[`pre${name}`] : undefined;
  const setup: FoundTest[] =
    pre === undefined
      ? []
      : [{ kind: 'setup', dir, script: `pre${name}`, command: pre, via: [...via, name] }];
  return [...setup, ...resolveText(resolver, dir, text, args, [...via, name])];
}

/**
 * A package's script run as an entry point (the root's `test`, a package's `test` through
 * `pnpm -r test`): the runners it runs, or, when it runs none we know, the script itself.
 */
function resolveEntry(
  resolver: Resolver,
  dir: string,
  name: string,
  args: readonly string[],
  via: string[],
): FoundTest[] {
  const text = scriptsOf(resolver, dir)[name];
  if (text === undefined || PLACEHOLDER.test(text) || resolver.visited.has(`${dir}\0${name}`))
    return [];
  const found = resolveScript(resolver, dir, name, args, via);
  if (found.some((f) => f.kind !== 'setup')) return found;
  const command = [text, ...args].join(' ');
  return [...found, { kind: 'script', dir, script: name, command, via: [...via, name] }];
}

function targetsOf(resolver: Resolver, dir: string, scope: CallScope): string[] {
  if (scope.kind === 'here') return [dir];
  if (scope.kind === 'root') return [''];
  if (scope.kind === 'dir') {
    const target = joinDir(dir, scope.dir);
    return target === undefined ? [] : [target];
  }
  return selectPackages(resolver.packages, scope.filters).map((p) => p.dir);
}

function resolveCall(
  resolver: Resolver,
  dir: string,
  call: PackageManagerCall,
  via: string[],
): FoundTest[] {
  const targets = targetsOf(resolver, dir, call.scope);
  if (call.kind === 'exec')
    return targets.flatMap((target) => resolveWords(resolver, target, call.words, via));
  return targets.flatMap((target) => {
    const names = matchScripts(call.pattern, scriptsOf(resolver, target));
    if (names.length === 0 && call.orBin) {
      return resolveWords(resolver, target, [call.pattern, ...call.args], via);
    }
    // Scripts of other packages are entry points: each is run as it is when it runs no runner.
    return names.flatMap((name) =>
      call.scope.kind === 'here'
        ? resolveScript(resolver, target, name, call.args, via)
        : resolveEntry(resolver, target, name, call.args, via),
    );
  });
}

function resolveWords(
  resolver: Resolver,
  dir: string,
  words: string[],
  via: string[],
): FoundTest[] {
  const command = unwrapCommand(words);
  if (command === undefined) return [];
  const runner = identifyRunner(command);
  if (runner !== undefined) return [{ kind: 'runner', dir, runner, via }];
  const parallel = parseParallelCall(command);
  if (parallel !== undefined) {
    const scripts = parallel.scripts.flatMap(({ pattern, args, match }) =>
      matchScripts(pattern, scriptsOf(resolver, dir), match).flatMap((name) =>
        resolveScript(resolver, dir, name, args, via),
      ),
    );
    const commands = parallel.commands.flatMap((text) => resolveText(resolver, dir, text, [], via));
    return [...scripts, ...commands];
  }
  return parsePackageManagerCall(command).flatMap((call) => resolveCall(resolver, dir, call, via));
}

function dedupe(found: FoundTest[]): FoundTest[] {
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = JSON.stringify(
      f.kind === 'runner' ? [f.dir, f.runner] : [f.kind, f.dir, f.command],
    );
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Pure: what a repository's tests are, as its CI runs them: the runners the root's `test` script
 * runs, through package managers (`pnpm vitest run`, `yarn jest`, `npx`, `pnpm exec`, `dlx`),
 * chains, `run-s`/`npm-run-all`/`concurrently`, scripts calling scripts, pnpm's `/regex/` scripts
 * and recursive workspace runs (`pnpm -r test`, `npm test --workspaces`, turbo, lerna, nx), each in
 * the package folder it runs in; a package's script that runs no runner we know stands as a script.
 * Without a root `test` script, the workspace packages' own. With `prePost` (npm, yarn classic), the
 * `pre` scripts of the scripts followed come first, as setup. Undefined when there is no test
 * script anywhere (or only npm's placeholder).
 */
export function resolveRepositoryTests(
  packages: readonly WorkspacePackage[],
  options: { prePost?: boolean } = {},
): FoundTest[] | undefined {
  const resolver: Resolver = {
    byDir: new Map(packages.map((p) => [p.dir, p])),
    packages,
    prePost: options.prePost ?? false,
    visited: new Set(),
  };
  const rootTest = scriptsOf(resolver, '').test;
  const found =
    rootTest !== undefined && !PLACEHOLDER.test(rootTest)
      ? resolveEntry(resolver, '', 'test', [], [])
      : packages
          .filter((p) => p.dir !== '')
          .flatMap((p) => resolveEntry(resolver, p.dir, 'test', [], []));
  return found.some((f) => f.kind !== 'setup') ? dedupe(found) : undefined;
}

/**
 * Pure: the runner the `test` script runs, following `npm run <script>` and the like, and peeling
 * off `cross-env`, `npx`, `c8` and variable assignments. Undefined when there is no test script (or
 * only npm's placeholder); a reason when the script runs nothing we know.
 */
export function resolveTestScript(
  scripts: Record<string, string>,
): ScriptRunner | { reason: string } | undefined {
  const script = scripts.test;
  if (script === undefined || PLACEHOLDER.test(script)) return undefined;
  const found = resolveRepositoryTests([{ dir: '', name: undefined, pkg: { scripts } }]);
  const first = found?.find((f) => f.kind !== 'setup');
  return first?.kind === 'runner'
    ? first.runner
    : {
        reason: `the test script ("${script}") runs none of vitest, jest, mocha, node --test or ava`,
      };
}

function hasConfig(name: TestRunnerName, pkg: PackageJson, rootFiles: readonly string[]): boolean {
  const plugin = RUNNERS[name];
  const pattern = plugin.configFiles;
  if (pattern !== undefined && rootFiles.some((file) => pattern.test(file))) return true;
  return plugin.packageJsonKey !== undefined && pkg[plugin.packageJsonKey] !== undefined;
}

/**
 * Pure: the one runner among the dependencies (narrowed by config files when there are several),
 * for a package without a test script.
 */
export function resolveFromDependencies(
  pkg: PackageJson,
  rootFiles: readonly string[],
): TestRunnerName | { reason: string } {
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const candidates = Object.values(RUNNERS)
    .filter((p) => p.packageName !== undefined && p.packageName in deps)
    .map((p) => p.name);
  if (candidates.length === 0) {
    return { reason: 'no test script, and no test runner among the dependencies' };
  }
  const chosen =
    candidates.length === 1 ? candidates : candidates.filter((n) => hasConfig(n, pkg, rootFiles));
  const [only] = chosen;
  if (chosen.length === 1 && only !== undefined) return only;
  return {
    reason: `no test script, and several test runners among the dependencies (${candidates.join(', ')})`,
  };
}

/**
 * Pure: the runner's full description, with the script's arguments sorted into kept and dropped;
 * its binary is looked for in the package's own node_modules (see `detectTestRunner` for hoisting).
 */
export function toRunnerPart(
  found: ScriptRunner,
  source: RunnerPart['source'],
  dir = '',
  via: string[] = [],
): RunnerPart {
  const plugin = RUNNERS[found.name];
  const base = {
    kind: 'runner' as const,
    dir,
    via,
    name: found.name,
    supportsRelated: plugin.supportsRelated,
    source,
    env: found.env,
  };
  if (plugin.packageName === undefined) {
    const nodeArgs = splitArgs(found.nodeArgs, plugin.args).options;
    return { ...base, bin: undefined, nodeArgs, options: [], positionals: found.args };
  }
  const { options, positionals } = splitArgs(found.args, plugin.args);
  const bin = `node_modules/.bin/${plugin.packageName}`;
  return { ...base, bin, nodeArgs: found.nodeArgs, options, positionals };
}
