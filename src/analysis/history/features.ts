import type { HistoryCommit } from './types.js';

const DAY = 86_400;

/** The history features of a file at a prediction time, in this order. */
export const HISTORY_FEATURES = [
  'lines_added_30d',
  'lines_deleted_30d',
  'lines_added_90d',
  'lines_deleted_90d',
  'lines_added_365d',
  'lines_deleted_365d',
  'commits_30d',
  'commits_90d',
  'commits_365d',
  'commits_total',
  'authors_total',
  'authors_365d',
  'ownership',
  'age_days',
  'days_since_change',
  'fix_commits_total',
  'fix_commits_365d',
  'lines',
  'churn_x_lines',
] as const;

export type HistoryFeature = (typeof HISTORY_FEATURES)[number];

interface FileEvent {
  time: number;
  added: number;
  deleted: number;
  author: string;
  fix: boolean;
}

/** What the history says about one file up to a time. */
export interface FileState {
  /** Lines now, as the sum of lines added minus lines deleted. */
  lines: number;
  events: FileEvent[];
}

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const EXCLUDED = /(^|\/)(node_modules|dist|build|vendor|coverage|__tests__|__mocks__|fixtures?)\//;
const TEST_FILE = /(^|\/)(tests?|spec|e2e|benchmarks?)\/|\.(test|spec|bench)\.[cm]?[jt]sx?$/;

/** Whether a path is source code whose defects we predict: not tests, declarations or vendored code. */
export function isPredictedFile(path: string): boolean {
  return (
    SOURCE.test(path) && !path.endsWith('.d.ts') && !EXCLUDED.test(path) && !TEST_FILE.test(path)
  );
}

function applyChange(
  states: Map<string, FileState>,
  commit: HistoryCommit,
  change: HistoryCommit['files'][number],
  fix: boolean,
): void {
  let state = states.get(change.path);
  if (change.previousPath !== undefined && change.previousPath !== change.path) {
    const moved = states.get(change.previousPath);
    states.delete(change.previousPath);
    if (moved) state = moved;
  }
  if (!state) state = { lines: 0, events: [] };
  state.lines = Math.max(0, state.lines + change.added - change.deleted);
  state.events.push({
    time: commit.time,
    added: change.added,
    deleted: change.deleted,
    author: commit.author,
    fix,
  });
  if (state.lines === 0 && change.deleted > 0) states.delete(change.path);
  else states.set(change.path, state);
}

/**
 * Pure: replays the commits made strictly before `time` (unix seconds) and returns the state of every
 * file alive then, following renames. Nothing at or after `time` is read.
 */
export function replayHistory(
  commits: readonly HistoryCommit[],
  time: number,
  isFix: (commit: HistoryCommit) => boolean,
): Map<string, FileState> {
  const states = new Map<string, FileState>();
  for (const commit of commits) {
    if (commit.time >= time) continue;
    const fix = isFix(commit);
    for (const change of commit.files) {
      if (!change.binary) applyChange(states, commit, change, fix);
    }
  }
  return states;
}

interface WindowSums {
  added: number;
  deleted: number;
  commits: number;
  fixes: number;
  authors: Set<string>;
}

function windowSums(events: readonly FileEvent[], from: number): WindowSums {
  const sums: WindowSums = { added: 0, deleted: 0, commits: 0, fixes: 0, authors: new Set() };
  for (const e of events) {
    if (e.time < from) continue;
    sums.added += e.added;
    sums.deleted += e.deleted;
    sums.commits += 1;
    if (e.fix) sums.fixes += 1;
    sums.authors.add(e.author);
  }
  return sums;
}

function ownership(events: readonly FileEvent[]): number {
  const counts = new Map<string, number>();
  let top = 0;
  for (const e of events) {
    const n = (counts.get(e.author) ?? 0) + 1;
    counts.set(e.author, n);
    top = Math.max(top, n);
  }
  return events.length === 0 ? 0 : top / events.length;
}

