import { createHash } from 'node:crypto';
import { createInsideReader, OutsideRepositoryError, type SkippedFile } from '../core/index.js';
import { FOREIGN_REASONS, skipByContent, type Discovery, type FileStat } from './files.js';
import { langOf } from './parse.js';
import type { AnalysisCache } from './scan.js';

/*
 * What a scan knows of its files before analysing them: their content hashes, read from disk or,
 * for a file unchanged since an earlier scan recorded its stat, taken from that record unread.
 */

/** A file changed less than this before its stat was recorded may have changed again in the same tick. */
const RACY_MS = 2000;

export interface Source {
  path: string;
  /** Undefined when the file was trusted unchanged and not read. */
  source: string | undefined;
  hash: string;
  key: string;
}

export interface StatRecord {
  size: number;
  mtimeMs: number;
  ino: number;
  hash: string;
  /** When the stat was recorded. */
  at: number;
}

/** Where files are read from, what their cache keys depend on, and where unreadable ones go. */
export interface ReadContext {
  root: string;
  /** The cache key of a file's analysis settings, by path. */
  settingsKeyOf: (file: string) => string;
  skipped: SkippedFile[];
  /** Scan vendored, bundled and minified files instead of skipping them. */
  includeVendored?: boolean;
  /** Content to analyse instead of what is on disk (`--stdin`), by path. */
  overrides?: ReadonlyMap<string, string>;
}

async function readSource(
  file: string,
  read: (file: string) => Promise<Buffer>,
  { settingsKeyOf, skipped, includeVendored }: ReadContext,
): Promise<Source | undefined> {
  let content: Buffer;
  try {
    // Discovery skipped symlinks already; this catches one swapped in since.
    content = await read(file);
  } catch (error) {
    if (error instanceof OutsideRepositoryError) {
      skipped.push({ path: file, reason: 'symlink', detail: error.message });
      return undefined;
    }
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    skipped.push({ path: file, reason: 'unreadable', detail: code });
    return undefined;
  }
  const skip = skipByContent(content);
  if (skip && !(includeVendored && FOREIGN_REASONS.has(skip.reason))) {
    skipped.push({ path: file, ...skip });
    return undefined;
  }
  const hash = sha256(content);
  return {
    path: file,
    source: content.toString('utf8'),
    hash,
    key: analysisKey(file, hash, settingsKeyOf(file)),
  };
}
/** A file's analysis depends on its language (by extension) as well as on its content. */
export function analysisKey(file: string, hash: string, settingsKey: string): string {
  return `${hash}:${langOf(file)}:${settingsKey}`;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Raise when the content skip rules change: a file trusted unchanged is not read, so it would not
 * be checked against the new rules. Whether vendored files are scanned changes what is recorded too.
 */
const SKIP_RULES_VERSION = 2;

function statsKey(root: string, includeVendored: boolean): string {
  return `stats:${SKIP_RULES_VERSION}${includeVendored ? ':all' : ''}:${root}`;
}

type StatTuple = [size: number, mtimeMs: number, ino: number, hash: string, at: number];

/** What earlier scans recorded of each file's stat, one cache entry per scanned root. */
export async function loadStats(
  root: string,
  cache: AnalysisCache | undefined,
  includeVendored = false,
): Promise<Map<string, StatRecord>> {
  const key = statsKey(root, includeVendored);
  const value = cache
    ? ((await cache.get([key])).get(key) as Record<string, StatTuple>)
    : undefined;
  const out = new Map<string, StatRecord>();
  for (const [file, [size, mtimeMs, ino, hash, at]] of Object.entries(value ?? {}))
    out.set(file, { size, mtimeMs, ino, hash, at });
  return out;
}

/** The stats to record, or undefined when they are what was recorded already. */
export function statsEntry(
  root: string,
  discovery: Discovery,
  sources: readonly Source[],
  recorded: ReadonlyMap<string, StatRecord>,
  includeVendored = false,
): { key: string; value: Record<string, StatTuple> } | undefined {
  const at = Date.now();
  let changed = sources.length !== recorded.size;
  const value: Record<string, StatTuple> = {};
  for (const s of sources) {
    const now = discovery.stats.get(s.path);
    const then = recorded.get(s.path);
    if (s.source !== undefined && now) {
      value[s.path] = [now.size, now.mtimeMs, now.ino, s.hash, at];
      changed = true;
    } else if (then) {
      value[s.path] = [then.size, then.mtimeMs, then.ino, then.hash, then.at];
    }
  }
  return changed ? { key: statsKey(root, includeVendored), value } : undefined;
}

/**
 * A file whose size, mtime and inode match what an earlier scan recorded (long enough after its
 * last change to rule out a same-tick edit) keeps its recorded hash unread; every other file is
 * read and hashed.
 */
export async function readSources(
  discovery: Discovery,
  recorded: ReadonlyMap<string, StatRecord>,
  context: ReadContext,
): Promise<Source[]> {
  const { settingsKeyOf } = context;
  const sources: Source[] = [];
  const toRead: string[] = [];
  for (const file of discovery.files) {
    const then = recorded.get(file);
    if (
      then !== undefined &&
      !context.overrides?.has(file) &&
      isTrusted(discovery.stats.get(file), then)
    ) {
      sources.push({
        path: file,
        source: undefined,
        hash: then.hash,
        key: analysisKey(file, then.hash, settingsKeyOf(file)),
      });
    } else {
      toRead.push(file);
    }
  }
  sources.push(...(await readAll(toRead, context)));
  sources.sort((a, b) => a.path.localeCompare(b.path));
  return sources;
}

function isTrusted(now: FileStat | undefined, then: StatRecord): boolean {
  return (
    now !== undefined &&
    then.size === now.size &&
    then.mtimeMs === now.mtimeMs &&
    then.ino === now.ino &&
    then.at - now.mtimeMs > RACY_MS
  );
}

/** How many files `readSources` will read: those whose recorded stat cannot be trusted. */
export function countUntrusted(
  discovery: Discovery,
  recorded: ReadonlyMap<string, StatRecord>,
): number {
  let count = 0;
  for (const file of discovery.files) {
    const then = recorded.get(file);
    if (then === undefined || !isTrusted(discovery.stats.get(file), then)) count++;
  }
  return count;
}

export async function readAll(files: readonly string[], context: ReadContext): Promise<Source[]> {
  const out: Source[] = [];
  const inside = createInsideReader(context.root);
  const { overrides } = context;
  const read = (file: string): Promise<Buffer> => {
    const override = overrides?.get(file);
    return override === undefined ? inside(file) : Promise.resolve(Buffer.from(override, 'utf8'));
  };
  await forEachLimit(files, 32, async (file) => {
    const source = await readSource(file, read, context);
    if (source) out.push(source);
  });
  return out;
}

async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(runners);
}
