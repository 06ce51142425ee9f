import { describe, expect, it } from 'vitest';
import { buildRows, DefectLabels, fixTouchEvents, planSplit } from './dataset.js';
import { buildSnapshot, HISTORY_FEATURES, isPredictedFile } from './features.js';
import { createFixMatcher } from './labels.js';
import type { HistoryCommit } from './types.js';

const DAY = 86_400;
const isFix = createFixMatcher();

function commit(
  day: number,
  author: string,
  subject: string,
  files: [string, number, number, string?][],
): HistoryCommit {
  return {
    sha: `c${day}`,
    time: day * DAY,
    author,
    subject,
    files: files.map(([path, added, deleted, previousPath]) => ({
      path,
      added,
      deleted,
      binary: false,
      ...(previousPath ? { previousPath } : {}),
    })),
  };
}

const past: HistoryCommit[] = [
  commit(0, 'ann', 'initial', [
    ['src/a.ts', 100, 0],
    ['src/b.ts', 50, 0],
    ['src/a.test.ts', 40, 0],
  ]),
  commit(300, 'bob', 'fix: crash in a', [['src/a.ts', 5, 3]]),
  commit(380, 'ann', 'feature', [
    ['src/a.ts', 20, 0],
    ['src/b.ts', 10, 10],
  ]),
  commit(390, 'bob', 'rename', [['src/c.ts', 0, 0, 'src/b.ts']]),
];
const T = 400 * DAY;

function featuresOf(commits: HistoryCommit[], time: number) {
  const snapshot = buildSnapshot(commits, time, { isFix });
  return Object.fromEntries(
    snapshot.files.map((file, i) => [
      file,
      Object.fromEntries(HISTORY_FEATURES.map((name, j) => [name, snapshot.features[i]?.[j]])),
    ]),
  );
}

describe('buildSnapshot', () => {
  it('computes each feature from the past, following renames and skipping tests', () => {
    const features = featuresOf(past, T);
    expect(Object.keys(features)).toEqual(['src/a.ts', 'src/c.ts']);
    expect(features['src/a.ts']).toMatchObject({
      lines_added_30d: 20,
      lines_added_90d: 20, // the fix on day 300 is 100 days before T
      lines_deleted_90d: 0,
      lines_added_365d: 25,
      commits_30d: 1,
      commits_90d: 1,
      commits_365d: 2,
      commits_total: 3,
      authors_total: 2,
      authors_365d: 2,
      ownership: 2 / 3,
      age_days: 400,
      days_since_change: 20,
      fix_commits_total: 1,
      fix_commits_365d: 1,
      lines: 122,
      churn_x_lines: 28 * 122,
    });
    expect(features['src/c.ts']).toMatchObject({ commits_total: 3, lines: 50, age_days: 400 });
  });

  it('never uses information from after the prediction time', () => {
    const before = buildSnapshot(past, T, { isFix });
    // Anything at or after T: edits, fixes, renames, new files, new authors, deletions.
    const future: HistoryCommit[] = [
      commit(400, 'eve', 'fix: bug at the boundary', [['src/a.ts', 7, 7]]),
      commit(401, 'eve', 'fix regression', [['src/d.ts', 0, 0, 'src/c.ts']]),
      commit(450, 'zed', 'new file', [['src/e.ts', 30, 0]]),
      commit(500, 'zed', 'delete a', [['src/a.ts', 0, 122]]),
    ];
    // Interleave to be sure order in the array does not matter, only time.
    const after = buildSnapshot([future[0]!, ...past, ...future.slice(1)], T, { isFix });
    expect(after).toEqual(before);
  });

  it('ends each row with churn x complexity: cognitive complexity where known, else lines', () => {
    const plain = buildSnapshot(past, T, { isFix });
    const last = (snapshot: typeof plain, file: string) => {
      const row = snapshot.features[snapshot.files.indexOf(file)] ?? [];
      return row[row.length - 1];
    };
    // src/a.ts: 25 added and 3 deleted in the year, 122 lines.
    expect(last(plain, 'src/a.ts')).toBe(28 * 122);
    const codeMetrics = {
      names: ['cognitive'],
      values: new Map([
        [
          T,
          new Map([
            ['src/a.ts', [7]],
            ['src/c.ts', [-1]],
          ]),
        ],
      ]),
    };
    const measured = buildSnapshot(past, T, { isFix, codeMetrics });
    expect(last(measured, 'src/a.ts')).toBe(28 * 7);
    // src/c.ts (renamed from b): 20 lines churned in the year, 50 lines, cognitive unknown.
    expect(last(measured, 'src/c.ts')).toBe(20 * 50);
    expect(measured.features[0]).toHaveLength(HISTORY_FEATURES.length + 2);
    // Known to be zero is zero, not the line count.
    const flat = {
      names: ['cognitive'],
      values: new Map([[T, new Map([['src/a.ts', [0]]])]]),
    };
    expect(last(buildSnapshot(past, T, { isFix, codeMetrics: flat }), 'src/a.ts')).toBe(0);
  });

  it('drops deleted files', () => {
    const deleted = [...past, commit(395, 'ann', 'remove a', [['src/a.ts', 0, 122]])];
    expect(buildSnapshot(deleted, T, { isFix }).files).toEqual(['src/c.ts']);
  });
});

