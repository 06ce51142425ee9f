import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPackageJson } from './package-json.js';

describe('readPackageJson', () => {
  it('reads package.json, through a symlink only when it stays inside the repository', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'beast-pkg-'));
    await writeFile(path.join(root, 'shared.json'), '{ "scripts": { "test": "node --test" } }');
    await symlink('shared.json', path.join(root, 'package.json'));
    expect(await readPackageJson(root)).toEqual({ pkg: { scripts: { test: 'node --test' } } });

    const hostile = await mkdtemp(path.join(tmpdir(), 'beast-pkg-'));
    await symlink('/etc/passwd', path.join(hostile, 'package.json'));
    expect(await readPackageJson(hostile)).toEqual({ reason: 'no package.json' });
  });
});
