import { describe, expect, it } from 'vitest';
import { InputError, type Finding } from '../core/index.js';
import {
  compareWithBaseline,
  createBaseline,
  formatBaseline,
  parseBaseline,
  summariseBaseline,
  updateBaseline,
} from './baseline.js';

function finding(
  file: string,
  line: number,
  ruleId = 'no-explicit-any',
  message = 'Unexpected any.',
): Finding {
  return {
    ruleId,
    category: 'type-safety',
    severity: 'major',
    message,
    file,
    location: { line, column: 1, endLine: line, endColumn: 4 },
    effortMinutes: 5,
    fixability: 'none',
  };
}

const OLD = [
  finding('src/b.ts', 7),
  finding('src/a.ts', 3, 'no-debugger', 'Unexpected debugger statement.'),
  finding('src/a.ts', 3),
  finding('src/a.ts', 12),
];

describe('createBaseline and formatBaseline', () => {
  it('writes one sorted entry a line, and the same findings always give the same bytes', () => {
    const text = formatBaseline(createBaseline(OLD));
    expect(text).toBe(formatBaseline(createBaseline([...OLD].reverse())));
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['{', '  "version": 1,', '  "findings": [']);
    expect(lines.slice(3, 7).map((l) => JSON.parse(l.replace(/,$/, '')) as unknown)).toEqual([
      { file: 'src/a.ts', line: 3, ruleId: 'no-debugger', fingerprint: expect.any(String) },
      { file: 'src/a.ts', line: 3, ruleId: 'no-explicit-any', fingerprint: expect.any(String) },
      { file: 'src/a.ts', line: 12, ruleId: 'no-explicit-any', fingerprint: expect.any(String) },
      { file: 'src/b.ts', line: 7, ruleId: 'no-explicit-any', fingerprint: expect.any(String) },
    ]);
    expect(lines.slice(7)).toEqual(['  ]', '}', '']);
    expect(parseBaseline(text, 'b.json')).toEqual(createBaseline(OLD));
    expect(formatBaseline(createBaseline([]))).toBe('{\n  "version": 1,\n  "findings": []\n}\n');
  });
});

describe('compareWithBaseline', () => {
  it('marks findings new or unchanged and lists the entries no finding matches', () => {
    const baseline = createBaseline(OLD);
    // a.ts:3's `any` is fixed, lines move down by 10, and a new debugger appears in b.ts.
    const now = [
      finding('src/a.ts', 13, 'no-debugger', 'Unexpected debugger statement.'),
      finding('src/a.ts', 22),
      finding('src/b.ts', 17),
      finding('src/b.ts', 2, 'no-debugger', 'Unexpected debugger statement.'),
    ];
    const { findings, fixed } = compareWithBaseline(now, baseline);
    expect(findings.map((f) => `${f.file}:${f.location.line} ${f.baselineState}`)).toEqual([
      'src/a.ts:13 unchanged',
      'src/a.ts:22 unchanged',
      'src/b.ts:17 unchanged',
      'src/b.ts:2 new',
    ]);
    // Of a.ts's two identical `any`s one remains; order tells them apart, so the second is gone.
    expect(fixed.map((e) => `${e.file}:${e.line}`)).toEqual(['src/a.ts:12']);
    expect(summariseBaseline('.beast/baseline.json', findings.slice(1), fixed.length)).toEqual({
      file: '.beast/baseline.json',
      new: 1,
      unchanged: 2,
      fixed: 1,
    });
  });
});

describe('updateBaseline', () => {
  it('prunes fixed entries, moves kept ones to their line, and adds nothing', () => {
    const baseline = createBaseline(OLD);
    const now = [
      finding('src/b.ts', 9),
      finding('src/a.ts', 5, 'no-debugger', 'Unexpected debugger statement.'),
      finding('src/c.ts', 1),
    ];
    const { baseline: updated, pruned, notAdded } = updateBaseline(baseline, now);
    expect(updated.findings.map((e) => `${e.file}:${e.line} ${e.ruleId}`)).toEqual([
      'src/a.ts:5 no-debugger',
      'src/b.ts:9 no-explicit-any',
    ]);
    expect(pruned.map((e) => `${e.file}:${e.line}`)).toEqual(['src/a.ts:3', 'src/a.ts:12']);
    expect(notAdded).toBe(1);
    // Updating again changes nothing.
    expect(updateBaseline(updated, now).baseline).toEqual(updated);
  });
});

describe('parseBaseline', () => {
  it.each([
    ['{"version": 1, "findings": [', /^b\.json: not valid JSON \(/],
    [
      '{"version": 2, "findings": []}',
      /^b\.json: baseline version 2 is not one this beast reads \(1\)/,
    ],
    ['{"findings": []}', /^b\.json: not a baseline file: version: /],
    ['[]', /^b\.json: not a baseline file: Invalid input: expected object, received array$/],
    ['null', /^b\.json: not a baseline file: /],
    ['{"version": 1}', /^b\.json: not a baseline file: findings: /],
    [
      '{"version": 1, "findings": [{"file": "a.ts", "line": 1, "ruleId": "x", "fingerprint": "zz"}]}',
      /^b\.json: not a baseline file: findings\.0\.fingerprint: expected a sha256 in hex$/,
    ],
  ])('refuses %s in one line naming the file', (text, message) => {
    let error: unknown;
    try {
      parseBaseline(text, 'b.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
