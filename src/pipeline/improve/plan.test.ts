import { applyEdits } from '../../core/index.js';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/index.js';
import { mapLocation, offsetOf } from './locations.js';
import { compareFindings } from './plan.js';

function finding(ruleId: string, file: string, line = 1): Finding {
  return {
    ruleId,
    file,
    category: 'maintainability',
    severity: 'minor',
    message: 'm',
    location: { line, column: 1, endLine: line, endColumn: 2 },
    effortMinutes: 1,
    fixability: 'safe-fix',
  };
}

describe('compareFindings', () => {
  const before = [finding('a', 'x.ts', 1), finding('a', 'x.ts', 5), finding('b', 'y.ts')];

  it('accepts the targeted finding gone even when the others moved', () => {
    const after = [finding('a', 'x.ts', 3), finding('b', 'y.ts', 9)];
    expect(compareFindings(before, after, [before[0]!])).toEqual({ notFixed: [], added: [] });
  });

  it('reports a targeted finding still there', () => {
    expect(compareFindings(before, before, [before[0]!]).notFixed).toEqual(['a x.ts']);
  });

  it('reports a new finding anywhere', () => {
    const after = [finding('a', 'x.ts', 5), finding('b', 'y.ts'), finding('c', 'z.ts')];
    expect(compareFindings(before, after, [before[0]!]).added).toEqual(['c z.ts']);
  });
});

describe('mapLocation', () => {
  it('follows a finding past removed lines', () => {
    const before = 'import a from "a";\nimport b from "b";\nlet x = 1;\n';
    const edits = [{ start: 0, end: 19, text: '' }];
    const after = applyEdits(before, edits);
    const location = mapLocation(
      { line: 3, column: 1, endLine: 3, endColumn: 4 },
      before,
      after,
      edits,
    );
    expect(location).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 4 });
    expect(after.slice(offsetOf(after, 2, 1), offsetOf(after, 2, 4))).toBe('let');
  });

  it('maps a finding inside a replaced range onto the replacement', () => {
    const before = 'a == b;\n';
    const edits = [{ start: 2, end: 4, text: '===' }];
    const after = applyEdits(before, edits);
    expect(
      mapLocation({ line: 1, column: 3, endLine: 1, endColumn: 5 }, before, after, edits),
    ).toEqual({ line: 1, column: 3, endLine: 1, endColumn: 6 });
  });
});
