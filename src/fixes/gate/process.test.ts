import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureSandbox, ValidationError } from '../../core/index.js';
import { runProcess, testEnvironment } from './process.js';
import { isGone, waitFor } from './testing.js';

const node = process.execPath;
let dir: string;

// Process groups as such, checked by pid: in the sandbox a pid the child prints is its PID
// namespace's (see sandbox.test.ts).
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beast-process-'));
  configureSandbox({ mode: 'off', network: false });
});
afterAll(async () => {
  configureSandbox({ mode: 'auto', network: false });
  await rm(dir, { recursive: true, force: true });
});

/** A child that starts a grandchild in its process group, prints its pid, then hangs or exits. */
function spawnsGrandchild(then: 'hang' | 'exit'): string {
  return `
    const { spawn } = require('node:child_process');
    const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    console.log(grandchild.pid);
    ${then === 'hang' ? 'setInterval(() => {}, 1000);' : 'grandchild.unref();'}
  `;
}

describe('runProcess', () => {
  it('captures output and the exit code', async () => {
    const result = await runProcess(
      node,
      ['-e', 'console.log("out"); console.error("err"); process.exit(3)'],
      { cwd: dir, env: testEnvironment(), timeoutMs: 60_000 },
    );
    expect(result).toMatchObject({
      exitCode: 3,
      signal: null,
      timedOut: false,
      stdout: 'out\n',
      stderr: 'err\n',
      truncated: false,
    });
  });

  it('kills a hanging child and its grandchild on timeout', async () => {
    const result = await runProcess(node, ['-e', spawnsGrandchild('hang')], {
      cwd: dir,
      env: testEnvironment(),
      timeoutMs: 3000,
      killGraceMs: 500,
    });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGTERM');
    const grandchild = Number(result.stdout.trim());
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitFor(() => isGone(grandchild))).toBe(true);
  });

  it('ends what a child leaves behind in its group when it exits', async () => {
    const result = await runProcess(node, ['-e', spawnsGrandchild('exit')], {
      cwd: dir,
      env: testEnvironment(),
      timeoutMs: 60_000,
      killGraceMs: 500,
    });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(await waitFor(() => isGone(Number(result.stdout.trim())))).toBe(true);
  });

  it('SIGKILLs a group that ignores SIGTERM', async () => {
    const result = await runProcess(
      node,
      [
        '-e',
        'process.on("SIGTERM", () => {}); console.log(process.pid); setInterval(() => {}, 1000)',
      ],
      { cwd: dir, env: testEnvironment(), timeoutMs: 2000, killGraceMs: 500 },
    );
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
  });

  it('keeps the tail of long output', async () => {
    const result = await runProcess(
      node,
      ['-e', 'process.stdout.write("x".repeat(100000) + "END")'],
      { cwd: dir, env: testEnvironment(), timeoutMs: 60_000, maxOutputBytes: 1000 },
    );
    expect(result.truncated).toBe(true);
    expect(result.stdout).toHaveLength(1000);
    expect(result.stdout.endsWith('xEND')).toBe(true);
  });

  it('writes stdout to a file when asked, uncapped', async () => {
    const file = join(dir, 'out.txt');
    const result = await runProcess(node, ['-e', 'process.stdout.write("y".repeat(5000))'], {
      cwd: dir,
      env: testEnvironment(),
      timeoutMs: 60_000,
      maxOutputBytes: 100,
      stdoutFile: file,
    });
    expect(result.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toHaveLength(5000);
  });

  it('rejects with a ValidationError when the command cannot start', async () => {
    await expect(
      runProcess(join(dir, 'no-such-program'), [], {
        cwd: dir,
        env: testEnvironment(),
        timeoutMs: 60_000,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('does not show our secrets to the child', async () => {
    const env = testEnvironment({ ...process.env, OPENAI_API_KEY: 'sk-test' });
    const result = await runProcess(node, ['-e', 'console.log(JSON.stringify(process.env))'], {
      cwd: dir,
      env,
      timeoutMs: 60_000,
    });
    const seen = JSON.parse(result.stdout) as Record<string, string>;
    expect(seen.OPENAI_API_KEY).toBeUndefined();
    expect(result.stdout).not.toContain('sk-test');
    expect(seen.CI).toBe('1');
  });
});

describe('testEnvironment', () => {
  it('keeps the system basics and drops everything else', () => {
    const env = testEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/me',
      USER: 'me',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
      TMPDIR: '/tmp',
      SystemRoot: 'C:\\Windows',
      OPENAI_API_KEY: 'sk-test',
      ANTHROPIC_API_KEY: 'sk-ant',
      GITHUB_TOKEN: 'ghp_x',
      AWS_SECRET_ACCESS_KEY: 'x',
      BEAST_HOME: '/x',
      NODE_OPTIONS: '--require evil.js',
      npm_config_registry: 'https://example.test',
      VITEST: 'true',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/me',
      USER: 'me',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
      TMPDIR: '/tmp',
      SystemRoot: 'C:\\Windows',
      CI: '1',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    });
  });
});
