import { Command, CommanderError } from 'commander';
import {
  BeastError,
  ConfigError,
  InputError,
  TOOL_VERSION,
  describeError,
  isNativeModuleError,
} from '../core/index.js';
import { setupProcessIsolation } from '../core/index.js';

export { EXIT, dbOption, type CliIo, type CommandResult } from './io.js';
import { EXIT, type CliIo } from './io.js';

type Register = (program: Command, io: CliIo, done: (code: number) => void) => void;

/**
 * Each command's module, loaded on demand: a command pulls in only what it needs (a warm `beast
 * scan` neither loads the model providers nor the fixers), which is most of the CLI's start-up.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  scan: async () => (await import('./commands/scan.js')).registerScanCommand,
  baseline: async () => (await import('./commands/baseline.js')).registerBaselineCommand,
  improve: async () => (await import('./commands/improve.js')).registerImproveCommand,
  tests: async () => (await import('./commands/tests.js')).registerTestsCommand,
  status: async () => (await import('./commands/status.js')).registerStatusCommand,
  rules: async () => (await import('./commands/rules.js')).registerRulesCommand,
  init: async () => (await import('./commands/init.js')).registerInitCommand,
  train: async () => (await import('./commands/train.js')).registerTrainCommand,
  risk: async () => (await import('./commands/risk.js')).registerRiskCommand,
  models: async () => (await import('./commands/models.js')).registerModelsCommand,
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
  index: async () => (await import('./commands/index-command.js')).registerIndexCommand,
  search: async () => (await import('./commands/search.js')).registerSearchCommand,
  ask: async () => (await import('./commands/ask.js')).registerAskCommand,
  knowledge: async () => (await import('./commands/knowledge.js')).registerKnowledgeCommand,
};

/**
 * The program with the command `argv` names, or with every command when it names none (help, an
 * unknown command, a bare `beast`).
 */
export async function buildProgram(
  io: CliIo,
  done: (code: number) => void,
  argv: readonly string[] = [],
): Promise<Command> {
  const program = new Command('beast')
    .description(
      'BEAST MODE: measure and improve the quality of TypeScript and JavaScript repositories',
    )
    .version(TOOL_VERSION)
    .exitOverride()
    .showHelpAfterError('(run beast --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const named = argv.find((arg) => !arg.startsWith('-'));
  const load =
    named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  const registers = await Promise.all(load.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program, io, done);
  return program;
}

/** Error codes of a full disk or quota, from Node (errno) and from SQLite. */
const OUT_OF_SPACE = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** Whether `error`, or an error it wraps, is a full disk. */
export function isOutOfSpace(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (OUT_OF_SPACE.has(String(errorCode(e)))) return true;
  }
  return false;
}

/**
 * The exit code and the one line to print for an error that ended a command. A full disk is the
 * machine's failure, not the user's input and not a bug: exit 3, without "internal error".
 */
export function failureOf(error: unknown): { code: number; line: string } {
  if (isOutOfSpace(error))
    return { code: EXIT.internal, line: `beast: out of disk space: ${describeError(error)}` };
  // Like a full disk, a native module built for another Node is the installation's failure.
  if (isNativeModuleError(error))
    return { code: EXIT.internal, line: `beast: ${describeError(error)}` };
  if (error instanceof InputError || error instanceof ConfigError)
    return { code: EXIT.usage, line: `beast: ${describeError(error)}` };
  const detail =
    error instanceof BeastError ? `${error.code}: ${describeError(error)}` : describeError(error);
  return { code: EXIT.internal, line: `beast: internal error: ${detail}` };
}

const writeFailures = new WeakMap<NodeJS.WritableStream, { error?: NodeJS.ErrnoException }>();

/**
 * Remembers the first write failure of an output stream. Node reports a closed pipe (EPIPE) or a
 * full disk (ENOSPC) on stdout as an 'error' event, which, unheard, prints a stack trace and kills
 * the process; heard, later writes fail quietly too. One listener per stream, however many runs.
 */
function watchWrites(stream: NodeJS.WritableStream): () => NodeJS.ErrnoException | undefined {
  let seen = writeFailures.get(stream);
  if (seen === undefined) {
    const state: { error?: NodeJS.ErrnoException } = {};
    stream.on('error', (error: NodeJS.ErrnoException) => {
      state.error ??= error;
    });
    writeFailures.set(stream, state);
    seen = state;
  }
  const state = seen;
  return () => state.error;
}

/**
 * Resolves once everything written to `stream` so far has been handed to the system, or failed,
 * and the failure's 'error' event (emitted on a later tick) has been heard.
 */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const settle = (): void => void setImmediate(resolve);
    if ((stream as Partial<NodeJS.WriteStream>).destroyed === true) settle();
    else stream.write('', settle);
  });
}

/**
 * Runs the CLI and returns its exit code; the only place errors are printed.
 *
 * A reader that stops early (`beast scan --format json | head`) is not an error: the rest of the
 * output is dropped, nothing is printed, and the exit code is the command's own (so a failed gate
 * still shows under `set -o pipefail`). A full disk on stdout is exit 3 with one line on stderr.
 */
export async function main(argv: readonly string[], io?: Partial<CliIo>): Promise<number> {
  const full: CliIo = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    env: io?.env ?? process.env,
    cwd: io?.cwd ?? process.cwd(),
  };
  const stdoutFailure = watchWrites(full.stdout);
  watchWrites(full.stderr);
  const code = await run(argv, full);
  await flushed(full.stdout);
  const failure = stdoutFailure();
  if (failure === undefined || failure.code === 'EPIPE') return code;
  const { line } = failureOf(
    new Error(`cannot write to standard output: ${failure.code ?? failure.message}`, {
      cause: failure,
    }),
  );
  full.stderr.write(`${line}\n`);
  return EXIT.internal;
}

async function run(argv: readonly string[], full: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  try {
    setupProcessIsolation(full.env);
    const program = await buildProgram(
      full,
      (c) => {
        code = c;
      },
      argv,
    );
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are exits with code 0; everything else commander rejects is usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const failure = failureOf(error);
    full.stderr.write(`${failure.line}\n`);
    if (
      failure.code === EXIT.internal &&
      full.env.BEAST_DEBUG &&
      error instanceof Error &&
      error.stack
    )
      full.stderr.write(`${error.stack}\n`);
    return failure.code;
  }
}
