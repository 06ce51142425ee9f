import { runGit } from '../git.js';
import type { ReadAtCommit } from './citations.js';

/*
 * Files of one commit, read from git's objects and never from the working tree: a citation is
 * checked against the code that was indexed, not against edits made since, and a symlink in the
 * commit is not followed. The rules are those of the dashboard's code view (`server/git-read.ts`),
 * which sits above the pipeline and so cannot be imported here.
 */

/** Larger files are treated as absent: nothing an answer cites should be this big. */
const MAX_FILE_BYTES = 1024 * 1024;

/** Git's own test for binary content: a NUL byte in the first 8000 characters. */
function isBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\0');
}

/**
 * The text of `file` (relative to `root`, as the index's paths are) at `commit`, or undefined when
 * the commit has no such regular text file.
 */
export async function readTextAtCommit(
  root: string,
  commit: string,
  file: string,
): Promise<string | undefined> {
  if (!/^[0-9a-f]{7,64}$/.test(commit)) return undefined;
  const listed = await runGit(root, [
    '-c',
    'core.quotePath=false',
    'ls-tree',
    '-l',
    '-z',
    commit,
    '--',
    file,
  ]);
  if (listed.code !== 0) return undefined;
  const entry = listed.stdout
    .split('\0')
    .map((line) => /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(line))
    .find((m) => m?.[5] === file);
  if (!entry) return undefined;
  const [, mode, type, object, size] = entry;
  if (mode === '120000' || type !== 'blob' || Number(size) > MAX_FILE_BYTES) return undefined;
  const blob = await runGit(root, ['cat-file', 'blob', object!]);
  if (blob.code !== 0 || isBinary(blob.stdout)) return undefined;
  return blob.stdout;
}

/** A reader of one commit's files for the citation checker, each file read once. */
export function commitReader(root: string, commit: string): ReadAtCommit {
  const cache = new Map<string, Promise<string | undefined>>();
  return (file) => {
    let text = cache.get(file);
    if (!text) {
      text = readTextAtCommit(root, commit, file);
      cache.set(file, text);
    }
    return text;
  };
}

/** One line of a commit's files that names an identifier. */
export interface Usage {
  file: string;
  line: number;
  text: string;
}

/**
 * Lines of the commit's text files that name `identifier` as a whole word (`git grep` over the
 * commit's tree, not the working tree), at most `limit`, in path order.
 */
export async function findUsages(
  root: string,
  commit: string,
  identifier: string,
  limit: number,
): Promise<Usage[]> {
  if (!/^[0-9a-f]{7,64}$/.test(commit) || !/^[\w$]+$/.test(identifier)) return [];
  const found = await runGit(root, [
    '-c',
    'core.quotePath=false',
    'grep',
    '-z',
    '-n',
    '-I',
    '-w',
    '-F',
    '--max-count=5',
    '-e',
    identifier,
    commit,
    '--',
  ]);
  // Exit 1: no line matched.
  if (found.code !== 0) return [];
  const usages: Usage[] = [];
  for (const row of found.stdout.split('\n')) {
    const [where, line, ...text] = row.split('\0');
    if (where === undefined || line === undefined || !where.startsWith(`${commit}:`)) continue;
    usages.push({
      file: where.slice(commit.length + 1),
      line: Number(line),
      text: text.join('\0'),
    });
    if (usages.length >= limit) break;
  }
  return usages;
}
