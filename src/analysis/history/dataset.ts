import { buildSnapshot, type SnapshotOptions } from './features.js';
import type { BugIntroduction } from './szz.js';
import type { HistoryCommit } from './types.js';

const DAY = 86_400;

/** How files were labelled defect-prone: by SZZ blame, or as touched by a bug-fix commit. */
export type Labelling = 'szz' | 'fix-touch';

/** A defect attributed to a file at a time, and the time that became known (the fix). */
export interface DefectEvent {
  path: string;
  time: number;
  knownAt: number;
}

/** Pure: every file a bug-fix commit touched, at the fix's time. */
export function fixTouchEvents(
  commits: readonly HistoryCommit[],
  isFix: (commit: HistoryCommit) => boolean,
): DefectEvent[] {
  return commits
    .filter(isFix)
    .flatMap((c) => c.files.map((f) => ({ path: f.path, time: c.time, knownAt: c.time })));
}

/** Pure: the bug-introducing changes as defect events, known once their fix was made. */
export function szzEvents(introductions: readonly BugIntroduction[]): DefectEvent[] {
  return introductions.map((i) => ({ path: i.path, time: i.time, knownAt: i.fixTime }));
}

/** Labels a file defect-prone for [time, time + horizon) from the events known before `cutoff`. */
export class DefectLabels {
  private readonly byPath = new Map<string, DefectEvent[]>();

  constructor(events: readonly DefectEvent[]) {
    for (const event of events) {
      const list = this.byPath.get(event.path) ?? [];
      list.push(event);
      this.byPath.set(event.path, list);
    }
  }

  label(path: string, time: number, horizon: number, cutoff: number): 0 | 1 {
    const events = this.byPath.get(path) ?? [];
    const hit = events.some((e) => e.time >= time && e.time < time + horizon && e.knownAt < cutoff);
    return hit ? 1 : 0;
  }
}

/** Rows of a data set: one per file and prediction time. */
export interface Rows {
  files: string[];
  times: number[];
  features: number[][];
  labels: number[];
  lines: number[];
}

export interface SplitOptions {
  /** The label window after each prediction time (default 90 days). */
  horizonDays?: number;
  /** Days between training snapshots (default 30). */
  stepDays?: number;
  /** At most this many training snapshots (default 12). */
  maxTrainSnapshots?: number;
  /** History needed before the first snapshot (default 90 days). */
  warmupDays?: number;
  /** Test snapshots, `stepDays` apart, in the last closed label window (default 3). */
  testSnapshots?: number;
}

/** When to predict: training snapshots before the test time, each label window closed by then. */
export interface SplitPlan {
  horizon: number;
  trainTimes: number[];
  /** Oldest first; training labels are those known before the first. */
  testTimes: number[];
}

/**
 * Pure: the time-ordered split. The newest test snapshot is one horizon before the newest commit
 * (so its label window is closed), the others step back from it; training snapshots step back from
 * one horizon before the oldest test snapshot, so every training label window ends before any test
 * time. Undefined when the history is too short for one training snapshot.
 */
export function planSplit(
  commits: readonly HistoryCommit[],
  options: SplitOptions = {},
): SplitPlan | undefined {
  const first = commits[0]?.time;
  const last = commits[commits.length - 1]?.time;
  if (first === undefined || last === undefined) return undefined;
  const horizon = (options.horizonDays ?? 90) * DAY;
  const step = (options.stepDays ?? 30) * DAY;
  const earliest = first + (options.warmupDays ?? 90) * DAY;
  const testTimes: number[] = [];
  for (let k = 0; k < (options.testSnapshots ?? 3); k++)
    testTimes.unshift(last - horizon - k * step);
  const trainTimes: number[] = [];
  for (let t = (testTimes[0] ?? last) - horizon; t >= earliest; t -= step) {
    trainTimes.unshift(t);
    if (trainTimes.length >= (options.maxTrainSnapshots ?? 12)) break;
  }
  return trainTimes.length === 0 ? undefined : { horizon, trainTimes, testTimes };
}

/** Pure: the rows of the snapshots at `times`, labelled with defects known before `cutoff`. */
export function buildRows(
  commits: readonly HistoryCommit[],
  times: readonly number[],
  labels: { defects: DefectLabels; horizon: number; cutoff: number },
  options: SnapshotOptions,
): Rows {
  const rows: Rows = { files: [], times: [], features: [], labels: [], lines: [] };
  for (const time of times) {
    const snapshot = buildSnapshot(commits, time, options);
    snapshot.files.forEach((file, i) => {
      rows.files.push(file);
      rows.times.push(time);
      rows.features.push(snapshot.features[i] ?? []);
      rows.labels.push(labels.defects.label(file, time, labels.horizon, labels.cutoff));
      rows.lines.push(snapshot.lines[i] ?? 0);
    });
  }
  return rows;
}
