import type { PackageJson } from './package-json.js';
import { RUNNERS, type TestRunnerInfo, type TestRunnerName } from './runners/index.js';
import {
  delegatedScript,
  splitArgs,
  splitScript,
  unwrapCommand,
  type ScriptCommand,
} from './script.js';

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
  const name = RUNNER_BINS[program];
  if (name === undefined) return undefined;
  return { name, nodeArgs: [], args: stripSubcommand(name, command.args), env: command.env };
}

function findInScript(
  script: string,
  scripts: Record<string, string>,
  visited: Set<string>,
): ScriptRunner | undefined {
  for (const words of splitScript(script)) {
    const command = unwrapCommand(words);
    if (command === undefined) continue;
    const found = identifyRunner(command) ?? followDelegation(command, scripts, visited);
    if (found !== undefined) return found;
  }
  return undefined;
}

function followDelegation(
  command: ScriptCommand,
  scripts: Record<string, string>,
  visited: Set<string>,
): ScriptRunner | undefined {
  const name = delegatedScript(command, scripts);
  const next = name === undefined ? undefined : scripts[name];
  if (name === undefined || next === undefined || visited.has(name)) return undefined;
  visited.add(name);
  return findInScript(next, scripts, visited);
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
  return (
    findInScript(script, scripts, new Set(['test'])) ?? {
      reason: `the test script ("${script}") runs none of vitest, jest, mocha, node --test or ava`,
    }
  );
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

/** Pure: the runner's full description, with the script's arguments sorted into kept and dropped. */
export function toRunnerInfo(
  found: ScriptRunner,
  source: TestRunnerInfo['source'],
): TestRunnerInfo {
  const plugin = RUNNERS[found.name];
  const base = {
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
