import { describe, expect, it } from 'vitest';
import { parseBlamePorcelain, parseChangedOldLines } from './szz.js';

describe('parseChangedOldLines', () => {
  it('collects the old-side ranges of deleted or changed lines, not pure additions', () => {
    const diff = [
      'diff --git a/src/a.ts b/src/a.ts',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -3,2 +3,2 @@ function f() {',
      '@@ -10 +10 @@',
      '@@ -20,0 +21,4 @@',
      'diff --git a/new.ts b/new.ts',
      '--- /dev/null',
      '+++ b/new.ts',
      '@@ -0,0 +1,3 @@',
      'diff --git a/only-added.ts b/only-added.ts',
      '--- a/only-added.ts',
      '+++ b/only-added.ts',
      '@@ -5,0 +6,1 @@',
    ].join('\n');
    expect(parseChangedOldLines(diff)).toEqual(
      new Map([
        [
          'src/a.ts',
          [
            [3, 4],
            [10, 10],
          ],
        ],
      ]),
    );
  });
});

describe('parseBlamePorcelain', () => {
  it('returns each blamed commit once with its author time and path at that commit', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const text = [
      `${a} 3 3 2`,
      'author Ann',
      'author-time 1000',
      'filename src/old.ts',
      '\tline three',
      `${a} 4 4`,
      '\tline four',
      `${b} 1 10 1`,
      'author Bob',
      'author-time 2000',
      'filename src/a.ts',
      '\tline ten',
    ].join('\n');
    expect(parseBlamePorcelain(text)).toEqual(
      new Map([
        [a, { time: 1000, path: 'src/old.ts' }],
        [b, { time: 2000, path: 'src/a.ts' }],
      ]),
    );
  });
});
