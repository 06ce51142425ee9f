import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureSandbox, ValidationError } from '../../core/index.js';
import { runProcess, testEnvironment } from './process.js';
import { sandboxWarnings, wrapCommand } from './sandbox.js';

// Real bubblewrap (installed by scripts/install-sandbox.sh); folders under /var/tmp, since the
// sandbox's /tmp is its own.
const node = process.execPath;
let dir: string;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp('/var/tmp/beast-sandbox-');
  server = createServer((_, res) => res.end('reached'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => configureSandbox({ mode: 'auto', network: false }));

async function inSandbox(script: string, env = testEnvironment()): Promise<string> {
  const result = await runProcess(node, ['-e', script], {
    cwd: dir,
    env,
    timeoutMs: 60_000,
  });
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

describe('the sandbox of runProcess', () => {
  it('shows its own processes only, with bwrap and the stripped environment as pid 1', async () => {
    const seen = JSON.parse(
      await inSandbox(`
        const fs = require('node:fs');
        console.log(JSON.stringify({
          pids: fs.readdirSync('/proc').filter((n) => /^\\d+$/.test(n)).map(Number),
          init: fs.readFileSync('/proc/1/cmdline', 'utf8').split('\\0')[0],
          initEnv: fs.readFileSync('/proc/1/environ', 'utf8'),
        }));`),
    ) as { pids: number[]; init: string; initEnv: string };
    expect(seen.pids).not.toContain(process.pid);
    expect(Math.max(...seen.pids)).toBeLessThan(10);
    expect(seen.init).toMatch(/^\/.*\/bwrap$/);
    expect(seen.initEnv).toContain('CI=1');
    expect(seen.initEnv).not.toContain('BEAST_');
  });

  it('writes only in its folder; the rest is read-only, $HOME and /tmp are empty', async () => {
    const home = await mkdtemp('/var/tmp/beast-sandbox-home-');
    writeFileSync(join(home, '.netrc'), 'machine example.com password hunter2');
    const seen = JSON.parse(
      await inSandbox(
        `
        const fs = require('node:fs');
        const os = require('node:os');
        const tryWrite = (f) => { try { fs.writeFileSync(f, 'x'); return 'ok'; } catch (e) { return e.code; } };
        console.log(JSON.stringify({
          here: tryWrite('inside.txt'),
          etc: tryWrite('/etc/beast-sandbox-test'),
          home: fs.readdirSync(os.homedir()),
          tmp: fs.readdirSync('/tmp'),
        }));`,
        { ...testEnvironment(), HOME: home },
      ),
    ) as Record<string, unknown>;
    await rm(home, { recursive: true, force: true });
    expect(seen).toEqual({ here: 'ok', etc: 'EROFS', home: [], tmp: [] });
  });

  it('has no network unless BEAST_SANDBOX_NETWORK allows it', async () => {
    const fetchIt = `fetch(${JSON.stringify(url)}).then((r) => r.text(), (e) => e.cause?.code ?? e.message).then(console.log)`;
    expect(await inSandbox(fetchIt)).toBe('ECONNREFUSED');
    configureSandbox({ mode: 'auto', network: true });
    expect(await inSandbox(fetchIt)).toBe('reached');
  });

  it('runs without a sandbox when told to, and says so', async () => {
    configureSandbox({ mode: 'off', network: false });
    const pid = Number(await inSandbox('console.log(process.ppid)'));
    // setpriv execs the command: its parent is this process.
    expect(pid).toBe(process.pid);
    expect(sandboxWarnings()).toEqual([expect.stringContaining('(BEAST_SANDBOX=off)')]);
  });
});

describe('wrapCommand', () => {
  it('refuses to run unsandboxed when BEAST_SANDBOX=bwrap and bwrap cannot run', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'bwrap'), '#!/bin/sh\necho "bwrap: no namespaces" >&2\nexit 1\n');
    chmodSync(join(bin, 'bwrap'), 0o755);
    const ours = process.env.PATH;
    // bwrap is looked up on our own PATH, never the command's.
    process.env.PATH = `${bin}:${ours ?? ''}`;
    try {
      configureSandbox({ mode: 'bwrap', network: false });
      const env = testEnvironment();
      const paths = { writable: [dir], readOnly: [], hidden: [] };
      expect(() => wrapCommand(node, [], { cwd: dir, env, paths })).toThrow(ValidationError);
      expect(() => wrapCommand(node, [], { cwd: dir, env, paths })).toThrow(
        'BEAST_SANDBOX=bwrap, but bwrap fails: bwrap: no namespaces',
      );
      configureSandbox({ mode: 'auto', network: false });
      expect(wrapCommand(node, ['-v'], { cwd: dir, env, paths })).toEqual({
        command: expect.stringMatching(/^\/.*\/setpriv$/) as unknown,
        args: ['--pdeathsig', 'SIGKILL', '--', node, '-v'],
        isolation: 'setpriv',
      });
    } finally {
      process.env.PATH = ours;
      configureSandbox({ mode: 'auto', network: false });
    }
  });

  it("never takes bwrap or setpriv from the command's PATH (a repository's node_modules/.bin)", () => {
    const bin = join(dir, 'repo-bin');
    mkdirSync(bin, { recursive: true });
    for (const name of ['bwrap', 'setpriv']) {
      writeFileSync(join(bin, name), '#!/bin/sh\nexit 0\n');
      chmodSync(join(bin, name), 0o755);
    }
    const env = { ...testEnvironment(), PATH: `${bin}:${process.env.PATH ?? ''}` };
    const paths = { writable: [dir], readOnly: [], hidden: [] };
    const wrapped = wrapCommand(node, ['-v'], { cwd: dir, env, paths });
    expect(wrapped.command).not.toContain(bin);
    expect(isAbsolute(wrapped.command)).toBe(true);
  });
});
