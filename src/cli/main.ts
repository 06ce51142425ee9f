import { Command, CommanderError } from 'commander';
import { BeastError, ConfigError, InputError, TOOL_VERSION, describeError } from '../core/index.js';
import { registerImproveCommand } from './commands/improve.js';
import { registerRulesCommand } from './commands/rules.js';
import { registerScanCommand } from './commands/scan.js';
import { registerStatusCommand } from './commands/status.js';
import { registerTrainCommand } from './commands/train.js';
import { registerRiskCommand } from './commands/risk.js';
import { registerModelsCommand } from './commands/models.js';
import { registerServeCommand } from './commands/serve.js';

export { EXIT, dbOption, type CliIo, type CommandResult } from './io.js';
import { EXIT, type CliIo } from './io.js';

export function buildProgram(io: CliIo, done: (code: number) => void): Command {
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
  registerScanCommand(program, io, done);
  registerImproveCommand(program, io, done);
  registerStatusCommand(program, io, done);
  registerRulesCommand(program, io, done);
  registerTrainCommand(program, io, done);
  registerRiskCommand(program, io, done);
  registerModelsCommand(program, io, done);
  registerServeCommand(program, io, done);
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
  const program = buildProgram(full, (c) => {
    code = c;
  });
  try {
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
