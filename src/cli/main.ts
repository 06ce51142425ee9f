import { Command, CommanderError } from 'commander';
import { BeastError, ConfigError, InputError, TOOL_VERSION, describeError } from '../core/index.js';
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
  improve: async () => (await import('./commands/improve.js')).registerImproveCommand,
  status: async () => (await import('./commands/status.js')).registerStatusCommand,
  rules: async () => (await import('./commands/rules.js')).registerRulesCommand,
  train: async () => (await import('./commands/train.js')).registerTrainCommand,
  risk: async () => (await import('./commands/risk.js')).registerRiskCommand,
  models: async () => (await import('./commands/models.js')).registerModelsCommand,
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
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

/** Runs the CLI and returns its exit code; the only place errors are printed. */
export async function main(argv: readonly string[], io?: Partial<CliIo>): Promise<number> {
  const full: CliIo = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    env: io?.env ?? process.env,
    cwd: io?.cwd ?? process.cwd(),
  };
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
    if (error instanceof InputError || error instanceof ConfigError) {
      full.stderr.write(`beast: ${describeError(error)}\n`);
      return EXIT.usage;
    }
    const detail =
      error instanceof BeastError ? `${error.code}: ${describeError(error)}` : describeError(error);
    full.stderr.write(`beast: internal error: ${detail}\n`);
    if (full.env.BEAST_DEBUG && error instanceof Error && error.stack)
      full.stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  }
}
