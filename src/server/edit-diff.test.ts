import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits, type TextEdit } from '../core/index.js';
import { diffOfEdits } from './edit-diff.js';

/** `git apply --check` of the diff on `source` must give `applyEdits`' result. */
async function appliesCleanly(source: string, edits: TextEdit[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-edit-diff-'));
  await writeFile(path.join(dir, 'f.ts'), source);
  const diff = diffOfEdits('f.ts', source, edits);
  await writeFile(path.join(dir, 'p.diff'), diff);
  execFileSync('git', ['apply', '--unidiff-zero', 'p.diff'], { cwd: dir });
  const { readFile } = await import('node:fs/promises');
  expect(await readFile(path.join(dir, 'f.ts'), 'utf8')).toBe(applyEdits(source, edits));
  return diff;
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('diffOfEdits', () => {
  it('shows the touched lines with three lines of context', async () => {
    const source = lines(10);
    const at = source.indexOf('line 5');
    const diff = await appliesCleanly(source, [{ start: at, end: at + 4, text: 'LINE' }]);
    expect(diff).toBe(
      [
        '--- a/f.ts',
        '+++ b/f.ts',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+LINE 5',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('keeps far edits in separate hunks, near ones in one, and counts shifted lines', async () => {
    const source = lines(30);
    const two = source.indexOf('line 2\n');
    const four = source.indexOf('line 4\n');
    const twenty = source.indexOf('line 20\n');
    const diff = await appliesCleanly(source, [
      { start: two, end: two, text: 'new a\nnew b\n' },
      { start: four, end: four + 7, text: '' },
      { start: twenty, end: twenty + 8, text: 'twenty\n' },
    ]);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain('@@ -17,7 +18,7 @@');
  });

  it('handles insertions at the end, files without a final newline and no-op edits', async () => {
    const source = 'a\nb\n';
    await appliesCleanly(source, [{ start: source.length, end: source.length, text: 'c\n' }]);
    await appliesCleanly('x = 1', [{ start: 4, end: 5, text: '2' }]);
    expect(diffOfEdits('f.ts', source, [{ start: 0, end: 1, text: 'a' }])).toBe('');
  });
});
