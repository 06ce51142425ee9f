import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test helpers for the gate (not shipped: tsconfig.build.json leaves out `testing.ts`): small
 * repositories in temporary folders whose node_modules is a symlink to this project's, which has
 * vitest, jest, mocha, ava and eslint, as a worktree of `beast improve` links the user's.
 */

/** This project's node_modules. */
export const OUR_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

/** Generous limit for a fixture's test run: a slow shared machine must not make tests flaky. */
export const RUN_TIMEOUT_MS = 120_000;

export interface Fixture {
  root: string;
  write(path: string, content: string): Promise<void>;
  read(path: string): string;
  remove(): Promise<void>;
}

/**
 * Creates a repository from a map of paths to contents (objects are written as JSON), with
 * node_modules linked to ours unless `nodeModules` is false.
 */
export async function createFixture(
  files: Record<string, string | object>,
  options: { nodeModules?: boolean } = {},
): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'beast-gate-'));
  const write = async (path: string, content: string): Promise<void> => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  };
  for (const [path, content] of Object.entries(files)) {
    await write(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  if (options.nodeModules !== false) {
    await symlink(OUR_NODE_MODULES, join(root, 'node_modules'), 'dir');
  }
  return {
    root,
    write,
    read: (path) => readFileSync(join(root, path), 'utf8'),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** Whether a process is gone: no such pid, or a zombie that nobody has reaped yet. */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  // The state follows the command name in parentheses: `123 (node) Z ...`.
  const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
  return state === 'Z' || state === 'X';
}

/** Polls until `check` holds or `timeoutMs` passes; returns the last result. */
/**
 * Live processes whose working folder is `dir`, by their pid here: a sandboxed process's own pid
 * is that of its PID namespace, so a pid it writes down cannot be checked from outside.
 */
export function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readlinkSync(`/proc/${name}/cwd`) === dir;
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter((pid) => !isGone(pid));
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
