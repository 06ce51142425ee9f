import { Stats, type Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { SkippedFile, SkipReason } from '../core/index.js';
import { tooDeep } from './depth.js';
import { listGitFiles } from './git.js';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

const VENDOR_DIRS = new Set([
  'node_modules',
  'vendor',
  'vendors',
  'bower_components',
  'third_party',
  'jspm_packages',
]);
const BUILD_DIRS = new Set([
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.nuxt',
  '.output',
  '.turbo',
  '.cache',
]);
const WALK_SKIP_DIRS = new Set(['.git', '.hg', '.svn', ...VENDOR_DIRS, ...BUILD_DIRS]);

export function isSourceFile(file: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => file.endsWith(ext));
}

/** Pure: the reason a path alone disqualifies a file, if any. */
export function skipByPath(file: string): { reason: SkipReason; detail: string } | undefined {
  const segments = file.split('/');
  const dirs = segments.slice(0, -1);
  const base = segments[segments.length - 1] ?? file;
  const vendor = dirs.find((d) => VENDOR_DIRS.has(d));
  if (vendor) return { reason: 'vendored', detail: `inside ${vendor}/` };
  const build = dirs.find((d) => BUILD_DIRS.has(d));
  if (build) return { reason: 'generated', detail: `inside build output ${build}/` };
  if (/\.d\.[cm]?ts$/.test(base)) return { reason: 'generated', detail: 'type declaration file' };
  if (/[.-]min\.[cm]?js$/.test(base)) return { reason: 'minified', detail: 'named .min.js' };
  if (/\.(bundle|chunk)\.[cm]?js$/.test(base))
    return { reason: 'generated', detail: 'bundler output' };
  return undefined;
}

// Only in a comment line near the top: a string or a test mentioning "@generated" is not a marker.
const GENERATED_MARKERS =
  /^\s*(?:\/\/|\/\*|\*).*(?:@generated\b|\bDO NOT EDIT\b|\bauto-?generated\b)/im;

/** Pure: the reason a file's content disqualifies it, if any. Reads only the start for markers. */
export function skipByContent(content: Buffer): { reason: SkipReason; detail: string } | undefined {
  const head = content.subarray(0, 8192);
  if (head.includes(0)) return { reason: 'binary', detail: 'contains NUL bytes' };
  const headText = head.toString('utf8').slice(0, 1024);
  if (GENERATED_MARKERS.test(headText))
    return { reason: 'generated', detail: 'marked as generated in its header' };
  const deep = tooDeep(content);
  if (deep !== undefined) return { reason: 'too-deep', detail: deep };
  if (content.length > 2048) {
    let lines = 1;
    let longest = 0;
    let current = 0;
    for (let i = 0; i < content.length; i++) {
      if (content[i] === 10) {
        lines++;
        if (current > longest) longest = current;
        current = 0;
      } else current++;
    }
    if (current > longest) longest = current;
    const average = content.length / lines;
    if (longest > 5000 || average > 300) {
      return {
        reason: 'minified',
        detail: `longest line ${longest} chars, average ${Math.round(average)}`,
      };
    }
  }
  return undefined;
}

export interface Discovery {
  /** Candidate source files, relative to the root, sorted. */
  files: string[];
  /** What stat said of each candidate: lets a rescan trust unchanged files without reading them. */
  stats: Map<string, FileStat>;
  skipped: SkippedFile[];
  warnings: string[];
  isGit: boolean;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface DiscoverOptions {
  include: readonly string[];
  exclude: readonly string[];
  maxFileSizeKb: number;
  isGit: boolean;
}

/**
 * Finds the source files under `root`: those git tracks or would track when `root` is in a
 * work tree, otherwise a walk that skips vendored and build folders and survives symlink loops.
 */
export async function discoverFiles(root: string, options: DiscoverOptions): Promise<Discovery> {
  const warnings: string[] = [];
  const skipped: SkippedFile[] = [];
  const listed = options.isGit
    ? await listGitFiles(root)
    : await walkFolder(root, warnings, skipped);
  const include =
    options.include.length > 0 ? picomatch([...options.include], { dot: true }) : undefined;
  const exclude =
    options.exclude.length > 0 ? picomatch([...options.exclude], { dot: true }) : undefined;
  const files: string[] = [];
  const stats = new Map<string, FileStat>();
  const maxBytes = options.maxFileSizeKb * 1024;

  const candidates: string[] = [];
  for (const file of listed) {
    if (!isSourceFile(file)) continue;
    if ((include && !include(file)) || exclude?.(file)) {
      skipped.push({
        path: file,
        reason: 'excluded',
        detail: 'matched the configured include/exclude globs',
      });
      continue;
    }
    const byPath = skipByPath(file);
    if (byPath) skipped.push({ path: file, ...byPath });
    else candidates.push(file);
  }
  // Stat in parallel (one at a time costs a thread-pool round trip per file), then decide in order.
  const infos = await Promise.all(candidates.map((file) => statOrError(path.join(root, file))));
  candidates.forEach((file, i) => {
    const info = infos[i]!;
    if (!(info instanceof Stats)) {
      const code = info.code;
      // A tracked file deleted from the work tree is simply not there to scan.
      if (code === 'ENOENT') return;
      if (code === 'ELOOP') skipped.push({ path: file, reason: 'symlink', detail: 'symlink loop' });
      else skipped.push({ path: file, reason: 'unreadable', detail: code ?? info.message });
      return;
    }
    if (!info.isFile()) return;
    if (info.size > maxBytes) {
      skipped.push({
        path: file,
        reason: 'too-large',
        detail: `${Math.round(info.size / 1024)} KiB > ${options.maxFileSizeKb} KiB`,
      });
      return;
    }
    files.push(file);
    stats.set(file, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino });
  });
  files.sort();
  return { files, stats, skipped, warnings, isGit: options.isGit };
}

