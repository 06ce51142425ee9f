import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNumstatLog, parseRenamePath } from './numstat.js';

const DATASETS = fileURLToPath(
  new URL('../../../../shared/datasets/git-history/', import.meta.url),
);

describe('parseRenamePath', () => {
  it.each([
    ['src/a.ts', { path: 'src/a.ts' }],
    ['old.ts => new.ts', { path: 'new.ts', previousPath: 'old.ts' }],
    ['src/{a => b}/x.ts', { path: 'src/b/x.ts', previousPath: 'src/a/x.ts' }],
    ['src/{ => deep}/x.ts', { path: 'src/deep/x.ts', previousPath: 'src/x.ts' }],
    ['{lib => src}/index.ts', { path: 'src/index.ts', previousPath: 'lib/index.ts' }],
    ['src/{x.js => x.ts}', { path: 'src/x.ts', previousPath: 'src/x.js' }],
  ])('%s', (raw, expected) => {
    expect(parseRenamePath(raw)).toEqual(expected);
  });
});

describe('parseNumstatLog', () => {
  const text = [
    '@@bbb\t200\tauthor2\tfix: handle\ttabs in subjects',
    '',
    '3\t1\tsrc/{a => b}/x.ts',
    '-\t-\tlogo.png',
    '@@aaa\t100\tauthor1\tinitial',
    '',
    '10\t0\tsrc/a/x.ts',
    '5\t0\tREADME.md',
    '',
  ].join('\n');

  it('reads headers, churn, binaries and renames, oldest first', () => {
    expect(parseNumstatLog(text)).toEqual([
      {
        sha: 'aaa',
        time: 100,
        author: 'author1',
        subject: 'initial',
        files: [
          { path: 'src/a/x.ts', added: 10, deleted: 0, binary: false },
          { path: 'README.md', added: 5, deleted: 0, binary: false },
        ],
      },
      {
        sha: 'bbb',
        time: 200,
        author: 'author2',
        subject: 'fix: handle\ttabs in subjects',
        files: [
          { path: 'src/b/x.ts', previousPath: 'src/a/x.ts', added: 3, deleted: 1, binary: false },
          { path: 'logo.png', added: 0, deleted: 0, binary: true },
        ],
      },
    ]);
  });

  it('keeps commits without files and ignores stray lines', () => {
    const commits = parseNumstatLog('noise\n@@c\t5\ta\tempty\n\n@@d\tnot-a-time\ta\tbad\n');
    expect(commits.map((c) => c.sha)).toEqual(['c']);
    expect(commits[0]?.files).toEqual([]);
  });

  it.each([
    ['unjs__ufo.numstat.txt', 372],
    ['sindresorhus__ky.numstat.txt', 488],
    ['pmndrs__zustand.numstat.txt', 1335],
    ['honojs__hono.numstat.txt', 2704],
  ])('reads every commit of the dataset %s', (file, count) => {
    const raw = readFileSync(DATASETS + file, 'utf8');
    const commits = parseNumstatLog(raw);
    expect(commits).toHaveLength(count);
    const changeLines = raw.split('\n').filter((l) => /^(\d+|-)\t(\d+|-)\t/.test(l)).length;
    expect(commits.reduce((n, c) => n + c.files.length, 0)).toBe(changeLines);
    for (let i = 1; i < commits.length; i++)
      expect(commits[i]!.time).toBeGreaterThanOrEqual(commits[i - 1]!.time);
    expect(commits.every((c) => /^[0-9a-f]{10}$/.test(c.author))).toBe(true);
  });
});
