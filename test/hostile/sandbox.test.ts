import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/fixes/gate/testing.js';
import { makeImproveFixture } from '../helpers/improve-fixture.js';
import { childProcesses, markedProcesses } from '../helpers/processes.js';
import { BIN, beast, git } from '../helpers/repo.js';
import { client, startServe, stopServers } from '../helpers/serve.js';

// A hostile repository's tests against BEAST MODE's keys and life: run in bubblewrap, they must
// see neither our environment (through /proc), nor $HOME, nor the store, nor the network, and
// they must not outlive us. Folders live under /var/tmp, not /tmp: the sandbox's private /tmp
// would hide them whatever else it does, and hiding $HOME and the store is what is tested.

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(stopServers);
afterAll(async () => {
  for (const run of cleanup.reverse()) await run();
});

const PLANT = 'PLANTED';

/** 18 credentials of the shapes people keep in their environment, each value marked. */
const PLANTED_KEYS: Record<string, string> = {
  OPENAI_API_KEY: `sk-${PLANT}-openai-0123456789abcdef`,
  ANTHROPIC_API_KEY: `sk-ant-${PLANT}-anthropic`,
  AZURE_OPENAI_API_KEY: `${PLANT}-azure`,
  AWS_ACCESS_KEY_ID: `AKIA${PLANT}AWSID`,
  AWS_SECRET_ACCESS_KEY: `${PLANT}/aws+secret`,
  AWS_SESSION_TOKEN: `${PLANT}-aws-session`,
  GITHUB_TOKEN: `ghp_${PLANT}github`,
  GH_TOKEN: `gho_${PLANT}gh`,
  NPM_TOKEN: `npm_${PLANT}`,
  NODE_AUTH_TOKEN: `${PLANT}-node-auth`,
  SLACK_BOT_TOKEN: `xoxb-${PLANT}-slack`,
  STRIPE_SECRET_KEY: `sk_live_${PLANT}`,
  HF_TOKEN: `hf_${PLANT}`,
  DB_PASSWORD: `${PLANT}-db-password`,
  DATABASE_URL: `postgres://app:${PLANT}-pw@db.internal:5432/app`,
  SENTRY_DSN: `https://${PLANT}@o0.ingest.sentry.io/1`,
  PRIVATE_KEY_PEM: `-----BEGIN PRIVATE KEY-----\n${PLANT}\n-----END PRIVATE KEY-----`,
  my_llm_credential: `${PLANT}-lowercase`,
};

/** A folder under /var/tmp, removed after the file's tests. */
async function varTmp(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join('/var/tmp', prefix));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The spy: a node:test test that reads every /proc/<pid>/environ and cmdline it can, $HOME, the
 * store and a local HTTP server, writes all of it raw to `spy-report.json` in its working folder
 * (the worktree) and waits there until the test outside has read it.
 */
const SPY = `import { test } from 'node:test';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';

const read = (file) => {
  try {
    return readFileSync(file).subarray(0, 65536).toString('latin1');
  } catch (error) {
    return '!' + error.code;
  }
};
const list = (dir) => {
  try {
    return readdirSync(dir);
  } catch (error) {
    return ['!' + error.code];
  }
};

test('spy', async () => {
  const targets = JSON.parse(readFileSync('spy-targets.json', 'utf8'));
  const proc = {};
  for (const pid of readdirSync('/proc').filter((name) => /^\\d+$/.test(name))) {
    proc[pid] = { environ: read('/proc/' + pid + '/environ'), cmdline: read('/proc/' + pid + '/cmdline') };
  }
  const files = {};
  for (const file of targets.files) files[file] = read(file);
  const network = await fetch(targets.url).then(
    (response) => response.text(),
    (error) => '!' + (error.cause?.code ?? error.message),
  );
  const found = { self: process.pid, env: process.env, proc, files, home: list(homedir()), store: list(targets.store), network };
  writeFileSync('spy-report.json.part', JSON.stringify(found));
  renameSync('spy-report.json.part', 'spy-report.json');
  while (!existsSync('spy-ack')) await new Promise((resolve) => setTimeout(resolve, 50));
});
`;