describe('isPredictedFile', () => {
  it.each([
    ['src/a.ts', true],
    ['lib/x.mjs', true],
    ['src/a.test.ts', false],
    ['test/a.ts', false],
    ['src/__tests__/a.ts', false],
    ['types/a.d.ts', false],
    ['README.md', false],
    ['node_modules/x/index.js', false],
  ])('%s: %s', (path, expected) => {
    expect(isPredictedFile(path)).toBe(expected);
  });
});

describe('labels', () => {
  it.each([
    ['fix: crash', true],
    ['fix(router): crash', true],
    ['Fixes #12', true],
    ['Bugfix for parser', true],
    ['closes #9', true],
    ['revert regression in 1.2', true],
    ['feat: add prefix (#313)', false],
    ['chore: update deps', false],
    ['prefix matching', false],
  ])('%s is a fix: %s', (subject, expected) => {
    expect(isFix({ subject })).toBe(expected);
  });

  it('labels only defects known before the cutoff, inside the window', () => {
    const labels = new DefectLabels([{ path: 'a.ts', time: 10, knownAt: 50 }]);
    expect(labels.label('a.ts', 0, 20, Infinity)).toBe(1);
    expect(labels.label('a.ts', 0, 20, 50)).toBe(0); // the fix came at the cutoff
    expect(labels.label('a.ts', 0, 10, Infinity)).toBe(0); // outside [0, 10)
    expect(labels.label('b.ts', 0, 20, Infinity)).toBe(0);
  });
});

describe('planSplit and buildRows', () => {
  const commits = Array.from({ length: 40 }, (_, k) =>
    commit(k * 30, k % 3 ? 'ann' : 'bob', k % 4 ? 'work' : 'fix: bug', [
      [`src/f${k % 5}.ts`, 10, 2],
    ]),
  );

  it('closes every training label window before the first test snapshot', () => {
    const plan = planSplit(commits, { horizonDays: 90, stepDays: 30 });
    expect(plan).toBeDefined();
    const last = commits[commits.length - 1]!.time;
    expect(plan!.testTimes[plan!.testTimes.length - 1]).toBe(last - 90 * DAY);
    for (const t of plan!.trainTimes)
      expect(t + plan!.horizon).toBeLessThanOrEqual(plan!.testTimes[0]!);
  });

  it('labels a file touched by a fix in the window after the snapshot', () => {
    const labels = new DefectLabels(fixTouchEvents(commits, isFix));
    const window = { defects: labels, horizon: 120 * DAY, cutoff: Infinity };
    const rows = buildRows(commits, [130 * DAY], window, { isFix });
    // Fixes on days 0 (f0), 120 (f4) and 240 (f3): only day 240 falls in [130, 250).
    expect(Object.fromEntries(rows.files.map((f, i) => [f, rows.labels[i]]))).toEqual({
      'src/f0.ts': 0,
      'src/f1.ts': 0,
      'src/f2.ts': 0,
      'src/f3.ts': 1,
      'src/f4.ts': 0,
    });
    // Known only from day 240 on: with an earlier cutoff the label is not yet known.
    const early = buildRows(commits, [130 * DAY], { ...window, cutoff: 240 * DAY }, { isFix });
    expect(early.labels).toEqual([0, 0, 0, 0, 0]);
  });
});