/** Pure: the `HISTORY_FEATURES` of one file at `time`, from its state replayed up to then. */
export function fileFeatures(state: FileState, time: number): number[] {
  const all = windowSums(state.events, -Infinity);
  const d30 = windowSums(state.events, time - 30 * DAY);
  const d90 = windowSums(state.events, time - 90 * DAY);
  const d365 = windowSums(state.events, time - 365 * DAY);
  const first = state.events[0]?.time ?? time;
  const last = state.events[state.events.length - 1]?.time ?? time;
  return [
    d30.added,
    d30.deleted,
    d90.added,
    d90.deleted,
    d365.added,
    d365.deleted,
    d30.commits,
    d90.commits,
    d365.commits,
    all.commits,
    all.authors.size,
    d365.authors.size,
    ownership(state.events),
    (time - first) / DAY,
    (time - last) / DAY,
    all.fixes,
    d365.fixes,
    state.lines,
    (d365.added + d365.deleted) * state.lines,
  ];
}

/** The files alive at a time with their features: one row per file. */
export interface Snapshot {
  time: number;
  files: string[];
  features: number[][];
  /** Lines of each file at `time`: the effort to inspect it. */
  lines: number[];
}

export interface SnapshotOptions {
  isFix: (commit: HistoryCommit) => boolean;
  /** Which files to predict; default `isPredictedFile`. */
  include?: (path: string) => boolean;
  /**
   * Code metrics of files as they were at a snapshot time, appended to the history features (-1
   * when unknown). The caller computes them from the commit before that time.
   */
  codeMetrics?: CodeMetricsAt;
}

/** Code metrics per snapshot time and file, under feature names. */
export interface CodeMetricsAt {
  names: string[];
  values: Map<number, Map<string, number[]>>;
}

/**
 * The last feature: churn (lines added and deleted in a year) times complexity, the cognitive
 * complexity total where the code metrics know it, else the line count. It is the churn x
 * complexity baseline's score, and the feature a model's prior is fitted on.
 */
export const CHURN_X_COMPLEXITY = 'churn_x_complexity';

/** The feature names of rows built with these options. */
export function featureNames(options: Pick<SnapshotOptions, 'codeMetrics'>): string[] {
  return [...HISTORY_FEATURES, ...(options.codeMetrics?.names ?? []), CHURN_X_COMPLEXITY];
}

function codeFeatures(options: SnapshotOptions, time: number, file: string): number[] {
  const names = options.codeMetrics?.names ?? [];
  const values = options.codeMetrics?.values.get(time)?.get(file);
  return names.map((_, i) => values?.[i] ?? -1);
}

const ADDED_365 = HISTORY_FEATURES.indexOf('lines_added_365d');
const DELETED_365 = HISTORY_FEATURES.indexOf('lines_deleted_365d');
const LINES = HISTORY_FEATURES.indexOf('lines');

/** Pure: churn x complexity from a row's history features and its code metrics under `names`. */
function churnComplexity(
  history: readonly number[],
  code: readonly number[],
  names: readonly string[],
): number {
  const cognitive = names.indexOf('cognitive');
  const known = cognitive >= 0 ? (code[cognitive] ?? -1) : -1;
  const complexity = known >= 0 ? known : (history[LINES] ?? 0);
  return ((history[ADDED_365] ?? 0) + (history[DELETED_365] ?? 0)) * Math.max(complexity, 0);
}

/** Pure: the features of every predicted file alive at `time`, from commits before `time` only. */
export function buildSnapshot(
  commits: readonly HistoryCommit[],
  time: number,
  options: SnapshotOptions,
): Snapshot {
  const include = options.include ?? isPredictedFile;
  const states = replayHistory(commits, time, options.isFix);
  const snapshot: Snapshot = { time, files: [], features: [], lines: [] };
  for (const [file, state] of [...states].sort(([a], [b]) => a.localeCompare(b))) {
    if (!include(file) || state.lines === 0) continue;
    snapshot.files.push(file);
    const history = fileFeatures(state, time);
    const code = codeFeatures(options, time, file);
    const names = options.codeMetrics?.names ?? [];
    snapshot.features.push([...history, ...code, churnComplexity(history, code, names)]);
    snapshot.lines.push(state.lines);
  }
  return snapshot;
}
