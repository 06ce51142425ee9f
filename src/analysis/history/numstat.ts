import type { FileChange, HistoryCommit } from './types.js';

/** The `git log` format whose output `parseNumstatLog` reads (the datasets' format). */
export const NUMSTAT_FORMAT = '@@%H%x09%at%x09%ae%x09%s';

const CHANGE = /^(\d+|-)\t(\d+|-)\t(.+)$/;
const BRACED_RENAME = /^(.*)\{(.*) => (.*)\}(.*)$/;

/**
 * Pure: the old and new path of a numstat path, which git prints as `old => new` or
 * `dir/{old => new}/file` for a renamed file.
 */
export function parseRenamePath(raw: string): { path: string; previousPath?: string } {
  const braced = BRACED_RENAME.exec(raw);
  if (braced) {
    const [, prefix = '', from = '', to = '', suffix = ''] = braced;
    const join = (middle: string) => `${prefix}${middle}${suffix}`.replace(/\/{2,}/g, '/');
    return { path: join(to), previousPath: join(from) };
  }
  const arrow = raw.indexOf(' => ');
  if (arrow < 0) return { path: raw };
  return { path: raw.slice(arrow + 4), previousPath: raw.slice(0, arrow) };
}

function parseHeader(line: string): HistoryCommit | undefined {
  const [sha, time, author, ...subject] = line.slice(2).split('\t');
  const seconds = Number(time);
  if (!sha || !Number.isFinite(seconds)) return undefined;
  return { sha, time: seconds, author: author ?? '', subject: subject.join('\t'), files: [] };
}

function parseChange(line: string): FileChange | undefined {
  const match = CHANGE.exec(line);
  if (!match) return undefined;
  const [, added = '-', deleted = '-', raw = ''] = match;
  const binary = added === '-' || deleted === '-';
  return {
    ...parseRenamePath(raw),
    added: binary ? 0 : Number(added),
    deleted: binary ? 0 : Number(deleted),
    binary,
  };
}

/**
 * Pure: parses `git log --numstat --format=@@%H%x09%at%x09<author>%x09%s` output (newest first, as
 * git prints it) into commits sorted oldest first. Lines that are neither a header nor a numstat
 * line are ignored.
 */
export function parseNumstatLog(text: string): HistoryCommit[] {
  const commits: HistoryCommit[] = [];
  let current: HistoryCommit | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('@@')) {
      current = parseHeader(line);
      if (current) commits.push(current);
      continue;
    }
    const change = current && line ? parseChange(line) : undefined;
    if (change) current?.files.push(change);
  }
  // Stable sort: commits with the same time keep git's order, reversed to oldest first.
  commits.reverse();
  return commits.sort((a, b) => a.time - b.time);
}
