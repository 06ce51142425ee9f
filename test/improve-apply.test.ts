import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImproveReport } from '../src/pipeline/index.js';
import { makeDeliveryFixture } from './helpers/delivery.js';
import { beast, git } from './helpers/repo.js';

describe('beast improve --apply', () => {
  it('writes exactly the branch content of the touched files, unstaged, and nothing else', async () => {
    const { repo, home } = await makeDeliveryFixture(2);
    // An executable source keeps its mode; unrelated work in progress stays as it is.
    await chmod(path.join(repo, 'src/mod1.js'), 0o755);
    git(repo, 'commit', '-q', '-am', 'mod1 is executable');
    await writeFile(path.join(repo, 'notes.txt'), 'my notes\n');
    await writeFile(path.join(repo, 'package.json'), '{ "name": "fixture", "edited": true }\n');
    git(repo, 'add', 'package.json');
    const head = git(repo, 'rev-parse', 'HEAD');

    const result = beast(['improve', repo, '--apply', '--json'], { env: { BEAST_HOME: home } });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ImproveReport;
    expect(report.status).toBe('delivered');
    const branch = report.branch!;
    expect(report.delivery).toEqual({ applied: ['src/mod0.js', 'src/mod1.js'] });

    for (const file of report.delivery!.applied!) {
      expect(await readFile(path.join(repo, file), 'utf8')).toBe(
        git(repo, 'show', `${branch}:${file}`),
      );
    }
    expect((await stat(path.join(repo, 'src/mod1.js'))).mode & 0o777).toBe(0o755);
    expect((await stat(path.join(repo, 'src/mod0.js'))).mode & 0o777).toBe(0o644);
    // Unstaged, as eslint --fix leaves its fixes; the user's staged and untracked work untouched.
    expect(git(repo, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([
      ' M src/mod0.js',
      ' M src/mod1.js',
      '?? notes.txt',
      'M  package.json',
    ]);
    expect(git(repo, 'diff', '--cached', '--name-only').trim()).toBe('package.json');
    expect(await readFile(path.join(repo, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    // The branch stays, and the working tree now equals it on the touched files.
    expect(git(repo, 'diff', '--name-only', branch, '--', 'src').trim()).toBe('');
    expect(git(repo, 'rev-parse', branch).trim()).toBe(report.head);
    // No temporary file is left beside the written ones.
    expect(
      git(repo, 'status', '--porcelain', '--ignored', '--', 'src').trim().split('\n'),
    ).toHaveLength(2);
  }, 120_000);
});
