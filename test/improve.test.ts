import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/analysis/index.js';
import { createCodemodsModel } from '../src/models/index.js';
import { runImprove, type ImproveReport } from '../src/pipeline/index.js';
import { openStore, listImproveRuns, listProposals } from '../src/store/index.js';
import { createSaboteurModel, makeImproveFixture } from './helpers/improve-fixture.js';
import { BIN, PROJECT_ROOT, beast, git, makeRepo } from './helpers/repo.js';

/** Every file of the working tree (not .git) with its hash, plus git's view of the user's state. */
async function userState(repo: string): Promise<string> {
  const entries: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        const hash = createHash('sha256')
          .update(await readFile(full))
          .digest('hex');
        entries.push(`${path.relative(repo, full)} ${hash}`);
      }
    }
  };
  await walk(repo);
  return [
    ...entries.sort(),
    git(repo, 'status', '--porcelain=v2', '--branch', '--untracked-files=all'),
    git(repo, 'stash', 'list'),
    git(repo, 'diff', '--cached'),
    git(repo, 'rev-parse', 'HEAD'),
    git(repo, 'symbolic-ref', 'HEAD'),
  ].join('\n');
}

/** Runs the repository's tests on a branch, in a scratch clone. */
function testsPassOn(repo: string, branch: string): boolean {
  const clone = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '-q', '--branch', branch, repo, clone]);
  try {
    execFileSync(process.execPath, ['--test', 'test/'], { cwd: clone, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

async function stateDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'beast-improve-state-'));
}

describe('beast improve end to end', () => {
  it('fixes findings on a branch, tests pass there, and the user state is untouched', async () => {
    const repo = await makeImproveFixture(3);
    // A dirty working tree, a staged change and a stash: all must survive byte for byte.
    await writeFile(path.join(repo, 'notes.txt'), 'untracked\n');
    await writeFile(path.join(repo, 'src/mod0.js'), 'export const stashed = 1;\n');
    git(repo, 'stash', '-q');
    await writeFile(path.join(repo, 'src/mod1.js'), '// staged edit\n', { flag: 'a' });
    git(repo, 'add', 'src/mod1.js');
    await writeFile(path.join(repo, 'src/mod2.js'), '// unstaged edit\n', { flag: 'a' });
    const before = await userState(repo);
    const home = await stateDir();

    const result = beast(['improve', repo, '--json'], { env: { BEAST_HOME: home } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ImproveReport;

    expect(await userState(repo)).toBe(before);
    expect(report.status).toBe('delivered');
    expect(report.dirty).toBe(true);
    expect(report.warnings.join(' ')).toMatch(/uncommitted changes/);
    expect(report.findingsFixed).toBe(12);
    expect(report.changes.every((c) => c.status === 'accepted')).toBe(true);
    expect(report.after.findings).toBe(0);
    expect(report.after.score).toBeGreaterThan(report.before.score);
    expect(report.checks.find((c) => c.name === 'tests')?.ran).toBe(true);
    expect(report.checks.find((c) => c.name === 'typecheck')?.ran).toBe(true);

    const branch = report.branch!;
    expect(branch).toMatch(/^beast\/improve-\d{8}-[0-9a-f]{6}$/);
    const commits = git(repo, 'log', '--format=%an|%s', `${report.base}..${branch}`).trim();
    expect(commits.split('\n')).toHaveLength(12);
    expect(commits).toMatch(/^BEAST MODE\|prefer-/m);
    expect(testsPassOn(repo, branch)).toBe(true);
    // A fresh scan of the branch: no findings at all, so none new either.
    const clone = await mkdtemp(path.join(tmpdir(), 'beast-branch-'));
    execFileSync('git', ['clone', '-q', '--branch', branch, repo, clone]);
    expect((await scan(clone)).findings).toEqual([]);
    expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);

    // Recorded with its evidence, and shown by beast status.
    const store = await openStore(path.join(home, 'beast.db'));
    try {
      const [run] = await listImproveRuns(store, repo);
      expect(run).toMatchObject({ accepted: 12, rejected: 0, status: 'delivered' });
      const proposals = await listProposals(store, run!.id);
      expect(proposals[0]?.evidence).toMatchObject({
        status: 'accepted',
        model: 'builtin:codemods',
      });
    } finally {
      await store.close();
    }
    const status = beast(['status', repo], { env: { BEAST_HOME: home } });
    expect(status.stdout).toMatch(/builtin:codemods/);
    expect(status.stdout).toMatch(/prefer-template/);
  }, 120_000);

  it('prints the diff on --dry-run and keeps nothing; --patch writes a patch', async () => {
    const repo = await makeImproveFixture(1);
    const home = await stateDir();
    const patch = path.join(home, 'out.patch');
    const result = beast(['improve', repo, '--dry-run', '--patch', patch, '--quiet'], {
      env: { BEAST_HOME: home },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/dry run/);
    expect(result.stdout).toMatch(/^\+.*`\$\{prefix\}:\$\{name\}`/m);
    expect(git(repo, 'branch', '--list', 'beast/*').trim()).toBe('');
    const text = await readFile(patch, 'utf8');
    expect(text).toMatch(/^diff --git a\/src\/mod0.js/m);
    execFileSync('git', ['apply', '--check', patch], { cwd: repo });
  }, 60_000);

  it('applies nothing when the tests cannot run, unless --allow-unvalidated', async () => {
    const repo = await makeRepo({ 'src/a.js': "let a = 'x';\nexport const b = a + 'y';\n" });
    const home = await stateDir();
    const refused = beast(['improve', repo, '--json'], { env: { BEAST_HOME: home } });
    const report = JSON.parse(refused.stdout) as ImproveReport;
    expect(report.status).toBe('unvalidated');
    expect(report.checks.find((c) => c.name === 'tests')).toMatchObject({ ran: false });
    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.changes.every((c) => c.status === 'withheld')).toBe(true);
    expect(git(repo, 'branch', '--list', 'beast/*').trim()).toBe('');

    const allowed = beast(['improve', repo, '--json', '--allow-unvalidated'], {
      env: { BEAST_HOME: home },
    });
    const applied = JSON.parse(allowed.stdout) as ImproveReport;
    expect(applied.status).toBe('delivered');
    expect(applied.findingsFixed).toBeGreaterThan(0);
  }, 60_000);

  it('exits 2 with one line for a folder that is not a git repository', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'beast-nogit-'));
    const result = beast(['improve', dir], { env: { BEAST_HOME: dir } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/not inside a git repository/);
  });

  it('keeps secrets from the test processes', async () => {
    const repo = await makeImproveFixture(1);
    const probe = path.join(await stateDir(), 'env.json');
    await writeFile(
      path.join(repo, 'test/env.test.js'),
      `import { test } from 'node:test';\nimport { writeFileSync } from 'node:fs';\ntest('env', () => writeFileSync(${JSON.stringify(probe)}, JSON.stringify(Object.keys(process.env))));\n`,
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'probe');
    const home = await stateDir();
    // Unsandboxed, so that the probe can write outside the worktree: this is about the
    // environment the tests are given; test/hostile/sandbox.test.ts is about what else they see.
    const result = beast(['improve', repo, '--quiet', '--max-changes', '1'], {
      env: {
        BEAST_HOME: home,
        BEAST_SANDBOX: 'off',
        OPENAI_API_KEY: 'sk-secret',
        ANTHROPIC_API_KEY: 'sk-ant-secret',
      },
    });
    expect(result.code).toBe(0);
    const keys = JSON.parse(await readFile(probe, 'utf8')) as string[];
    expect(keys).toContain('PATH');
    expect(keys.filter((k) => /KEY|TOKEN|SECRET|BEAST/.test(k))).toEqual([]);
  }, 60_000);
});

