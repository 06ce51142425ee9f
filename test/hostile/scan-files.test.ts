import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/core/index.js';
import { beast, git, makeFolder, makeRepo } from '../helpers/repo.js';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
});

const CLEAN = 'export const clean = 1;\n';
const SECRET = 'export const token = "do-not-read"; debugger;\n';

function run(args: string[], cwd: string) {
  return beast(args, { cwd, env: { BEAST_HOME: home } });
}

function report(args: string[], cwd: string): { report: ScanReport; stderr: string } {
  const result = run(['scan', '--format', 'json', '--quiet', '--no-store', ...args], cwd);
  if (result.code !== 0) throw new Error(`beast exited ${result.code}: ${result.stderr}`);
  return { report: JSON.parse(result.stdout) as ScanReport, stderr: result.stderr };
}

describe('beast scan with hostile paths', () => {
  it('refuses a path in another repository with one line, exit 2', async () => {
    const dir = await makeRepo({ 'a.ts': CLEAN });
    const other = await makeRepo({ 'b.ts': CLEAN });
    expect(run(['scan', 'a.ts', path.join(other, 'b.ts')], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `beast: ${path.join(other, 'b.ts')} is outside the repository ${dir} (all paths must be in one repository)\n`,
    });
  });

  it('refuses paths outside git that share no project folder, exit 2', async () => {
    const one = await makeFolder({ 'a.ts': CLEAN });
    const two = await makeFolder({ 'b.ts': CLEAN });
    const result = run(['scan', path.join(one, 'a.ts'), path.join(two, 'b.ts')], one);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `beast: the paths are not in one repository: the only folder they share is ${path.dirname(one)}\n`,
    });
  });

  it('does not follow a named path through a link, inside or out, and reads nothing outside', async () => {
    const outside = await makeFolder({ 'secret.ts': SECRET });
    const dir = await makeRepo({ 'src/a.ts': CLEAN });
    await symlink(path.join(dir, 'src'), path.join(dir, 'alias'));
    await symlink(outside, path.join(dir, 'out'));
    await symlink(path.join(outside, 'secret.ts'), path.join(dir, 'src', 'leak.ts'));
    const { report: scanned, stderr } = report(
      ['src/a.ts', 'alias/a.ts', 'out/secret.ts', 'src/leak.ts'],
      dir,
    );
    expect(scanned.files.map((f) => f.path)).toEqual(['src/a.ts']);
    expect(scanned.findings).toEqual([]);
    expect(scanned.skipped).toEqual([
      {
        path: 'alias/a.ts',
        reason: 'symlink',
        detail: 'symlink to a path inside the repository, not followed (scanned where it is)',
      },
      {
        path: 'out/secret.ts',
        reason: 'symlink',
        detail: 'symlink to a path outside the repository, not followed',
      },
      {
        path: 'src/leak.ts',
        reason: 'symlink',
        detail: 'symlink to a path outside the repository, not followed',
      },
    ]);
    expect(stderr.trim().split('\n')).toHaveLength(3);
    expect(JSON.stringify(scanned)).not.toContain('do-not-read');
  });

  it('takes the repository from where a first path is named, not from where its link leads', async () => {
    const other = await makeRepo({ 'x.ts': SECRET });
    const dir = await makeRepo({ 'src/a.ts': CLEAN });
    await symlink(other, path.join(dir, 'alias'));
    const { report: scanned, stderr } = report(['alias/x.ts', 'alias', 'src/a.ts'], dir);
    expect(scanned.repo.root).toBe(dir);
    expect(scanned.files.map((f) => f.path)).toEqual(['src/a.ts']);
    expect(scanned.skipped).toEqual([
      {
        path: 'alias',
        reason: 'symlink',
        detail: 'symlink to a path outside the repository, not followed',
      },
      {
        path: 'alias/x.ts',
        reason: 'symlink',
        detail: 'symlink to a path outside the repository, not followed',
      },
    ]);
    expect(stderr.trim().split('\n')).toHaveLength(2);
    expect(JSON.stringify(scanned)).not.toContain('do-not-read');
  });

  it('takes a link to the project itself as the project', async () => {
    const dir = await makeRepo({ 'a.ts': 'export const a: any = 1;\n' });
    const links = await mkdtemp(path.join(tmpdir(), 'beast-links-'));
    await symlink(dir, path.join(links, 'project'));
    const { report: scanned } = report([path.join(links, 'project', 'a.ts')], links);
    expect(scanned.repo.root).toBe(dir);
    expect(scanned.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['a.ts no-explicit-any']);
  });

  it('says a glob matching nothing and a missing file in one line, exit 2', async () => {
    const dir = await makeRepo({ 'src/a.ts': CLEAN });
    expect(run(['scan', 'src/**/*.vue'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: no files match src/**/*.vue\n',
    });
    expect(run(['scan', 'src/a.ts', 'src/gone.ts'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: no such file or folder: src/gone.ts\n',
    });
  });

  it('refuses --changed outside git and a --stdin-filename in a system folder, exit 2', async () => {
    const plain = await makeFolder({ 'a.ts': CLEAN });
    expect(run(['scan', '--changed'], plain)).toEqual({
      code: 2,
      stdout: '',
      stderr: `beast: --changed needs a git repository, and ${plain} is not in one\n`,
    });
    const dir = await makeRepo({ 'a.ts': CLEAN });
    const stdin = run(['scan', '--stdin', '--stdin-filename', '/etc/passwd.ts'], dir);
    expect(stdin).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: /etc is a system folder, not a repository; choose a project folder\n',
    });
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});
