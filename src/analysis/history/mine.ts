import { createHash } from 'node:crypto';
import { InputError } from '../../core/index.js';
import { runGit } from '../git.js';
import { NUMSTAT_FORMAT, parseNumstatLog } from './numstat.js';
import type { History } from './types.js';

export interface MineOptions {
  /** Read at most this many of the newest non-merge commits. */
  maxCommits?: number;
}

/** The datasets' author id: the first 10 hex digits of the SHA-256 of the lower-cased e-mail. */
export function authorId(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 10);
}

/**
 * Reads the history of the repository holding `dir` with `git log --numstat` (paths relative to
 * the repository's top level, renames detected by git), authors anonymised as in the datasets.
 */
export async function mineHistory(dir: string, options: MineOptions = {}): Promise<History> {
  const args = ['log', '--no-merges', '--numstat', '--no-color', `--format=${NUMSTAT_FORMAT}`];
  if (options.maxCommits !== undefined) args.push(`--max-count=${options.maxCommits}`);
  const result = await runGit(dir, args);
  if (result.code !== 0) throw new InputError(`git log failed in ${dir}: ${result.stderr.trim()}`);
  const commits = parseNumstatLog(result.stdout);
  const ids = new Map<string, string>();
  for (const commit of commits) {
    let id = ids.get(commit.author);
    if (id === undefined) ids.set(commit.author, (id = authorId(commit.author)));
    commit.author = id;
  }
  return { name: dir, commits };
}
