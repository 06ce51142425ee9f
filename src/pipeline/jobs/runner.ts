import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { describeError } from '../../core/index.js';
import {
  claimNextJob,
  createJob,
  finishJob,
  getJob,
  interruptJobs,
  setJobProgress,
  type JobKind,
  type JobRecord,
  type Store,
} from '../../store/index.js';

/** What a job's subscribers hear: progress data, status changes, and the final job once. */
export type JobEvent =
  | { type: 'progress'; data: unknown }
  | { type: 'status'; job: JobRecord }
  | { type: 'done'; job: JobRecord };

/** Runs one job; reports progress through `progress`; its return value is the job's result. */
export type JobHandler = (job: JobRecord, progress: (data: unknown) => void) => Promise<unknown>;

export interface JobRunnerOptions {
  store: Store;
  handlers: Record<JobKind, JobHandler>;
  /** Jobs run at once; default 1. */
  concurrency?: number;
}

/** The persistent job queue of one server instance. */
export interface JobRunner {
  /** This instance's id, the `owner` of the jobs it runs. */
  readonly owner: string;
  /**
   * Marks jobs that a dead instance left running as interrupted (their queued jobs stay queued and
   * run here), then starts taking jobs. Returns the ids marked interrupted.
   */
  start(): Promise<number[]>;
  enqueue(job: { kind: JobKind; repoId: number | null; params: unknown }): Promise<JobRecord>;
  /** Listens to one job's events; returns the function that stops listening. */
  subscribe(id: number, listener: (event: JobEvent) => void): () => void;
  /** Resolves once no job is running and none is queued. */
  idle(): Promise<void>;
  /** Takes no more jobs and marks the running ones interrupted; returns their ids. */
  stop(): Promise<number[]>;
  running(): number;
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store, handlers } = options;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const events = createJobEvents();
  let active = 0;
  let started = false;
  let stopped = false;
  let pumping = false;
  let idleWaiters: (() => void)[] = [];
  const context: RunContext = {
    store,
    handlers,
    owner,
    emit: events.emit,
    stopped: () => stopped,
  };

  /** Takes queued jobs while the limit allows, then wakes `idle()` callers if nothing runs. */
  async function pump(): Promise<void> {
    if (pumping || !started) return;
    pumping = true;
    try {
      while (!stopped && active < concurrency) {
        const job = await claimNextJob(store, owner);
        if (!job) break;
        active++;
        void runJob(job, context).finally(() => {
          active--;
          void pump();
        });
      }
    } finally {
      pumping = false;
    }
    if (active > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  return {
    owner,
    async start() {
      const interrupted = await interruptJobs(
        store,
        { except: owner },
        'the server stopped while the job was running; rerun it',
      );
      started = true;
      await pump();
      return interrupted;
    },
    async enqueue(job) {
      const created = await createJob(store, job);
      void pump();
      return created;
    },
    subscribe: events.subscribe,
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        void pump();
      });
    },
    async stop() {
      stopped = true;
      return interruptOwnJobs(context);
    },
    running: () => active,
  };
}

/** The listeners of each job's events. */
function createJobEvents(): Pick<JobRunner, 'subscribe'> & {
  emit(id: number, event: JobEvent): void;
} {
  const listeners = new Map<number, Set<(event: JobEvent) => void>>();
  return {
    emit(id, event) {
      for (const listener of listeners.get(id) ?? []) listener(event);
    },
    subscribe(id, listener) {
      let set = listeners.get(id);
      if (!set) listeners.set(id, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(id);
      };
    },
  };
}

/** What running one job needs from its runner. */
interface RunContext {
  store: Store;
  handlers: Record<JobKind, JobHandler>;
  owner: string;
  emit(id: number, event: JobEvent): void;
  /** True once the runner is stopping: the job is then marked interrupted, not finished. */
  stopped(): boolean;
}

/**
 * Runs one claimed job: emits its status, saves and emits its progress, records its result or
 * error, and emits the final job unless the runner stopped meanwhile.
 */
async function runJob(job: JobRecord, context: RunContext): Promise<void> {
  const { store, handlers, owner, emit, stopped } = context;
  emit(job.id, { type: 'status', job });
  const saver = createProgressSaver((data) => setJobProgress(store, job.id, data), stopped);
  const progress = (data: unknown): void => {
    emit(job.id, { type: 'progress', data });
    saver.push(data);
  };
  let final: JobRecord | undefined;
  try {
    const result = await handlers[job.kind](job, progress);
    await saver.flush();
    final = await finishJob(store, job.id, owner, { status: 'succeeded', result });
  } catch (error) {
    if (stopped()) return;
    // The job's own error is the one to report, not a failed progress save.
    await saver.flush().catch(() => undefined);
    final = await finishJob(store, job.id, owner, {
      status: 'failed',
      error: describeError(error),
    });
  }
  // Undefined when the job was marked interrupted meanwhile (the server is stopping).
  if (stopped()) return;
  final ??= await getJob(store, job.id);
  if (!final) return;
  emit(job.id, { type: 'status', job: final });
  emit(job.id, { type: 'done', job: final });
}

/** Marks the runner's running jobs interrupted and sends their subscribers the final job. */
async function interruptOwnJobs({ store, owner, emit }: RunContext): Promise<number[]> {
  const ids = await interruptJobs(
    store,
    { owner },
    'the server was stopped while the job was running; rerun it',
  );
  for (const id of ids) {
    const job = await getJob(store, id);
    if (job) emit(id, { type: 'done', job });
  }
  return ids;
}

/**
 * Saves a job's progress in order, and all of it before `flush` resolves, so a reader never sees
 * it go back; while one save runs, newer events replace the one waiting (a scan reports every
 * file). `flush` rethrows the first failed save. Nothing is saved once `stopped` says so.
 */
function createProgressSaver(
  save: (data: unknown) => Promise<void>,
  stopped: () => boolean,
): { push(data: unknown): void; flush(): Promise<void> } {
  let waiting: { data: unknown } | undefined;
  let saving: Promise<void> | undefined;
  let failure: { error: unknown } | undefined;
  const drain = async (): Promise<void> => {
    for (let next = waiting; next !== undefined; next = waiting) {
      waiting = undefined;
      await save(next.data);
    }
  };
  const kick = (): void => {
    if (saving || !waiting || stopped()) return;
    saving = drain()
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        saving = undefined;
        kick();
      });
  };
  return {
    push(data) {
      waiting = { data };
      kick();
    },
    async flush() {
      while (saving) await saving;
      if (failure) throw failure.error;
    },
  };
}
