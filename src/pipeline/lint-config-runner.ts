import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NodeScriptRunner } from '../analysis/index.js';
import { sandboxSettings } from '../core/index.js';
import { runProcess, sandboxUnavailable, testEnvironment } from '../fixes/index.js';

/** Long enough for typescript-eslint's presets to load on a slow machine. */
const DEFAULT_TIMEOUT_MS = 60_000;
/** The answer lists each distinct config once: megabytes mean something is wrong. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}

/**
 * Runs the lint-config script with the repository's own ESLint as the gate runs linters: our Node,
 * the stripped environment of `testEnvironment` with an empty temporary HOME, bubblewrap where it
 * works (the repository read-only, no network), its own process group, a time limit.
 */
export function createLintConfigRunner(
  options: { timeoutMs?: number; node?: string } = {},
): NodeScriptRunner {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const node = options.node ?? process.execPath;
  return async ({ root, script, input }) => {
    // Reading a config that is code runs the repository's code: a scan, unlike improve's gate,
    // does not need to, so it does so only sandboxed, or where the user turned the sandbox off.
    const env = testEnvironment();
    const unsandboxed = sandboxUnavailable(env);
    if (unsandboxed !== undefined && sandboxSettings().mode !== 'off')
      return {
        ok: false,
        reason: `running its code needs the sandbox (bubblewrap), and ${unsandboxed}; BEAST_SANDBOX=off runs it without one`,
      };
    const home = await mkdtemp(path.join(tmpdir(), 'beast-lint-config-'));
    try {
      const result = await runProcess(node, ['-e', script], {
        cwd: root,
        env: { ...env, HOME: home },
        timeoutMs,
        input,
        readOnlyCwd: true,
        maxOutputBytes: MAX_ANSWER_BYTES,
      });
      if (result.timedOut)
        return { ok: false, reason: `ESLint gave no answer within ${timeoutMs / 1000} s` };
      if (result.exitCode !== 0)
        return {
          ok: false,
          reason: lastLine(result.stderr) || `ESLint ended with exit code ${result.exitCode}`,
        };
      if (result.truncated) return { ok: false, reason: 'ESLint answered too much' };
      return { ok: true, stdout: result.stdout };
    } catch (error) {
      return { ok: false, reason: (error as Error).message.split('\n')[0]! };
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  };
}

/**
 * A runner that asks once per root and question: `beast improve` rescans its worktree after every
 * change, and the project's lint config is the one it started with.
 */
export function memoizedLintConfigRunner(runner: NodeScriptRunner): NodeScriptRunner {
  const answers = new Map<string, ReturnType<NodeScriptRunner>>();
  return (request) => {
    const key = JSON.stringify([request.root, request.input]);
    let answer = answers.get(key);
    if (!answer) {
      answer = runner(request);
      answers.set(key, answer);
    }
    return answer;
  };
}
