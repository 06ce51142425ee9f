import { spawn } from 'node:child_process';
import { LineIndex } from '../ast.js';
import { runGit } from '../git.js';
import { computeMetrics } from '../metrics/index.js';
import { parseSource } from '../parse.js';
import type { CodeMetricsAt } from './features.js';
import type { HistoryCommit } from './types.js';

/** The scanner's file metrics used as features, in this order. */
export const CODE_METRICS = [
  'cognitive',
  'cyclomatic',
  'max_nesting',
  'code_lines',
  'maintainability',
  'functions',
] as const;

/**
 * Pure: the commit whose tree describes the code just before `time`: the last of the oldest-first
 * commits before the first one at or after `time`, so no later commit's content can be in its tree.
 */
export function snapshotCommit(
  commits: readonly HistoryCommit[],
  time: number,
): HistoryCommit | undefined {
  let found: HistoryCommit | undefined;
  for (const commit of commits) {
    if (commit.time >= time) break;
    found = commit;
  }
  return found;
}

/** Pure: the scanner's metrics of one source text, `CODE_METRICS` order; undefined if it does not parse. */
export function sourceMetrics(file: string, source: string): number[] | undefined {
  const parsed = parseSource(file, source);
  if (parsed.error !== undefined) return undefined;
  const { file: m } = computeMetrics({
    program: parsed.program,
    source,
    lines: new LineIndex(source),
    comments: parsed.comments,
  });
  return [m.cognitive, m.cyclomatic, m.maxNesting, m.codeLines, m.maintainability, m.functions];
}

/** Pure: `git ls-tree -r -z` output as path to blob id. */
export function parseLsTree(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of text.split('\0')) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (match?.[1] && match[2]) out.set(match[2], match[1]);
  }
  return out;
}

/** Pure: the contents of a `git cat-file --batch` output, by object id; missing objects skipped. */
export function parseCatFileBatch(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const eol = data.indexOf(0x0a, at);
    if (eol < 0) break;
    const [id = '', type, size] = data.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (type === undefined || size === undefined) continue; // "<id> missing"
    const end = at + Number(size);
    if (type === 'blob') out.set(id, data.subarray(at, end).toString('utf8'));
    at = end + 1;
  }
  return out;
}

/** Reads blobs with one `git cat-file --batch` process. */
export function readBlobs(dir: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: dir,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(parseCatFileBatch(Buffer.concat(chunks)));
      else reject(new Error(`git cat-file --batch exited with ${code ?? 'a signal'}`));
    });
    child.stdin.end(`${ids.join('\n')}\n`);
  });
}

export interface CodeMetricsOptions {
  /** Which files to measure (paths relative to the repository's top level). */
  include: (path: string) => boolean;
}

/** What mining the code metrics cost. */
export interface CodeMetricsCost {
  snapshots: number;
  /** Distinct (file, snapshot) pairs measured, and distinct blobs analysed for them. */
  files: number;
  blobs: number;
  ms: number;
}

/** Per snapshot time, the included files of the snapshot commit's tree and their blob ids. */
async function readTrees(
  dir: string,
  commits: readonly HistoryCommit[],
  times: readonly number[],
  include: (path: string) => boolean,
): Promise<Map<number, Map<string, string>>> {
  const trees = new Map<number, Map<string, string>>();
  for (const time of new Set(times)) {
    const commit = snapshotCommit(commits, time);
    if (!commit) continue;
    const listing = await runGit(dir, ['ls-tree', '-r', '-z', '--full-tree', commit.sha]);
    if (listing.code !== 0) continue;
    trees.set(time, new Map([...parseLsTree(listing.stdout)].filter(([path]) => include(path))));
  }
  return trees;
}

/** The metrics of each distinct blob, analysed once; undefined for a blob that does not parse. */
async function measureBlobs(
  dir: string,
  trees: Map<number, Map<string, string>>,
): Promise<Map<string, number[] | undefined>> {
  const pathOf = new Map<string, string>();
  for (const blobs of trees.values()) for (const [path, id] of blobs) pathOf.set(id, path);
  const contents = await readBlobs(dir, [...pathOf.keys()]);
  const byBlob = new Map<string, number[] | undefined>();
  for (const [id, path] of pathOf) {
    const source = contents.get(id);
    byBlob.set(id, source === undefined ? undefined : sourceMetrics(path, source));
  }
  return byBlob;
}

/**
 * The scanner's metrics of every included file at each time, read from the tree of the commit
 * just before that time (see `snapshotCommit`), never from the work tree or a later commit. Each
 * distinct blob is read (one `git cat-file --batch` process) and analysed once.
 */
export async function mineCodeMetrics(
  dir: string,
  commits: readonly HistoryCommit[],
  times: readonly number[],
  options: CodeMetricsOptions,
): Promise<CodeMetricsAt & { cost: CodeMetricsCost }> {
  const started = performance.now();
  const trees = await readTrees(dir, commits, times, options.include);
  const byBlob = await measureBlobs(dir, trees);
  const values = new Map<number, Map<string, number[]>>();
  let files = 0;
  for (const [time, blobs] of trees) {
    const perFile = new Map<string, number[]>();
    for (const [path, id] of blobs) {
      const metrics = byBlob.get(id);
      if (metrics) perFile.set(path, metrics);
    }
    files += perFile.size;
    values.set(time, perFile);
  }
  const cost = {
    snapshots: trees.size,
    files,
    blobs: byBlob.size,
    ms: performance.now() - started,
  };
  return { names: [...CODE_METRICS], values, cost };
}
