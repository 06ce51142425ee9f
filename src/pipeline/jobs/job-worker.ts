/*
 * The entry of a job's own process (started by createJobProcesses): runs one job's handler over a
 * store connection of its own, sends its progress and its outcome to the server over IPC, and
 * exits. Like serve.ts it is an entry point, so it owns the process. When the server goes away
 * without stopping it (the IPC channel closes), the job ends as on SIGTERM: the exit cleanups kill
 * its test processes and remove its worktree.
 */
import { describeError, setupProcessIsolation } from '../../core/index.js';
import { openStore } from '../../store/index.js';
import { createJobHandlers } from './handlers.js';
import type { WorkerReply, WorkerRequest } from './processes.js';

let finishing = false;
// The sandbox settings come from the environment inherited from the server (credentials are not in
// it: they arrive with the request).
setupProcessIsolation(process.env);

function send(reply: WorkerReply): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) resolve();
    else process.send?.(reply, undefined, undefined, () => resolve());
  });
}

async function runRequest({ job, dbFile, stateDir, env }: WorkerRequest): Promise<WorkerReply> {
  try {
    const store = await openStore(dbFile);
    try {
      const handlers = createJobHandlers(store, stateDir, env);
      const result = await handlers[job.kind](job, (data) => void send({ type: 'progress', data }));
      return { type: 'result', result };
    } finally {
      await store.close();
    }
  } catch (error) {
    return { type: 'error', message: describeError(error) };
  }
}

process.on('disconnect', () => {
  if (!finishing) process.kill(process.pid, 'SIGTERM');
});
process.once('message', (request: WorkerRequest) => {
  void runRequest(request).then(async (reply) => {
    finishing = true;
    await send(reply);
    // Whatever the job left open (idle sockets, timers) must not keep its process alive.
    process.exit(0);
  });
});