interface SpyReport {
  self: number;
  env: Record<string, string>;
  proc: Record<string, { environ: string; cmdline: string }>;
  files: Record<string, string>;
  home: string[];
  store: string[];
  network: string;
}

/** A local server whose answer is marked: reaching it means the network was open. */
async function markedServer(): Promise<string> {
  const server: HttpServer = createServer((_, res) => res.end(`${PLANT}-network`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

interface SpySetup {
  repo: string;
  home: string;
  beastHome: string;
  env: Record<string, string>;
}

/**
 * The improve fixture with the spy, inside a $HOME that holds a marked file, and a BEAST_HOME
 * outside both /tmp and $HOME; the environment plants the keys.
 */
async function spySetup(): Promise<SpySetup> {
  const home = await varTmp('beast-sandbox-home-');
  writeFileSync(path.join(home, '.netrc'), `machine example.com password ${PLANT}-netrc\n`);
  const beastHome = await varTmp('beast-sandbox-store-');
  const fixture = await makeImproveFixture(1);
  cleanup.push(() => rm(fixture, { recursive: true, force: true }));
  // Under $HOME, as users' repositories usually are: it must stay readable in the sandbox.
  const repo = path.join(home, 'code', 'repo');
  cpSync(fixture, repo, { recursive: true });
  writeFileSync(path.join(repo, 'test/spy.test.js'), SPY);
  writeFileSync(
    path.join(repo, 'spy-targets.json'),
    JSON.stringify({
      files: [
        path.join(home, '.netrc'),
        path.join(beastHome, 'beast.db'),
        path.join(beastHome, 'api-token'),
      ],
      store: beastHome,
      url: await markedServer(),
    }),
  );
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'a curious test');
  return {
    repo,
    home,
    beastHome,
    env: { ...PLANTED_KEYS, HOME: home, BEAST_HOME: beastHome, NO_COLOR: '1' },
  };
}

/** Waits for the spy's report in a worktree under `beastHome`, reads it and lets the spy go on. */
async function spyReport(beastHome: string): Promise<SpyReport> {
  const worktrees = path.join(beastHome, 'worktrees');
  let file: string | undefined;
  const seen = await waitFor(() => {
    const dirs = existsSync(worktrees) ? readdirSync(worktrees) : [];
    file = dirs.map((d) => path.join(worktrees, d, 'spy-report.json')).find((f) => existsSync(f));
    return file !== undefined;
  }, 120_000);
  expect(seen).toBe(true);
  const report = JSON.parse(readFileSync(file!, 'utf8')) as SpyReport;
  writeFileSync(path.join(path.dirname(file!), 'spy-ack'), '');
  return report;
}

function improve(
  repo: string,
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string }> } {
  const child = spawn(process.execPath, [BIN, 'improve', repo, '--json'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout })),
  );
  return { child, done };
}

/** Every planted value (and the marked file and server) the spy's report holds. */
function leaks(report: SpyReport): string[] {
  const text = JSON.stringify(report);
  const found = Object.entries(PLANTED_KEYS)
    .filter(([, value]) => text.includes(JSON.stringify(value).slice(1, -1)))
    .map(([name]) => name);
  if (text.includes(`${PLANT}-netrc`)) found.push('$HOME/.netrc');
  if (text.includes(`${PLANT}-network`)) found.push('network');
  return found;
}

function expectSandboxed(report: SpyReport, setup: SpySetup): void {
  expect(leaks(report)).toEqual([]);
  // The spy did look: its own PID namespace, where bwrap (with the stripped environment) is pid 1.
  expect(Object.keys(report.proc).length).toBeGreaterThan(0);
  expect(report.proc['1']?.cmdline).toMatch(/^\/.*\/bwrap\0/);
  expect(report.proc['1']?.environ).toContain('CI=1');
  expect(report.env.CI).toBe('1');
  // $HOME is empty but for the way to the repository, shown again read-only.
  expect(report.home).toEqual(['code']);
  // The store's folder likewise: only the way to this run's worktree; no database, no token.
  expect(report.store).toEqual(['worktrees']);
  for (const file of Object.keys(report.files)) expect(report.files[file]).toBe('!ENOENT');
  expect(report.network).toMatch(/^!/);
  expect(report.files[path.join(setup.home, '.netrc')]).toBe('!ENOENT');
}