describe('the gate catches a deliberately wrong model', () => {
  it('rejects a change of behaviour by the tests and a type error by the type-check', async () => {
    const repo = await makeImproveFixture(2);
    const model = createSaboteurModel(createCodemodsModel(), (task) => {
      if (task.finding.ruleId !== 'prefer-template' || task.finding.location.line !== 4) return;
      return task.finding.file === 'src/mod0.js' ? 'behaviour' : 'types';
    });
    const report = await runImprove(
      repo,
      { models: [model], stateDir: await stateDir() },
      { batchSize: 16 },
    );
    const rejected = report.changes.filter((c) => c.status === 'rejected');
    expect(model.sabotaged).toBe(2);
    expect(rejected.map((c) => [c.finding.file, c.gate])).toEqual([
      ['src/mod0.js', 'tests'],
      ['src/mod1.js', 'typecheck'],
    ]);
    expect(rejected[0]?.reason).toMatch(/test\/mod0.test.js > label0/);
    expect(rejected[1]?.reason).toMatch(/TS2352/);
    // A model that failed on a finding is not asked again in the same run.
    expect(report.after.findings).toBe(2);
    expect(testsPassOn(repo, report.branch!)).toBe(true);
  }, 120_000);

  it('isolates one bad change among 16 by bisection', async () => {
    const repo = await makeImproveFixture(4);
    const model = createSaboteurModel(createCodemodsModel(), (task) =>
      task.finding.file === 'src/mod2.js' &&
      task.finding.ruleId === 'prefer-template' &&
      task.finding.location.line === 4
        ? 'behaviour'
        : undefined,
    );
    const report = await runImprove(
      repo,
      { models: [model], stateDir: await stateDir() },
      { batchSize: 16 },
    );
    const first = report.changes.filter((c) => c.id <= 16);
    expect(first).toHaveLength(16);
    const rejected = first.filter((c) => c.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ gate: 'tests', finding: { file: 'src/mod2.js' } });
    expect(first.filter((c) => c.status === 'accepted')).toHaveLength(15);
    // The batch, then bisection: at most two halves per level of 16. One by one would take 16.
    expect(report.validations.full).toBeLessThanOrEqual(1 + 2 * 4);
  }, 120_000);
});

