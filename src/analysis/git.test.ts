import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from './git.js';

describe('parseUnifiedDiff', () => {
  it('collects added lines per file', () => {
    const diff = [
      'diff --git a/src/a.ts b/src/a.ts',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -3,0 +4,2 @@ function x() {',
      '+one',
      '+two',
      '@@ -10 +12 @@',
      '-old',
      '+new',
      'diff --git a/gone.ts b/gone.ts',
      '--- a/gone.ts',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-x',
    ].join('\n');
    const changed = parseUnifiedDiff(diff);
    expect([...(changed.get('src/a.ts') as Set<number>)]).toEqual([4, 5, 12]);
    expect(changed.has('gone.ts')).toBe(false);
  });
});
