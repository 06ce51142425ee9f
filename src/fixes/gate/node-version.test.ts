import { chmod, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findRepositoryNode,
  parseWorkflowNodeVersions,
  readNodeRequirements,
} from './node-version.js';

async function repo(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'beast-node-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}

/** A program at `file` that answers `--version` as Node `version` would. */
async function fakeNode(file: string, version: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\necho v${version}\n`);
  await chmod(file, 0o755);
  return file;
}

const SELF = { path: '/nonexistent/self/node', version: '20.20.2' };

describe('readNodeRequirements', () => {
  it('reads engines, volta, packageManager, .nvmrc and .node-version', async () => {
    const root = await repo({
      'package.json': JSON.stringify({
        engines: { node: '>=22' },
        volta: { node: '22.12.0' },
        packageManager: 'pnpm@9.12.0',
      }),
      '.nvmrc': '# the CI version\nlts/jod\n',
      '.node-version': 'v22\n',
    });
    const read = await readNodeRequirements(root, '>=22.1');
    expect(read.packageManager).toBe('pnpm@9.12.0');
    expect(read.warnings).toEqual([]);
    expect(read.requirements.map((r) => [r.source, r.text, r.strength])).toEqual([
      ['engines.node', '>=22', 'required'],
      ['volta.node', '22.12.0', 'preferred'],
      ['.nvmrc', 'lts/jod', 'preferred'],
      ['.node-version', 'v22', 'preferred'],
      ['beast.config.json', '>=22.1', 'required'],
    ]);
  });

  it('warns about what is not a version and reads nothing from a symlink out of the repository', async () => {
    const root = await repo({
      'package.json': JSON.stringify({ engines: { node: 'latest please' }, volta: { node: 22 } }),
    });
    const outside = await repo({ '.nvmrc': '18\n' });
    await symlink(path.join(outside, '.nvmrc'), path.join(root, '.nvmrc'));
    const read = await readNodeRequirements(root);
    expect(read.requirements).toEqual([]);
    expect(read.warnings).toEqual([
      'engines.node "latest please" is not a Node version; ignored',
      'volta.node is not a string; ignored',
    ]);
  });
});

describe('the Node CI sets up', () => {
  it.each([
    ['with:\n  node-version: 24\n', [24]],
    ["with:\n  node-version: '22.x'\n", [22]],
    ['matrix:\n  node-version: [20, 22, "24"]\n', [20, 22, 24]],
    ['matrix:\n  node-version:\n    - 24\n    - 22 # quick\n  os: [ubuntu]\n', [24, 22]],
    ['with:\n  node-version: ${{ matrix.node-version }}\n', []],
    ['with:\n  node-version: lts/*\n', []],
  ])('reads %j', (text, majors) => {
    expect(parseWorkflowNodeVersions(text)).toEqual(majors);
  });

  it('takes the Node of the jobs that run the test script when a job does', async () => {
    const root = await repo({
      '.github/workflows/test.yml': [
        'on: push',
        'jobs:',
        '  full:',
        '    steps:',
        '      - uses: actions/setup-node@v6',
        '        with:',
        '          node-version: 26',
        '      - run: pnpm test',
        '  old:',
        '    strategy:',
        '      matrix:',
        '        node-version: [18, 20]',
        '    steps:',
        '      - run: pnpm bnt',
        '',
      ].join('\n'),
    });
    const read = await readNodeRequirements(root);
    expect(read.requirements.map((r) => [r.source, r.text])).toEqual([
      ['.github/workflows', '^26'],
    ]);
  });

  it("prefers the Node of the repository's workflows over one that only meets engines", async () => {
    // nanoid: engines allow 20, but its tests need 22.8 or later, and CI runs 22, 24 and 26.
    const root = await repo({
      'package.json': JSON.stringify({ engines: { node: '^18 || >=20' } }),
      '.github/workflows/test.yml':
        'jobs:\n  full:\n    steps:\n      - uses: actions/setup-node@v6\n        with:\n          node-version: 26\n  short:\n    strategy:\n      matrix:\n        node-version:\n          - 24\n          - 22\n',
    });
    const read = await readNodeRequirements(root);
    expect(read.requirements.map((r) => [r.source, r.text, r.strength])).toEqual([
      ['engines.node', '^18 || >=20', 'required'],
      ['.github/workflows', '^22 || ^24 || ^26', 'preferred'],
    ]);
    const home = await mkdtemp(path.join(tmpdir(), 'beast-node-home-'));
    const node22 = await fakeNode(path.join(home, 'bin/node'), '22.22.0');
    const found = await findRepositoryNode(root, {
      env: { PATH: path.dirname(node22) },
      self: SELF,
      home,
    });
    expect(found).toMatchObject({ node: { path: node22, version: '22.22.0', source: 'PATH' } });
  });
});

describe('findRepositoryNode', () => {
  it('takes this process when it satisfies, without looking further', async () => {
    const root = await repo({ 'package.json': '{"engines":{"node":">=20.19"}}' });
    const found = await findRepositoryNode(root, { self: SELF, env: { PATH: '' }, home: root });
    expect(found).toMatchObject({ node: { ...SELF, source: 'this process' }, notes: [] });
  });

  it('finds a matching Node in BEAST_NODE, then PATH, then the version managers', async () => {
    const root = await repo({ 'package.json': '{"engines":{"node":">=22"}}', '.nvmrc': '22' });
    const tools = await mkdtemp(path.join(tmpdir(), 'beast-node-tools-'));
    const home = path.join(tools, 'home');
    const onPath = await fakeNode(path.join(tools, 'bin/node'), '20.1.0');
    await fakeNode(path.join(home, '.nvm/versions/node/v21.0.0/bin/node'), '21.0.0');
    const nvm22 = await fakeNode(path.join(home, '.nvm/versions/node/v22.3.0/bin/node'), '22.3.0');
    const mise24 = await fakeNode(
      path.join(home, '.local/share/mise/installs/node/24.1.0/bin/node'),
      '24.1.0',
    );
    const env = { PATH: path.dirname(onPath) };

    expect(await findRepositoryNode(root, { self: SELF, env, home })).toMatchObject({
      node: { path: nvm22, version: '22.3.0', source: 'nvm' },
      notes: [],
    });

    const chosen = await fakeNode(path.join(tools, 'chosen/node'), '22.0.1');
    expect(
      await findRepositoryNode(root, { self: SELF, env: { ...env, BEAST_NODE: chosen }, home }),
    ).toMatchObject({ node: { path: chosen, version: '22.0.1', source: 'BEAST_NODE' } });

    // The pin (.nvmrc 22) is preferred; engines alone would also take 24.
    const only24 = await mkdtemp(path.join(tmpdir(), 'beast-node-home-'));
    await fakeNode(path.join(only24, '.local/share/mise/installs/node/24.1.0/bin/node'), '24.1.0');
    expect(await findRepositoryNode(root, { self: SELF, env, home: only24 })).toMatchObject({
      node: { version: '24.1.0', source: 'mise' },
      notes: [
        'no Node here matches 22 (.nvmrc); ran Node 24.1.0 (mise), which matches >=22 (engines.node)',
      ],
    });
    expect(mise24).toContain('mise');

    // A Node the user named wins over the pin when it meets engines.
    const named24 = await fakeNode(path.join(tools, 'named/node'), '24.0.0');
    expect(
      await findRepositoryNode(root, { self: SELF, env: { ...env, BEAST_NODE: named24 }, home }),
    ).toMatchObject({
      node: { path: named24, version: '24.0.0', source: 'BEAST_NODE' },
      notes: [
        'Node 24.0.0 (BEAST_NODE) does not match 22 (.nvmrc); ran it as chosen, as it matches >=22 (engines.node)',
      ],
    });
  });

  it('says exactly what is missing when no Node matches', async () => {
    const root = await repo({ 'package.json': '{"engines":{"node":">=22"}}' });
    const tools = await mkdtemp(path.join(tmpdir(), 'beast-node-tools-'));
    const onPath = await fakeNode(path.join(tools, 'bin/node'), '20.1.0');
    await fakeNode(path.join(tools, 'home/.volta/tools/image/node/18.2.0/bin/node'), '18.2.0');
    const found = await findRepositoryNode(root, {
      self: SELF,
      env: { PATH: path.dirname(onPath), BEAST_NODE: 'node22' },
      home: path.join(tools, 'home'),
    });
    expect(found).toEqual({
      requirements: expect.anything(),
      reason:
        'the repository needs Node >=22 (engines.node); found 20.20.2 (this process), 20.1.0 (PATH), 18.2.0 (volta), none in nvm/fnm/asdf/n/mise folders; BEAST_NODE must be an absolute path: node22; set BEAST_NODE to a matching node binary',
    });
  });

  it('never runs a node inside the repository', async () => {
    const root = await repo({ 'package.json': '{"engines":{"node":">=22"}}' });
    const inside = await fakeNode(path.join(root, 'node_modules/.bin/node'), '22.0.0');
    const found = await findRepositoryNode(root, {
      self: SELF,
      env: { PATH: path.dirname(inside), BEAST_NODE: inside },
      home: root,
    });
    expect('reason' in found && found.reason).toBe(
      `the repository needs Node >=22 (engines.node); found 20.20.2 (this process), none on PATH or in nvm/fnm/volta/asdf/n/mise folders; BEAST_NODE names a node inside the repository, not run: ${inside}; PATH names a node inside the repository, not run: ${inside}; set BEAST_NODE to a matching node binary`,
    );
  });
});
