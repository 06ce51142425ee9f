import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/index.js';
import { startServer } from '../../server/index.js';
import { defaultStorePath } from '../../store/index.js';
import { dbOption, EXIT, type CliIo } from '../io.js';

interface ServeFlags {
  port: string;
  host: string;
  db?: string;
  jobs: string;
  corsOrigin?: string;
}

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`${flag}: expected a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServeCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('serve')
    .description('Serve the HTTP API and the dashboard (bearer token required on /api)')
    .option('--port <n>', 'port to listen on (0: any free port)', '4700')
    .option(
      '--host <address>',
      'address to bind; anything but loopback exposes the API',
      '127.0.0.1',
    )
    .option('--jobs <n>', 'jobs (scans, improvements) run at once', '1')
    .option(
      '--cors-origin <origin>',
      'allow cross-origin requests from this origin (none by default)',
    )
    .addOption(dbOption())
    .action(async (flags: ServeFlags) => {
      const port = wholeNumber('--port', flags.port, 0, 65_535);
      const jobs = wholeNumber('--jobs', flags.jobs, 1, 64);
      const dbFile = path.resolve(io.cwd, flags.db ?? defaultStorePath(io.env));
      const server = await startServer({
        dbFile,
        host: flags.host,
        port,
        jobs,
        env: io.env,
        ...(flags.corsOrigin === undefined ? {} : { corsOrigin: flags.corsOrigin }),
      });
      const { token } = server;
      if (server.interrupted.length > 0)
        io.stderr.write(
          `beast: marked ${server.interrupted.length} job(s) left running by a stopped server as interrupted: ${server.interrupted.join(', ')}\n`,
        );
      io.stdout.write(`beast: serving on ${server.url}\n`);
      if (token.source === 'generated')
        io.stdout.write(`beast: API token ${token.token} (saved to ${token.file ?? ''})\n`);
      // A token from the environment is the caller's secret: not echoed.
      const fragment = token.source === 'env' ? '' : `#token=${token.token}`;
      io.stdout.write(`beast: dashboard ${server.url}${fragment}\n`);
      await untilSignal();
      await server.close();
      done(EXIT.ok);
      // server.close() waited for the jobs' processes to end (their exit cleanups end their test
      // runs); the timer fires only if something else, an idle socket, still keeps us alive.
      setTimeout(() => process.exit(), 0).unref();
    });
}
