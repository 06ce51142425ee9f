/*
 * Synchronous cleanups for when this process ends before its work does: the process groups of a
 * repository's test runs (detached, so our signal never reaches them) and the worktree and branch of
 * an unfinished `beast improve`. They run at exit, and on SIGINT, SIGTERM or SIGHUP that the program
 * does not handle itself, after which the process dies of that signal as it would have without us.
 * A program that handles the signal (`beast serve` shuts down gracefully) gets them when it exits.
 */

/** When a cleanup runs relative to the others: lower first. */
export const EXIT_STAGE = { processes: 0, workspaces: 1 } as const;

interface Cleanup {
  stage: number;
  run: () => void;
}

const cleanups = new Set<Cleanup>();
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let hooked = false;

/** Runs every registered cleanup once, by stage, then registration; a failing one does not stop the rest. */
export function runExitCleanups(): void {
  const pending = [...cleanups].sort((a, b) => a.stage - b.stage);
  cleanups.clear();
  for (const cleanup of pending) {
    try {
      cleanup.run();
    } catch {
      // Best effort: the process is ending and has nobody left to tell.
    }
  }
}

function onEndingSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  runExitCleanups();
  for (const s of ENDING_SIGNALS) process.off(s, onEndingSignal);
  process.kill(process.pid, signal);
}

/**
 * Registers a synchronous cleanup for an ending process; returns the function that unregisters it
 * (call it when the work finished normally).
 */
export function onExit(run: () => void, stage: number = EXIT_STAGE.processes): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', runExitCleanups);
    // First in line, so it counts the program's own handlers before any of them removes itself.
    for (const s of ENDING_SIGNALS) process.prependListener(s, onEndingSignal);
  }
  const cleanup: Cleanup = { stage, run };
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
