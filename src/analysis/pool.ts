import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { FileAnalysis } from './analyze-file.js';
import analyzeBatch, { type WorkerTask } from './worker.js';

/** Runs analysis batches on worker threads, or inline when one thread is asked for or enough. */
export interface AnalysisPool {
  run(task: WorkerTask): Promise<FileAnalysis[]>;
  /** Stops the threads; later calls do nothing. */
  close(): Promise<void>;
}

export function defaultWorkerCount(): number {
  return availableParallelism();
}

export function createPool(threads: number): AnalysisPool {
  if (threads <= 0) {
    return { run: async (task) => analyzeBatch(task), close: async () => {} };
  }
  const here = import.meta.url;
  // From sources (tests, tsx) the worker is a .ts file and needs tsx's loader in the thread too.
  const fromSource = here.endsWith('.ts');
  const filename = fileURLToPath(new URL(fromSource ? './worker.ts' : './worker.js', here));
  const piscina = new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
    execArgv: fromSource ? [...process.execArgv, '--import', 'tsx'] : process.execArgv,
  });
  let closed: Promise<void> | undefined;
  return {
    run: (task) => piscina.run(task) as Promise<FileAnalysis[]>,
    close: () => (closed ??= piscina.destroy()),
  };
}