function statOrError(file: string): Promise<Stats | NodeJS.ErrnoException> {
  return stat(file).catch((error: NodeJS.ErrnoException) => error);
}

interface Listing {
  rel: string;
  real: string | NodeJS.ErrnoException;
  entries: Dirent[] | NodeJS.ErrnoException;
}

async function listFolder(root: string, rel: string): Promise<Listing> {
  const dir = path.join(root, rel);
  const [real, entries] = await Promise.all([
    realpath(dir).catch((error: NodeJS.ErrnoException) => error),
    readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => error),
  ]);
  return { rel, real, entries };
}

/**
 * Breadth-first walk. Each level's folders are listed in parallel, then handled in queue order, so
 * the outcome (which of two paths to one folder is kept) is that of a walk one folder at a time.
 */
async function walkFolder(
  root: string,
  warnings: string[],
  skipped: SkippedFile[],
): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  let level: string[] = [''];
  while (level.length > 0) {
    const listings = await Promise.all(level.map((rel) => listFolder(root, rel)));
    level = [];
    for (const listing of listings) {
      const entries = visitListing(listing, seen, warnings, skipped);
      if (entries) await collectEntries(root, listing.rel, entries, { out, next: level, skipped });
    }
  }
  return out;
}

function visitListing(
  { rel, real, entries }: Listing,
  seen: Set<string>,
  warnings: string[],
  skipped: SkippedFile[],
): Dirent[] | undefined {
  if (typeof real !== 'string') {
    const code = real.code;
    if (code === 'ELOOP') skipped.push({ path: rel, reason: 'symlink', detail: 'symlink loop' });
    else warnings.push(`cannot resolve ${rel || '.'}: ${code ?? real.message}`);
    return undefined;
  }
  if (seen.has(real)) {
    if (rel)
      skipped.push({
        path: rel,
        reason: 'symlink',
        detail: 'folder already visited (symlink cycle)',
      });
    return undefined;
  }
  seen.add(real);
  if (!Array.isArray(entries)) {
    warnings.push(`cannot read folder ${rel || '.'}: ${entries.code ?? entries.message}`);
    return undefined;
  }
  return entries;
}

async function collectEntries(
  root: string,
  rel: string,
  entries: Dirent[],
  into: { out: string[]; next: string[]; skipped: SkippedFile[] },
): Promise<void> {
  const { out, next, skipped } = into;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    const isDir = entry.isSymbolicLink()
      ? await symlinkIsFolder(root, child, skipped)
      : entry.isDirectory();
    if (isDir === undefined) continue;
    if (isDir) {
      if (!WALK_SKIP_DIRS.has(entry.name)) next.push(child);
    } else if (isSourceFile(child)) {
      out.push(child);
    }
  }
}

/** Whether a symlink points to a folder; undefined (and recorded when it matters) when broken. */
async function symlinkIsFolder(
  root: string,
  child: string,
  skipped: SkippedFile[],
): Promise<boolean | undefined> {
  try {
    return (await stat(path.join(root, child))).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') skipped.push({ path: child, reason: 'symlink', detail: 'symlink loop' });
    else if (isSourceFile(child))
      skipped.push({ path: child, reason: 'unreadable', detail: `broken symlink (${code})` });
    return undefined;
  }
}

/** Whether `p` exists and is a folder; distinguishes "missing" from "not a folder". */
export async function checkFolder(p: string): Promise<'folder' | 'file' | 'missing' | 'denied'> {
  try {
    const info = await lstat(p).then((l) => (l.isSymbolicLink() ? stat(p) : l));
    return info.isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 'denied' : 'missing';
  }
}
