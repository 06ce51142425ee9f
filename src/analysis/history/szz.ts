import { runGit } from '../git.js';
import type { HistoryCommit } from './types.js';

/** A commit that introduced lines a later bug fix deleted or changed. */
export interface BugIntroduction {
  sha: string;
  /** Author time of the introducing commit, unix seconds. */
  time: number;
  /** The file's path in the introducing commit. */
  path: string;
  fixSha: string;
  fixTime: number;
}

export interface SzzOptions {
  /** Which files to blame; others are ignored. */
  include: (path: string) => boolean;
  /** Parallel git processes (default 2). */
  concurrency?: number;
}

/** The old-side line range of a `@@ -start,count ...` hunk header; undefined for pure additions. */
function oldRange(header: string): [number, number] | undefined {
  const match = /^@@ -(\d+)(?:,(\d+))?/.exec(header);
  if (!match) return undefined;
  const start = Number(match[1]);
  const count = match[2] === undefined ? 1 : Number(match[2]);
  return count > 0 ? [start, start + count - 1] : undefined;
}

/** Pure: per old path, the line ranges a `--unified=0` diff deletes or changes. */
export function parseChangedOldLines(diff: string): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  let ranges: [number, number][] = [];
  for (const line of diff.split('\n')) {
    if (line.startsWith('--- ')) {
      const name = line.slice(4);
      ranges = [];
      if (name !== '/dev/null') out.set(name.replace(/^a\//, ''), ranges);
    } else if (line.startsWith('@@')) {
      const range = oldRange(line);
      if (range) ranges.push(range);
    }
  }
  for (const [file, list] of out) if (list.length === 0) out.delete(file);
  return out;
}

/** Pure: the commits (with author time and path) a `git blame --porcelain` output names. */
export function parseBlamePorcelain(text: string): Map<string, { time: number; path: string }> {
  const out = new Map<string, { time: number; path: string }>();
  let sha: string | undefined;
  let time = 0;
  for (const line of text.split('\n')) {
    const header = /^([0-9a-f]{40}) \d+ \d+/.exec(line);
    if (header) sha = header[1];
    else if (line.startsWith('author-time ')) time = Number(line.slice(12));
    else if (line.startsWith('filename ') && sha && !out.has(sha))
      out.set(sha, { time, path: line.slice(9) });
  }
  return out;
}

async function blameFix(
  dir: string,
  fix: HistoryCommit,
  include: (path: string) => boolean,
): Promise<BugIntroduction[]> {
  const diff = await runGit(dir, [
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--no-renames',
    '--unified=0',
    `${fix.sha}^`,
    fix.sha,
  ]);
  if (diff.code !== 0) return []; // a root commit has no parent to blame
  const found: BugIntroduction[] = [];
  for (const [path, ranges] of parseChangedOldLines(diff.stdout)) {
    if (!include(path)) continue;
    const lines = ranges.flatMap(([from, to]) => ['-L', `${from},${to}`]);
    const blame = await runGit(dir, ['blame', '--porcelain', ...lines, `${fix.sha}^`, '--', path]);
    if (blame.code !== 0) continue;
    for (const [sha, origin] of parseBlamePorcelain(blame.stdout)) {
      found.push({ sha, ...origin, fixSha: fix.sha, fixTime: fix.time });
    }
  }
  return found;
}

/**
 * SZZ: for each bug fix, blames the lines it deleted or changed in its parent and returns the commits
 * that last touched them, the bug-introducing changes.
 */
export async function findBugIntroductions(
  dir: string,
  fixes: readonly HistoryCommit[],
  options: SzzOptions,
): Promise<BugIntroduction[]> {
  const results: BugIntroduction[][] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < fixes.length) {
      const index = next++;
      const fix = fixes[index];
      if (fix) results[index] = await blameFix(dir, fix, options.include);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return results.flat();
}
