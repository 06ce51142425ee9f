import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { withSecrets } from '../../core/index.js';
import { cleanupStaleWorkspaces } from '../../fixes/index.js';
import {
  findRegisteredRepository,
  type JobKind,
  type JobRecord,
  type Store,
} from '../../store/index.js';
import type { JobHandler } from './runner.js';

/** Environment variables, for the API keys configured models name. */
type Env = Readonly<Record<string, string | undefined>>;

/** What the server sends a job's process, once: the job and where its store and state live. */
export interface WorkerRequest {
  job: JobRecord;
  dbFile: string;
  stateDir: string;
  env: Env;
}

/** What a job's process sends back: any number of progress messages, then one outcome. */
export type WorkerReply =
  | { type: 'progress'; data: unknown }
  | { type: 'result'; result: unknown }
  | { type: 'error'; message: string };

export interface JobProcessOptions {
  /** The server's store; read to find a crashed job's repository. */
  store: Store;
  /** The store's database file, which each job's process opens for itself. */
  dbFile: string;
  /** Where worktrees and their locks live. */
  stateDir: string;
  env: Env;
  /** Time between SIGTERM and SIGKILL when the processes are stopped. 5 s. */
  killGraceMs?: number;
  /** The niceness of the jobs' processes (and so of the test runs they start). 10. */
  niceness?: number;
}

/** Job handlers that run each job in a process of its own. */
export interface JobProcesses {
  handlers: Record<JobKind, JobHandler>;
  /** The pids of the jobs' processes that run now. */
  pids(): number[];
  /**
   * Ends every job's process (SIGTERM, which runs its exit cleanups; SIGKILL after the grace period)
   * and resolves once they are gone. Jobs handed over later fail at once.
   */
  close(): Promise<void>;
}

const DEFAULT_GRACE_MS = 5000;

/**
 * What a job's process is sent. The environment goes with the credentials `holdSecrets` took out of
 * it: the job's models need their keys, and the child cannot see this process's memory. They travel
 * over the IPC pipe, never in the child's own environment block (which its tests could read).
 */
export function workerRequest(
  job: JobRecord,
  where: Pick<WorkerRequest, 'dbFile' | 'stateDir' | 'env'>,
): WorkerRequest {
  return { job, dbFile: where.dbFile, stateDir: where.stateDir, env: withSecrets(where.env) };
}
const DEFAULT_NICENESS = 10;
/** Bytes of a job process's stderr kept, for the reason of a crash. */
const STDERR_TAIL = 4096;

/**
 * The worker entry beside this module: the .ts source under tests and tsx, which then needs tsx's
 * loader in the child too, or the built .js (see createPool in analysis for the same choice).
 */
function workerEntry(): { file: string; execArgv: string[] } {
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  // An inspector port is the parent's own: a child asking for the same one would fail to start.
  const inherited = process.execArgv.filter((arg) => !arg.startsWith('--inspect'));
  return {
    file: fileURLToPath(new URL(fromSource ? './job-worker.ts' : './job-worker.js', here)),
    execArgv: fromSource ? [...inherited, '--import', 'tsx'] : inherited,
  };
}

/**
 * Runs jobs off the server's event loop: each job's handler runs in a child process (see
 * job-worker.ts) with its own store connection, so a long scan or improvement never delays a
 * request, and a crash of the job (a native fault in a parser, an out-of-memory kill) ends only
 * that process: the job fails with a one-line reason and the worktree it left is removed.
 */
export function createJobProcesses(options: JobProcessOptions): JobProcesses {
  const { store, dbFile, stateDir, env } = options;
  const graceMs = options.killGraceMs ?? DEFAULT_GRACE_MS;
  const niceness = options.niceness ?? DEFAULT_NICENESS;
  const entry = workerEntry();
  const live = new Map<ChildProcess, Promise<void>>();
  let closed = false;

  /** Removes what a crashed job's process left in its repository; best effort. */
  async function cleanUpAfter(job: JobRecord): Promise<void> {
    if (job.repoId === null) return;
    const repo = await findRegisteredRepository(store, { id: job.repoId }).catch(() => undefined);
    if (repo) await cleanupStaleWorkspaces(repo.root, stateDir).catch(() => undefined);
  }

  const run: JobHandler = (job, progress) => {
    if (closed) return Promise.reject(new Error('the server is stopping; rerun the job'));
    const child = fork(entry.file, [], {
      execArgv: entry.execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    // Jobs are background work: on a machine with few cores, requests get the CPU first.
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, niceness);
      } catch {
        // Not permitted here: the job runs at normal priority.
      }
    }
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    let outcome: Exclude<WorkerReply, { type: 'progress' }> | undefined;
    child.on('message', (reply: WorkerReply) => {
      if (reply.type === 'progress') progress(reply.data);
      else outcome ??= reply;
    });
    let spawnError: Error | undefined;
    // 'close' comes after the last message and after the process is gone, so its exit cleanups ran.
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal }));
      child.on('error', (error) => {
        // A process that never started has nothing to close; later errors (a failed kill) say
        // less than how the process ended.
        if (child.pid !== undefined) return;
        spawnError ??= error;
        resolve({ code: null, signal: null });
      });
    });
    live.set(
      child,
      ended.then(() => undefined),
    );
    const request = workerRequest(job, { dbFile, stateDir, env });
    // A failed send means the process is already gone, and how it ended says why.
    child.send(request, () => undefined);
    return ended.then(async ({ code, signal }) => {
      live.delete(child);
      if (outcome?.type === 'result') return outcome.result;
      if (outcome?.type === 'error') throw new Error(outcome.message);
      if (!closed) await cleanUpAfter(job);
      throw new Error(crashReason(code, signal, spawnError, stderr));
    });
  };

  return {
    handlers: { scan: run, improve: run, refactor: run, tests: run },
    pids: () => [...live.keys()].flatMap((child) => (child.pid === undefined ? [] : [child.pid])),
    async close() {
      closed = true;
      for (const child of live.keys()) {
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
      }
      await Promise.all(live.values());
    },
  };
}

/**
 * One line on why a job's process ended without an outcome: how it ended and, when it printed
 * something, the line that names the error (Node ends an uncaught error's report with the stack
 * and its own version, which say less).
 */
export function crashReason(
  code: number | null,
  signal: NodeJS.Signals | null,
  spawnError: Error | undefined,
  stderr: string,
): string {
  if (spawnError) return `the job's process could not run: ${spawnError.message}`;
  const how = signal === null ? `exit code ${code ?? '?'}` : `killed by ${signal}`;
  const said = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at ') && !/^Node\.js v\d/.test(line))
    .at(-1);
  return `the job's process ended without a result (${how})${said ? `: ${said.slice(0, 200)}` : ''}`;
}