describe('npm start', () => {
  it('improves a fresh copy of the demo repository and lists the commits', async () => {
    const home = await stateDir();
    const result = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'scripts/start-demo.mjs')],
      {
        encoding: 'utf8',
        env: { ...process.env, BEAST_HOME: home, NO_COLOR: '1' },
        timeout: 120_000,
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Status {5}changes delivered on branch beast\/improve-/);
    expect(result.stdout).toMatch(/ran {5}tests {8}node:test/);
    const commits = /Commits on (\S+):\n((?: {2}.*\n)+)/.exec(result.stdout);
    expect(commits?.[2]?.trim().split('\n').length).toBeGreaterThanOrEqual(10);
    // The demo in the project itself is untouched.
    expect(git(PROJECT_ROOT, 'status', '--porcelain', '--', 'examples/demo-repo')).toBe('');
  }, 150_000);
});

describe('records and delivery options', () => {
  it('does not propose again in a later run what failed on the same code', async () => {
    const repo = await makeImproveFixture(1);
    const home = await stateDir();
    const store = await openStore(path.join(home, 'beast.db'));
    try {
      const model = createSaboteurModel(createCodemodsModel(), (task) =>
        task.finding.ruleId === 'prefer-template' && task.finding.location.line === 4
          ? 'behaviour'
          : undefined,
      );
      const first = await runImprove(repo, { models: [model], stateDir: home, store }, {});
      expect(first.changes.filter((c) => c.status === 'rejected')).toHaveLength(1);
      // The same code (even after other fixes moved it): the rejected proposal is not made again.
      const honest = createCodemodsModel();
      const second = await runImprove(repo, { models: [honest], stateDir: home, store }, {});
      const again = second.changes.filter(
        (c) => c.finding.ruleId === 'prefer-template' && c.finding.location.line === 4,
      );
      expect(again).toEqual([]);
      expect(second.changes.length).toBe(first.changes.length - 1);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('fixes only the findings in the files it is given', async () => {
    const repo = await makeImproveFixture(2);
    const home = await stateDir();
    const report = await runImprove(
      repo,
      { models: [createCodemodsModel()], stateDir: home },
      { files: ['src/mod1.js'], dryRun: true },
    );
    expect(report.changes.length).toBeGreaterThan(0);
    expect(new Set(report.changes.map((c) => c.finding.file))).toEqual(new Set(['src/mod1.js']));
  }, 60_000);

  it('groups commits by rule with --group rule and stops at --max-changes', async () => {
    const repo = await makeImproveFixture(2);
    const home = await stateDir();
    const result = beast(['improve', repo, '--json', '--group', 'rule', '--max-changes', '6'], {
      env: { BEAST_HOME: home },
    });
    const report = JSON.parse(result.stdout) as ImproveReport;
    expect(report.findingsFixed).toBe(6);
    const subjects = git(repo, 'log', '--format=%s', `${report.base}..${report.branch!}`)
      .trim()
      .split('\n');
    const rules = new Set(report.changes.map((c) => c.finding.ruleId));
    expect(subjects).toHaveLength(rules.size);
    for (const rule of rules) expect(subjects.some((s) => s.startsWith(`${rule}:`))).toBe(true);
  }, 60_000);
});

describe('a killed run', () => {
  it('leaves the repository intact and the next run cleans up', async () => {
    const repo = await makeImproveFixture(2);
    // Slow tests give the kill a window while the worktree exists.
    await writeFile(
      path.join(repo, 'test/slow.test.js'),
      "import { test } from 'node:test';\ntest('slow', () => new Promise((r) => setTimeout(r, 1500)));\n",
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'slow test');
    const before = await userState(repo);
    const home = await stateDir();
    const child = spawn(process.execPath, [BIN, 'improve', repo, '--quiet'], {
      env: { ...process.env, BEAST_HOME: home },
      stdio: 'ignore',
    });
    const worktrees = path.join(home, 'worktrees');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const entries = existsSync(worktrees) ? await readdir(worktrees) : [];
      if (entries.some((e) => !e.endsWith('.json'))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    expect(await userState(repo)).toBe(before);
    expect(git(repo, 'worktree', 'list').trim().split('\n').length).toBeGreaterThan(1);
    const stale = git(repo, 'branch', '--list', 'beast/*', '--format=%(refname:short)').trim();
    expect(stale).not.toBe('');

    const next = beast(['improve', repo, '--json'], { env: { BEAST_HOME: home } });
    expect(next.code).toBe(0);
    const report = JSON.parse(next.stdout) as ImproveReport;
    expect(report.cleanedUp).toEqual([stale]);
    expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(git(repo, 'branch', '--list', 'beast/*', '--format=%(refname:short)').trim()).toBe(
      report.branch,
    );
    expect(await userState(repo)).toBe(before);
  }, 180_000);
});
