import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUR_NODE_MODULES } from '../../src/fixes/gate/testing.js';
import type { TestGenReport } from '../../src/pipeline/index.js';
import { beastAsync, git, makeRepo } from '../helpers/repo.js';

/*
 * `beast tests` runs a repository's code to observe it and commits what it saw: a module that
 * hands out the environment must not get a key into a generated test, and a committed symlink
 * must not make code outside the repository a target or a file it writes.
 */

const KEY = 'sk-hostile-testgen-0123456789abcdef';
const temps: string[] = [];

afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

const LEAK = `export function leak(name) {
  if (name === 'OPENAI_API_KEY') return process.env.OPENAI_API_KEY ?? 'none';
  if (name === 'ALL') return Object.keys(process.env).join(',');
  return name.length > 3 ? 'long' : 'short';
}
`;

describe('beast tests on hostile code', () => {
  it('keeps our keys out of generated tests and never follows a symlink out', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'beast-outside-'));
    temps.push(outside);
    const secretFile = path.join(outside, 'secret.js');
    await writeFile(secretFile, "export function secret() { return 'TOPSECRET-OUTSIDE'; }\n");
    const dir = await makeRepo({
      '.gitignore': 'node_modules\ncoverage\n',
      'package.json': JSON.stringify({
        name: 'hostile',
        type: 'module',
        scripts: { test: 'vitest run' },
        devDependencies: { vitest: '*' },
      }),
      'src/leak.js': LEAK,
    });
    temps.push(dir);
    await symlink(secretFile, path.join(dir, 'src/outside.js'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'a symlink out');
    await symlink(OUR_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');

    const result = await beastAsync(['tests', 'src', '--json', '--no-store'], {
      cwd: dir,
      env: { OPENAI_API_KEY: KEY },
    });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(KEY);
    expect(result.stdout + result.stderr).not.toContain('TOPSECRET-OUTSIDE');
    const report = JSON.parse(result.stdout) as TestGenReport;
    expect(report.status).toBe('delivered');
    expect(report.files.map((f) => f.file)).toEqual(['src/leak.js']);
    expect(report.verdicts.every((v) => v.target === 'src/leak.js')).toBe(true);
    // What was delivered: the branch's files, none of them holding the key or the outside code.
    // The explorer does call leak('OPENAI_API_KEY'): it gets 'none', since our keys never reach it.
    expect(report.verdicts.some((v) => v.content?.includes("leak('OPENAI_API_KEY')"))).toBe(true);
    if (report.branch) {
      const files = git(dir, 'diff', '--name-only', 'HEAD', report.branch).trim().split('\n');
      for (const file of files.filter(Boolean)) {
        const text = git(dir, 'show', `${report.branch}:${file}`);
        expect(text).not.toContain(KEY);
        expect(text).not.toContain('TOPSECRET');
      }
    }
    expect(await readFile(secretFile, 'utf8')).toContain('TOPSECRET-OUTSIDE');
  });
});