describe('the repository commands run in a sandbox', () => {
  it('a bad BEAST_SANDBOX is a usage error, before anything runs', () => {
    const result = beast(['scan', '.'], { env: { BEAST_SANDBOX: 'maybe' } });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: environment BEAST_SANDBOX: expected one of auto, bwrap, off, got "maybe"\n',
    });
  });

  it('beast improve: a test sees none of 18 planted keys, $HOME, the store or the network', async () => {
    const setup = await spySetup();
    const run = improve(setup.repo, setup.env);
    const report = await spyReport(setup.beastHome);
    const { code, stdout } = await run.done;
    expectSandboxed(report, setup);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { warnings: string[]; checks: { name: string }[] };
    expect(result.warnings.join('\n')).not.toMatch(/without a sandbox/);
    expect(stdout).not.toContain(PLANT);
  }, 300_000);

  it('beast serve: a job\u2019s test sees none of the planted keys either', async () => {
    const setup = await spySetup();
    const token = `${PLANT}-api-token-0123456789`;
    const server = await startServe(setup.beastHome, { ...setup.env, BEAST_API_TOKEN: token });
    const call = client(server, token);
    expect((await call('POST', '/api/repos', { path: setup.repo })).status).toBe(201);
    expect((await call('POST', '/api/self-improvement/improve', { repo: setup.repo })).status).toBe(
      202,
    );
    const report = await spyReport(setup.beastHome);
    expectSandboxed(report, setup);
    expect(JSON.stringify(report)).not.toContain(token);
  }, 300_000);

  it('without a usable bwrap, says so in the report, and then the spy does read our keys', async () => {
    const setup = await spySetup();
    // A bwrap that cannot create namespaces, as in a locked-down container.
    const bin = await varTmp('beast-sandbox-bin-');
    writeFileSync(
      path.join(bin, 'bwrap'),
      '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n',
    );
    chmodSync(path.join(bin, 'bwrap'), 0o755);
    const run = improve(setup.repo, { ...setup.env, PATH: `${bin}:${process.env.PATH ?? ''}` });
    const report = await spyReport(setup.beastHome);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { warnings: string[] };
    expect(result.warnings).toContainEqual(
      expect.stringMatching(
        /^the repository's tests and linter ran without a sandbox \(bwrap fails: bwrap: No permissions to create new namespace\)/,
      ),
    );
    // Measured: moving the keys out of process.env does not erase the environment block the
    // process started with, which /proc/<pid>/environ shows. Only the sandbox hides it.
    const beast = Object.values(report.proc).find((p) =>
      p.cmdline.includes(`improve\0${setup.repo}`),
    );
    expect(beast?.environ).toContain(PLANTED_KEYS.OPENAI_API_KEY);
    expect(leaks(report)).toEqual(expect.arrayContaining(['$HOME/.netrc', 'network']));
    // What the test runner itself was given is still stripped.
    expect(JSON.stringify(report.env)).not.toContain(PLANT);
  }, 300_000);
});

/** A test that starts a process marked by `marker`, detached or in its group, and then hangs. */
function orphanTest(marker: string, detached: boolean): string {
  return `import { test } from 'node:test';
import { spawn } from 'node:child_process';
test('leaves a process behind', async () => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ${JSON.stringify(marker)}], { detached: ${detached}, stdio: 'ignore' });
  child.unref();
  await new Promise(() => setInterval(() => {}, 1000));
});
`;
}

const marked = markedProcesses;

async function orphanRepo(detached: boolean): Promise<{ repo: string; marker: string }> {
  const marker = `beast-orphan-${process.pid}-${Math.random().toString(36).slice(2)}`;
  cleanup.push(() => {
    for (const pid of marked(marker)) process.kill(pid, 'SIGKILL');
  });
  const repo = await makeImproveFixture(1);
  cleanup.push(() => rm(repo, { recursive: true, force: true }));
  writeFileSync(path.join(repo, 'test/orphan.test.js'), orphanTest(marker, detached));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'a test that leaves a process behind');
  return { repo, marker };
}

