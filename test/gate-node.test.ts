import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepositoryNode } from '../src/fixes/index.js';
import type { ImproveReport } from '../src/pipeline/index.js';
import { BIN, beast, git, makeRepo } from './helpers/repo.js';

/**
 * Node <major> as scripts/smoke-node.sh installs it from the npm registry's node@<major> package.
 * Missing is a failure, not a skip: CI runs the smoke script first.
 */
function installedNode(major: number): string {
  const cache =
    process.env.BEAST_NODE_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'beast-mode/node');
  const binary = path.join(cache, String(major), 'node_modules/node/bin/node');
  if (!existsSync(binary)) {
    throw new Error(
      `Node ${major} is not installed at ${binary}: run scripts/smoke-node.sh ${major}`,
    );
  }
  return binary;
}

function versionOf(node: string): string {
  return spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
}

const OWN_MAJOR = Number(process.versions.node.split('.')[0]);

/** A repository whose tests pass only on Node 22 or later, and that says so. */
async function needs22(): Promise<string> {
  return makeRepo({
    'package.json': JSON.stringify({
      name: 'needs-22',
      private: true,
      type: 'module',
      engines: { node: '>=22' },
      scripts: { test: 'node --test test/version.test.js' },
    }),
    '.nvmrc': '22\n',
    'test/version.test.js': [
      "import { test } from 'node:test';",
      "import assert from 'node:assert/strict';",
      "test('runs on Node 22 or later', () => {",
      "  assert.ok(Number(process.versions.node.split('.')[0]) >= 22, process.version);",
      '});',
      '',
    ].join('\n'),
  });
}

function runTestsWith(node: string, repo: string): number | null {
  return spawnSync(node, ['--test', 'test/version.test.js'], { cwd: repo, encoding: 'utf8' })
    .status;
}

describe("the repository's Node", () => {
  it('finds the Node 22 named by BEAST_NODE for a repository that needs it, and its tests pass with it', async () => {
    const node22 = installedNode(22);
    const repo = await needs22();
    const home = await mkdtemp(path.join(tmpdir(), 'beast-node-home-'));
    const found = await findRepositoryNode(repo, {
      env: { PATH: process.env.PATH ?? '', BEAST_NODE: node22 },
      home,
    });
    expect(found).toMatchObject({
      node:
        OWN_MAJOR >= 22
          ? { path: process.execPath, version: process.versions.node, source: 'this process' }
          : { path: node22, version: versionOf(node22), source: 'BEAST_NODE' },
      notes: [],
    });
    expect('node' in found && found.requirements.requirements.map((r) => r.source)).toEqual([
      'engines.node',
      '.nvmrc',
    ]);
    if (!('node' in found)) throw new Error(found.reason);
    expect(runTestsWith(found.node.path, repo)).toBe(0);
    // The repository is right to ask: on an older Node its tests fail.
    if (OWN_MAJOR < 22) expect(runTestsWith(process.execPath, repo)).toBe(1);
  });

  it('says which Node is missing and what it found when none matches', async () => {
    const node22 = installedNode(22);
    const repo = await makeRepo({
      'package.json': JSON.stringify({ name: 'needs-99', engines: { node: '>=99' } }),
      '.nvmrc': '99\n',
    });
    const home = await mkdtemp(path.join(tmpdir(), 'beast-node-home-'));
    const found = await findRepositoryNode(repo, {
      env: { PATH: process.env.PATH ?? '', BEAST_NODE: node22 },
      home,
    });
    expect('reason' in found).toBe(true);
    const reason = 'reason' in found ? found.reason : '';
    expect(reason).toMatch(
      new RegExp(
        `^the repository needs Node >=99 \\(engines\\.node\\); found ${process.versions.node.replaceAll('.', '\\.')} \\(this process[,)]`,
      ),
    );
    expect(reason).toContain(`${versionOf(node22)} (BEAST_NODE)`);
    expect(reason).toContain('none in nvm/fnm/volta/asdf/n/mise folders');
    expect(reason).toMatch(/; set BEAST_NODE to a matching node binary$/);
  });

  it('runs the tests of beast improve with that Node, and says which Node is missing without one', async () => {
    const node22 = installedNode(22);
    const repo = await needs22();
    await writeFile(
      path.join(repo, 'src.js'),
      "let prefix = 'a';\nexport const label = (name) => prefix + ':' + name;\n",
    );
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'a source file');
    const home = await mkdtemp(path.join(tmpdir(), 'beast-node-home-'));
    // A PATH with the tools beast needs and no Node, and a HOME without version managers.
    const bin = await mkdtemp(path.join(tmpdir(), 'beast-node-path-'));
    for (const tool of ['git', 'bwrap', 'setpriv', 'sh', 'bash', 'env']) {
      const found = spawnSync('which', [tool], { encoding: 'utf8' }).stdout.trim();
      if (found !== '') await symlink(found, path.join(bin, tool));
    }
    const isolated = { BEAST_HOME: home, HOME: home, PATH: bin };
    const ran = beast(['improve', repo, '--json', '--node', node22], { env: isolated });
    expect(ran.code, ran.stderr).toBe(0);
    const report = JSON.parse(ran.stdout) as ImproveReport;
    const tests = report.checks.find((c) => c.name === 'tests');
    if (OWN_MAJOR >= 22) return;
    expect(tests).toMatchObject({ ran: true });
    expect(report.status).toBe('delivered');
    // The repository's test passes only on Node 22 or later: it passed, so Node 22 ran it.
    const checked = report.changes.flatMap((c) => c.checks).filter((c) => c.name === 'tests');
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.every((c) => /1 tests executed, 1 passed/.test(c.detail ?? ''))).toBe(true);

    const missing = beast(['improve', repo, '--json'], { env: isolated });
    expect(missing.code, missing.stderr).toBe(0);
    const refused = JSON.parse(missing.stdout) as ImproveReport;
    expect(refused.status).toBe('unvalidated');
    expect(refused.checks.find((c) => c.name === 'tests')).toEqual({
      name: 'tests',
      ran: false,
      detail: expect.stringMatching(
        /^not run: the repository needs Node >=22 \(engines\.node\); found 20\.[0-9.]+ \(this process\)/,
      ) as unknown,
    });
    expect(refused.checks.find((c) => c.name === 'lint')?.ran).toBe(false);
  }, 180_000);

  it("prints our native module's cause when it was built for another Node", async () => {
    // Our better-sqlite3 is built for the Node running these tests; run beast with another one.
    const other = OWN_MAJOR === 22 ? installedNode(24) : installedNode(22);
    const otherVersion = versionOf(other);
    const otherAbi = spawnSync(other, ['-p', 'process.versions.modules'], {
      encoding: 'utf8',
    }).stdout.trim();
    const folder = await mkdtemp(path.join(tmpdir(), 'beast-native-'));
    const db = path.join(folder, 'beast.db');
    const result = spawnSync(other, [BIN, 'status', '--db', db], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', BEAST_HOME: folder },
    });
    expect(result.stderr).toBe(
      `beast: cannot open store ${db}: better-sqlite3 was built for Node ABI ${process.versions.modules} (Node ${OWN_MAJOR}) but this is Node ${otherVersion} (ABI ${otherAbi}): run \`npm rebuild better-sqlite3\` with this Node\n`,
    );
    expect(result.status).toBe(3);
  });
});
