import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../core/index.js';
import { resolveBin } from '../gate/bin.js';
import { runProcess, testEnvironment, type ProcessResult } from '../gate/process.js';
import { bundledTypeScript } from '../typecheck.js';
import { FORMAT_TIMEOUT_MS, type Formatter, type LoadedFormatter } from './types.js';

/**
 * A formatter with a command line that formats standard input as the file it names and prints the
 * result: Biome, dprint, oxfmt. Its config is the repository's, found from the file's path.
 */
export interface StdinFormatter {
  /** As the report names it. */
  title: string;
  /** Its `node_modules/.bin` entry. */
  bin: string;
  /** Config files at the repository's root that say the repository uses it. */
  configFiles: RegExp;
  /** Why the config found turns its formatting off, if it does. */
  disabled?: (root: string, configFile: string) => string | undefined;
  /** The arguments that format standard input as `file` (repository-relative). */
  args: (file: string) => string[];
  /** Its environment besides the sandbox's, given the repository's real node_modules folder. */
  env?: (nodeModules: string) => NodeJS.ProcessEnv;
}

/** A JSON or JSONC file as TypeScript reads tsconfig.json: comments and trailing commas allowed. */
function readJsonc(file: string): unknown {
  const ts = bundledTypeScript();
  const parsed = ts.parseConfigFileTextToJson(file, readFileSync(file, 'utf8'));
  return parsed.error ? undefined : parsed.config;
}

interface BiomeConfig {
  formatter?: { enabled?: boolean };
  javascript?: { formatter?: { enabled?: boolean } };
}

export const BIOME: StdinFormatter = {
  title: 'Biome',
  bin: 'biome',
  configFiles: /^biome\.jsonc?$/,
  disabled(root, configFile) {
    const config = readJsonc(path.join(root, configFile)) as BiomeConfig | undefined;
    if (config?.formatter?.enabled === false) return `Biome's formatter is off in ${configFile}`;
    if (config?.javascript?.formatter?.enabled === false)
      return `Biome's JavaScript formatter is off in ${configFile}`;
    return undefined;
  },
  args: (file) => ['format', `--stdin-file-path=${file}`],
};

export const DPRINT: StdinFormatter = {
  title: 'dprint',
  bin: 'dprint',
  configFiles: /^\.?dprint\.jsonc?$/,
  // A path that starts with a dash would read as an option.
  args: (file) => ['fmt', '--stdin', file.startsWith('-') ? `./${file}` : file],
  // Its plugins are compiled on first use: cached where the sandbox lets the repository write,
  // they are compiled once, not on every call.
  env: (nodeModules) => ({ DPRINT_CACHE_DIR: path.join(nodeModules, '.cache', 'dprint') }),
};

export const OXFMT: StdinFormatter = {
  title: 'oxfmt',
  bin: 'oxfmt',
  configFiles: /^(\.oxfmtrc\.jsonc?|oxfmt\.config\.[cm]?[jt]s)$/,
  args: (file) => [`--stdin-filepath=${file}`],
};

/** The config file at `root` that says the repository uses `kind`, if any. */
export function findConfigFile(root: string, kind: StdinFormatter): string | undefined {
  return readdirSync(root)
    .filter((name) => kind.configFiles.test(name))
    .sort()[0];
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

type Run = { output: string } | { reason: string };

interface Command {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

async function run(root: string, bin: Command, args: string[], input?: string): Promise<Run> {
  let result: ProcessResult;
  try {
    result = await runProcess(bin.command, [...bin.args, ...args], {
      cwd: root,
      env: bin.env,
      timeoutMs: FORMAT_TIMEOUT_MS,
      ...(input === undefined ? {} : { input, maxOutputBytes: 4 * input.length + 1024 * 1024 }),
    });
  } catch (error) {
    // It cannot start (a `.bin` entry that is not executable): the repository has no formatter.
    if (error instanceof ValidationError) return { reason: error.message };
    throw error;
  }
  if (result.exitCode === 0 && !result.truncated) return { output: result.stdout };
  const said = result.stderr.trim().split('\n').at(-1) ?? '';
  const how = result.timedOut ? 'timed out' : `exit code ${result.exitCode ?? result.signal}`;
  return { reason: `${how}${said ? `: ${said.slice(0, 200)}` : ''}` };
}

/**
 * `kind` from the repository's own `node_modules/.bin` (it has `kind`'s config: see
 * `findConfigFile`), or the reason it cannot be used. The formatter runs sandboxed, as the
 * repository's tests do: it is the repository's code, and so may be its config.
 */
export async function loadStdinFormatter(
  root: string,
  kind: StdinFormatter,
  configFile: string,
): Promise<LoadedFormatter> {
  const disabled = kind.disabled?.(root, configFile);
  if (disabled !== undefined) return { reason: disabled };
  const binPath = path.join(root, 'node_modules', '.bin', kind.bin);
  if (!existsSync(binPath)) {
    return {
      reason: `${article(kind.title)} ${kind.title} config (${configFile}), but ${kind.title} is not installed`,
    };
  }
  const env = {
    ...testEnvironment(),
    ...kind.env?.(realpathSync(path.join(root, 'node_modules'))),
  };
  const bin = { ...(await resolveBin(binPath, [])), env };
  const version = await run(root, bin, ['--version']);
  if ('reason' in version) return { reason: `${kind.title} failed (${version.reason})` };
  const number = /\d+\.\d+\.\d+\S*/.exec(version.output)?.[0] ?? '?';
  // Whether a file's text was formatted, by file and content: each change asks about its base.
  const formatted = new Map<string, boolean>();
  const isFormatted = async (file: string, text: string): Promise<boolean> => {
    const key = `${file}\0${createHash('sha1').update(text).digest('hex')}`;
    let known = formatted.get(key);
    if (known === undefined) {
      const done = await run(root, bin, kind.args(file), text);
      known = 'output' in done && done.output === text;
      formatted.set(key, known);
    }
    return known;
  };
  const formatter: Formatter = {
    name: `${kind.title} ${number}`,
    async format(file, original, proposed) {
      // A new file (a generated test) is formatted too: its original is empty.
      if (original !== '' && !existsSync(path.join(root, file))) return proposed;
      // Ignored files come back as they were (or, from stdin, formatted anyway): either way, a
      // file whose text is not the formatter's output is the user's style, not the formatter's.
      if (!(await isFormatted(file, original))) return proposed;
      const done = await run(root, bin, kind.args(file), proposed);
      // A formatter that fails leaves the change as the model wrote it, for the gate to judge.
      return 'output' in done ? done.output : proposed;
    },
  };
  return { formatter };
}