describe('the repository commands do not outlive beast', () => {
  it('a detached grandchild of a test dies when beast improve is killed with SIGKILL', async () => {
    const { repo, marker } = await orphanRepo(true);
    const beastHome = await varTmp('beast-orphan-store-');
    const run = improve(repo, { BEAST_HOME: beastHome });
    expect(await waitFor(() => marked(marker).length > 0, 120_000)).toBe(true);
    run.child.kill('SIGKILL');
    await run.done;
    expect(await waitFor(() => marked(marker).length === 0)).toBe(true);
  }, 300_000);

  it('a detached grandchild of a job\u2019s test dies when beast serve is killed with SIGKILL', async () => {
    const { repo, marker } = await orphanRepo(true);
    const beastHome = await varTmp('beast-orphan-store-');
    const token = 'orphan-test-token';
    const server = await startServe(beastHome, { BEAST_API_TOKEN: token });
    const call = client(server, token);
    expect((await call('POST', '/api/repos', { path: repo })).status).toBe(201);
    expect((await call('POST', '/api/self-improvement/improve', { repo })).status).toBe(202);
    expect(await waitFor(() => marked(marker).length > 0, 120_000)).toBe(true);
    server.child.kill('SIGKILL');
    await server.exited;
    expect(await waitFor(() => marked(marker).length === 0)).toBe(true);
  }, 300_000);

  it('without a sandbox, the next run ends the group a killed run left behind', async () => {
    // In its group, not detached: setpriv's parent-death signal reaches the runner alone.
    const { repo, marker } = await orphanRepo(false);
    const beastHome = await varTmp('beast-orphan-store-');
    const env = { BEAST_HOME: beastHome, BEAST_SANDBOX: 'off' };
    const run = improve(repo, env);
    expect(await waitFor(() => marked(marker).length > 0, 120_000)).toBe(true);
    run.child.kill('SIGKILL');
    await run.done;
    const records = path.join(beastHome, 'worktrees');
    const groups = readdirSync(records).filter((name) => name.endsWith('.groups'));
    expect(groups).toHaveLength(1);
    expect(readdirSync(path.join(records, groups[0]!))).toHaveLength(1);
    // Still there: nothing ties it to the killed run...
    expect(marked(marker).length).toBeGreaterThan(0);
    // ...until the next run (of another repository, with the same store) starts.
    const other = await makeImproveFixture(1);
    cleanup.push(() => rm(other, { recursive: true, force: true }));
    const next = improve(other, env);
    expect((await next.done).code).toBe(0);
    expect(marked(marker)).toEqual([]);
    expect(readdirSync(path.join(records, groups[0]!))).toEqual([]);
  }, 300_000);

  it('without a sandbox, a restarted server ends the group a killed server left behind', async () => {
    const { repo, marker } = await orphanRepo(false);
    const beastHome = await varTmp('beast-orphan-store-');
    const token = 'orphan-test-token';
    const env = { BEAST_API_TOKEN: token, BEAST_SANDBOX: 'off' };
    const first = await startServe(beastHome, env);
    const call = client(first, token);
    expect((await call('POST', '/api/repos', { path: repo })).status).toBe(201);
    expect((await call('POST', '/api/self-improvement/improve', { repo })).status).toBe(202);
    expect(await waitFor(() => marked(marker).length > 0, 120_000)).toBe(true);
    // The server and its job's process die at once (the job's process would otherwise hear its
    // channel close and end its test run itself).
    const [worker] = childProcesses(first.child.pid!, 'job-worker');
    expect(worker).toBeDefined();
    first.child.kill('SIGKILL');
    process.kill(worker!, 'SIGKILL');
    await first.exited;
    expect(marked(marker).length).toBeGreaterThan(0);
    await startServe(beastHome, env);
    expect(marked(marker)).toEqual([]);
  }, 300_000);
});
