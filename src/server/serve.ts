import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { InputError } from '../core/index.js';
import { openStore } from '../store/index.js';
import { createJobProcesses, createJobRunner, endLeftoverProcesses } from '../pipeline/index.js';
import { createApp } from './app.js';
import { loadApiToken, type ApiToken } from './auth.js';

export interface ServeOptions {
  /** The store's database file; the token file and worktrees live beside it. */
  dbFile: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Jobs run at once. */
  jobs: number;
  corsOrigin?: string;
  env: Readonly<Record<string, string | undefined>>;
  staticDir?: string;
}

export interface RunningServer {
  /** `http://host:port/`, with the port actually bound. */
  url: string;
  token: ApiToken;
  /** Ids of jobs a previous instance left running, now marked interrupted. */
  interrupted: number[];
  /**
   * Stops accepting connections, marks running jobs interrupted, ends their processes, closes the
   * store.
   */
  close(): Promise<void>;
}

function listen(server: ServerType): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => resolve(server.address() as AddressInfo));
  });
}

/** Opens the store, recovers the job queue and serves the app until `close`. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const store = await openStore(options.dbFile);
  const stateDir = path.dirname(path.resolve(options.dbFile));
  endLeftoverProcesses(stateDir);
  try {
    const token = await loadApiToken(options.env, stateDir);
    // Each job runs in a process of its own, so requests never wait behind a job's work.
    const processes = createJobProcesses({
      store,
      dbFile: path.resolve(options.dbFile),
      stateDir,
      env: options.env,
    });
    const runner = createJobRunner({
      store,
      handlers: processes.handlers,
      concurrency: options.jobs,
    });
    const app = createApp({
      store,
      runner,
      token: token.token,
      env: options.env,
      ...(options.corsOrigin === undefined ? {} : { corsOrigin: options.corsOrigin }),
      ...(options.staticDir === undefined ? {} : { staticDir: options.staticDir }),
    });
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host });
    const address = await listen(server).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(
        `cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`,
        { cause: error },
      );
    });
    // Only once listening: a server that cannot start must not take (or mark) any job.
    const interrupted = await runner.start();
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return {
      url: `http://${host}:${address.port}/`,
      token,
      interrupted,
      async close() {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Event streams hear `done` with the interrupted job, then every connection is ended.
        await runner.stop();
        // Their exit cleanups end the jobs' test processes and remove their worktrees.
        await processes.close();
        if ('closeAllConnections' in server) server.closeAllConnections();
        await closed;
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
