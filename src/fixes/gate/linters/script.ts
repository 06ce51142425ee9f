import { readPackageJson, type PackageJson } from '../package-json.js';
import { runProcess } from '../process.js';
import { matchScripts, parsePackageManagerCall } from '../package-managers.js';
import { splitScript, unwrapCommand, type ScriptCommand } from '../script.js';
import type { LintErrors, LintRun } from '../lint.js';
import type { ScriptUse } from './types.js';

/** The programs of the linters whose reports we read. */
const LINTER_BINS = new Set(['eslint', 'xo', 'oxlint', 'biome']);

/** Programs that run the scripts named by their arguments (`run-s lint:*`). */
const SCRIPT_RUNNERS = new Set(['run-s', 'run-p', 'npm-run-all', 'npm-run-all2']);

/** Options that make a linter or formatter rewrite files. */
const WRITES = /^--(fix|fix-dangerously|fix-suggestions|write|apply|apply-unsafe|unsafe)(=|$)/;

/** The file and rule under which a failing lint script counts. */
export const SCRIPT_FILE = '(lint script)';
export const SCRIPT_RULE = 'script/exit status';

function basename(program: string): string {
  return program.split(/[\\/]/).at(-1) ?? program;
}

/** `pnpm oxlint`, `yarn xo`, `bun biome`: a package manager running a binary by its name. */
function normalise(command: ScriptCommand): ScriptCommand {
  const program = basename(command.program);
  const [first, ...rest] = command.args;
  if (['pnpm', 'yarn', 'bun'].includes(program) && first !== undefined && LINTER_BINS.has(first)) {
    return { ...command, program: first, args: rest };
  }
  return { ...command, program };
}

function commandsOf(text: string): ScriptCommand[] {
  return splitScript(text)
    .map(unwrapCommand)
    .filter((c): c is ScriptCommand => c !== undefined)
    .map(normalise);
}

/** Every command of every package.json script, in package.json order. Pure. */
export function scriptUses(pkg: PackageJson | undefined): ScriptUse[] {
  return Object.entries(pkg?.scripts ?? {}).flatMap(([script, text]) =>
    typeof text === 'string' ? commandsOf(text).map((command) => ({ script, command })) : [],
  );
}

/** The scripts named by `run-s lint:*`-style arguments (`*` matches within a name part). */
function namedScripts(args: readonly string[], scripts: Record<string, string>): string[] {
  return args
    .filter((arg) => !arg.startsWith('-'))
    .flatMap((pattern) => {
      if (!pattern.includes('*')) return [pattern];
      const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      const regex = new RegExp(`^${escaped.replace(/\*\*/g, '.*').replace(/\*/g, '[^:]*')}$`);
      return Object.keys(scripts).filter((name) => regex.test(name));
    });
}

/** The scripts a command runs (`npm run x`, `run-s x:*`, `concurrently npm:x`) and its inline commands. */
function followed(
  command: ScriptCommand,
  scripts: Record<string, string>,
): { names: string[]; inline: ScriptCommand[] } {
  const delegated = delegatedScripts(command, scripts);
  if (delegated.length > 0) return { names: delegated, inline: [] };
  if (SCRIPT_RUNNERS.has(command.program)) {
    return { names: namedScripts(command.args, scripts), inline: [] };
  }
  if (command.program !== 'concurrently') return { names: [], inline: [] };
  const args = command.args.filter((a) => !a.startsWith('-'));
  return {
    names: args.filter((a) => a.startsWith('npm:')).map((a) => a.slice(4)),
    inline: args.filter((a) => !a.startsWith('npm:')).flatMap(commandsOf),
  };
}

/** The scripts of this package a package-manager command runs (`npm run lint:js`, `pnpm /^lint/`). */
function delegatedScripts(command: ScriptCommand, scripts: Record<string, string>): string[] {
  return parsePackageManagerCall(command).flatMap((call) =>
    call.kind === 'scripts' && call.scope.kind === 'here'
      ? matchScripts(call.pattern, scripts)
      : [],
  );
}

/** The commands a script runs, following the scripts it runs in turn. */
function reachableCommands(name: string, scripts: Record<string, string>): ScriptCommand[] {
  const seen = new Set<string>();
  const out: ScriptCommand[] = [];
  const visit = (script: string): void => {
    const text = scripts[script];
    if (seen.has(script) || text === undefined) return;
    seen.add(script);
    for (const command of commandsOf(text)) {
      const { names, inline } = followed(command, scripts);
      out.push(command, ...inline);
      names.forEach(visit);
    }
  };
  visit(name);
  return out;
}

/**
 * Whether the `lint` script can serve as the fallback lint: `covered` when it runs a linter whose
 * report we read (that linter runs instead); a reason when it would rewrite files (`--fix`), which
 * would change what it checks; undefined when it can run. Pure.
 */
export function lintScriptProblem(pkg: PackageJson): 'covered' | string | undefined {
  const scripts = pkg.scripts ?? {};
  const commands = reachableCommands('lint', scripts);
  if (commands.some((c) => LINTER_BINS.has(c.program))) return 'covered';
  const writer = commands.find((c) => c.args.some((arg) => WRITES.test(arg)));
  if (writer !== undefined) {
    const option = writer.args.find((arg) => WRITES.test(arg)) ?? '';
    return `the lint script rewrites files (${writer.program} ${option}), so it cannot check a change`;
  }
  return undefined;
}

function tail(text: string): string {
  const all = text.trim();
  return all.length <= 4000 ? all : `…${all.slice(-4000)}`;
}

/**
 * Runs the repository's `lint` script whole with `sh -c`, node_modules/.bin first on PATH, in the
 * same sandbox as the linters. It reports no file or rule, so a failure counts as one error of
 * `SCRIPT_FILE`/`SCRIPT_RULE`: compared with the baseline, it tells only that the script went from
 * passing to failing, the weaker check it is.
 */
export async function runLintScript(
  name: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<LintRun> {
  const read = await readPackageJson(options.cwd);
  const text = 'pkg' in read ? read.pkg.scripts?.[name] : undefined;
  if (text === undefined) {
    return { status: 'error', errors: {}, output: `package.json has no ${name} script` };
  }
  const bin = `${options.cwd}/node_modules/.bin`;
  const path = options.env.PATH ?? '';
  const result = await runProcess('/bin/sh', ['-c', text], {
    cwd: options.cwd,
    env: { ...options.env, PATH: path === '' ? bin : `${bin}:${path}` },
    timeoutMs: options.timeoutMs,
  });
  const output = tail(`${result.stdout}\n${result.stderr}`);
  if (result.timedOut) {
    return { status: 'timeout', errors: {}, output: `the lint script timed out\n${output}` };
  }
  if (result.exitCode === null) {
    return { status: 'error', errors: {}, output: `killed by ${result.signal}\n${output}` };
  }
  const errors: LintErrors = result.exitCode === 0 ? {} : { [SCRIPT_FILE]: { [SCRIPT_RULE]: 1 } };
  return { status: 'ran', errors, output: `exit code ${result.exitCode}\n${output}` };
}
