import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `script` (TypeScript, through tsx) once per argument list, waits until every child printed
 * "ready", releases them together with "go" on stdin, and waits for them to exit: the way to make
 * processes race for a shared resource such as the store.
 */
export async function runReleasedTogether(
  script: string,
  argLists: readonly (readonly string[])[],
): Promise<ChildResult[]> {
  const children = argLists.map((args) =>
    spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const results = children.map(
    (child) =>
      new Promise<ChildResult>((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
  );
  const ready = children.map(
    (child) =>
      new Promise<void>((resolve, reject) => {
        let seen = '';
        child.stdout.on('data', (chunk: string) => {
          seen += chunk;
          if (seen.includes('ready\n')) resolve();
        });
        child.on('close', () => reject(new Error('a child exited before it was ready')));
      }),
  );
  try {
    await Promise.all(ready);
  } finally {
    for (const child of children) child.stdin.end('go\n');
  }
  return Promise.all(results);
}

/**
 * Live processes (by their pid here) whose command line holds `marker`: the way to find a
 * repository's test process from outside its sandbox, where the pid it sees is its PID
 * namespace's and the files it writes stay inside.
 */
export function markedProcesses(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        return cmdline.includes(marker) && state !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The live processes whose parent is `parent` and whose command line mentions `word` (Linux). */
export function childProcesses(parent: number, word: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === parent && cmdline.includes(word)) found.push(Number(entry));
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}
