import { Stats, type Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { InputError, type SkippedFile, type SkipReason } from '../core/index.js';
import { tooDeep } from './depth.js';
import { ignoreRuleOf, listGitFiles } from './git.js';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

const VENDOR_DIRS = new Set([
  'node_modules',
  'vendor',
  'vendors',
  'bower_components',
  'third_party',
  'third-party',
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

/** Code the repository did not write: scanned only when asked to, never edited. */
export const FOREIGN_REASONS: ReadonlySet<SkipReason> = new Set([
  'vendored',
  'bundled',
  'minified',
]);

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
  if (/[.-](bundle|chunk)\.[cm]?js$/.test(base))
    return { reason: 'bundled', detail: `named .${/[.-](bundle|chunk)\./.exec(base)![1]}.js` };
  return undefined;
}

// Only in a comment line near the top: a string or a test mentioning "@generated" is not a marker.
const GENERATED_MARKERS =
  /^\s*(?:\/\/|\/\*|\*).*(?:@generated\b|\bDO NOT EDIT\b|\bauto-?generated\b|\bautomatically generated\b|\bthis file (?:is|was|has been) generated\b)/im;

// The file's leading comment, after an optional shebang and "use strict".
const LEADING_COMMENT =
  /^(?:\uFEFF)?(?:#![^\n]*\n)?\s*(?:(['"])use strict\1;?\s*)?(\/\*[\s\S]*?\*\/|(?:\/\/[^\n]*(?:\n|$))+)/;
// A package name and a version, as release banners write them: "lodash v4.17.21", "@version 1.2.3".
const NAMED_VERSION = /(?:[A-Za-z][\w@./-]*\s+v?|@version\s+v?|\bv)\d+\.\d+(?:\.\d+)?\b/;

/**
 * A release banner: a preserved (`/*!`) or `@license`/`@preserve` comment at the top that names a
 * version. A project's own license header names no version, so it is not one.
 */
function releaseBanner(headText: string): string | undefined {
  const comment = LEADING_COMMENT.exec(headText)?.[2];
  if (comment === undefined) return undefined;
  if (!comment.startsWith('/*!') && !/@(?:license|preserve)\b/.test(comment)) return undefined;
  const line = comment.split('\n').find((l) => NAMED_VERSION.test(l));
  if (line === undefined) return undefined;
  let text = line
    .trim()
    .replace(/^\*(?!\/)\s*/, '')
    .replace(/\s+/g, ' ');
  if (text.length > 80) text = `${text.slice(0, 77)}...`;
  return text;
}

// At a line start, as bundlers emit them; quoted in a test or a string, they are not.
const BUNDLER_MARKERS: [RegExp, string][] = [
  [/^\/\*{6}\/|^(?:var|let|const) __webpack_(?:modules|require)__\b/m, 'webpack runtime'],
  [/^var __(?:defProp|commonJS|toESM|getOwnPropNames) = /m, 'esbuild runtime helpers'],
  [
    /^(?:var )?parcelRequire\b|^\/\/ modules are defined as an array\n\/\/ \[ module function, map of requires \]/m,
    'parcel runtime',
  ],
];
const SOURCE_MAP_COMMENT = /^\/\/[#@] sourceMappingURL=\S+\s*$/m;

/** Bytes in lines this long or longer count as minified-looking. */
const LONG_LINE = 500;

/** Pure: why the line lengths say minified, if they do. */
function minifiedByLines(content: Buffer): string | undefined {
  if (content.length <= 1024) return undefined;
  let lines = 1;
  let longest = 0;
  let current = 0;
  let inLong = 0;
  for (let i = 0; i < content.length; i++) {
    if (content[i] === 10) {
      lines++;
      if (current > longest) longest = current;
      if (current >= LONG_LINE) inLong += current;
      current = 0;
    } else current++;
  }
  if (current > longest) longest = current;
  if (current >= LONG_LINE) inLong += current;
  const average = Math.round((content.length - (lines - 1)) / lines);
  // One long line (a data URI, a table) in hand-written code is a small share of the file.
  if (average > 200 || inLong > content.length * 0.6)
    return `average line length ${average}, longest ${longest}`;
  return undefined;
}

/**
 * Pure: the reason a file's content disqualifies it, if any: binary, generated (a header marker),
 * vendored (a release banner), bundled (bundler runtime, a source-map comment) or minified (line
 * lengths). Reads only the start and the end for markers.
 */
export function skipByContent(content: Buffer): { reason: SkipReason; detail: string } | undefined {
  const head = content.subarray(0, 8192);
  if (head.includes(0)) return { reason: 'binary', detail: 'contains NUL bytes' };
  const headText = head.toString('utf8');
  if (GENERATED_MARKERS.test(headText.slice(0, 1024)))
    return { reason: 'generated', detail: 'marked as generated in its header' };
  const banner = releaseBanner(headText);
  if (banner !== undefined) return { reason: 'vendored', detail: `${banner} banner` };
  for (const [marker, name] of BUNDLER_MARKERS) {
    if (marker.test(headText)) return { reason: 'bundled', detail: name };
  }
  const tail = content.subarray(Math.max(0, content.length - 1024)).toString('utf8');
  if (SOURCE_MAP_COMMENT.test(tail))
    return { reason: 'bundled', detail: 'sourceMappingURL comment: compiled or bundled output' };
  const deep = tooDeep(content);
  if (deep !== undefined) return { reason: 'too-deep', detail: deep };
  const minified = minifiedByLines(content);
  if (minified !== undefined) return { reason: 'minified', detail: minified };
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
  /** Keep vendored, bundled and minified files as candidates instead of skipping them. */
  includeVendored?: boolean;
}

/**
 * Finds the source files under `root`: those git tracks or would track when `root` is in a
 * work tree, otherwise a walk that skips vendored and build folders. No symlink is followed, as
 * git does not follow them either: a symlinked file or folder (tracked or not) is reported as
 * skipped, so nothing outside the repository is read and no link is ever a fix target.
 */
export async function discoverFiles(root: string, options: DiscoverOptions): Promise<Discovery> {
  const warnings: string[] = [];
  const skipped: SkippedFile[] = [];
  const links = createLinkDescriber(root);
  const listed = options.isGit
    ? await listGitFiles(root)
    : await walkFolder(root, { warnings, skipped, links });
  const candidates = selectCandidates(listed, options, skipped);
  // Stat in parallel (one at a time costs a thread-pool round trip per file), then decide in order.
  const [infos, linkedDirs] = await Promise.all([
    Promise.all(candidates.map((file) => lstatOrError(path.join(root, file)))),
    findLinkedFolders(root, candidates),
  ]);
  const files: string[] = [];
  const stats = new Map<string, FileStat>();
  for (const [i, file] of candidates.entries()) {
    const through = linkedFolderOf(file, linkedDirs);
    const outcome =
      through === undefined
        ? await classify(file, infos[i], { links, maxFileSizeKb: options.maxFileSizeKb })
        : {
            path: file,
            reason: 'symlink' as const,
            detail: `inside ${through}/, ${await links.describe(through)}`,
          };
    if (outcome === undefined) continue;
    if ('reason' in outcome) skipped.push(outcome);
    else {
      files.push(file);
      stats.set(file, outcome);
    }
  }
  files.sort();
  return { files, stats, skipped, warnings, isGit: options.isGit };
}

/** Pure: a filter saying why the configured globs or its path rule out a source file, if they do. */
function createPathFilter(options: DiscoverOptions): (file: string) => SkippedFile | undefined {
  const include =
    options.include.length > 0 ? picomatch([...options.include], { dot: true }) : undefined;
  const exclude =
    options.exclude.length > 0 ? picomatch([...options.exclude], { dot: true }) : undefined;
  return (file) => {
    if ((include && !include(file)) || exclude?.(file))
      return {
        path: file,
        reason: 'excluded',
        detail: 'matched the configured include/exclude globs',
      };
    const byPath = skipByPath(file);
    if (byPath && !(options.includeVendored && FOREIGN_REASONS.has(byPath.reason)))
      return { path: file, ...byPath };
    return undefined;
  };
}

/** The listed source files that neither the globs nor their path rule out; the others are skipped. */
function selectCandidates(
  listed: readonly string[],
  options: DiscoverOptions,
  skipped: SkippedFile[],
): string[] {
  const ruledOut = createPathFilter(options);
  const candidates: string[] = [];
  for (const file of listed) {
    if (!isSourceFile(file)) continue;
    const skip = ruledOut(file);
    if (skip) skipped.push(skip);
    else candidates.push(file);
  }
  return candidates;
}

/** A candidate's stat when it is to be scanned, why not when skipped, undefined when gone. */
async function classify(
  file: string,
  info: Stats | NodeJS.ErrnoException | undefined,
  { links, maxFileSizeKb }: { links: LinkDescriber; maxFileSizeKb: number },
): Promise<FileStat | SkippedFile | undefined> {
  if (!(info instanceof Stats)) {
    // A tracked file deleted from the work tree is simply not there to scan.
    if (info === undefined || info.code === 'ENOENT') return undefined;
    return { path: file, reason: 'unreadable', detail: info.code ?? info.message };
  }
  if (info.isSymbolicLink())
    return { path: file, reason: 'symlink', detail: await links.describe(file) };
  if (!info.isFile()) return undefined;
  if (info.size > maxFileSizeKb * 1024) {
    return {
      path: file,
      reason: 'too-large',
      detail: `${Math.round(info.size / 1024)} KiB > ${maxFileSizeKb} KiB`,
    };
  }
  return { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
}

function lstatOrError(file: string): Promise<Stats | NodeJS.ErrnoException> {
  return lstat(file).catch((error: NodeJS.ErrnoException) => error);
}

/**
 * The folders on the way to `files` that are symlinks: git lists a tracked `dir/a.ts` even when
 * `dir` has since been replaced by a symlink, and reading it would go wherever that points.
 */
async function findLinkedFolders(root: string, files: readonly string[]): Promise<Set<string>> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let i = file.indexOf('/'); i !== -1; i = file.indexOf('/', i + 1))
      folders.add(file.slice(0, i));
  }
  const list = [...folders];
  const infos = await Promise.all(list.map((dir) => lstatOrError(path.join(root, dir))));
  return new Set(
    list.filter((_, i) => {
      const info = infos[i];
      return info instanceof Stats && info.isSymbolicLink();
    }),
  );
}

/** The outermost symlinked folder `file` lies in, if any. */
function linkedFolderOf(file: string, linked: ReadonlySet<string>): string | undefined {
  if (linked.size === 0) return undefined;
  for (let i = file.indexOf('/'); i !== -1; i = file.indexOf('/', i + 1)) {
    const dir = file.slice(0, i);
    if (linked.has(dir)) return dir;
  }
  return undefined;
}

/** Says where a symlink leads, for the skipped list; the target's path itself is not shown. */
interface LinkDescriber {
  describe(rel: string): Promise<string>;
}

function createLinkDescriber(root: string): LinkDescriber {
  let realRoot: Promise<string> | undefined;
  return {
    async describe(rel) {
      realRoot ??= realpath(root).catch(() => path.resolve(root));
      let target: string;
      try {
        target = await realpath(path.join(root, rel));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return code === 'ELOOP' ? 'symlink loop, not followed' : `broken symlink (${code})`;
      }
      const inside = path.relative(await realRoot, target);
      return inside === '' || (!inside.startsWith('..') && !path.isAbsolute(inside))
        ? 'symlink to a path inside the repository, not followed (scanned where it is)'
        : 'symlink to a path outside the repository, not followed';
    },
  };
}

interface WalkState {
  warnings: string[];
  skipped: SkippedFile[];
  links: LinkDescriber;
}

interface Listing {
  rel: string;
  entries: Dirent[] | NodeJS.ErrnoException;
}

async function listFolder(root: string, rel: string): Promise<Listing> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => error,
  );
  return { rel, entries };
}

/**
 * Breadth-first walk. Each level's folders are listed in parallel, then handled in queue order.
 * Symlinks are never followed, so the walk stays inside `root` and cannot loop.
 */
async function walkFolder(root: string, state: WalkState): Promise<string[]> {
  const out: string[] = [];
  let level: string[] = [''];
  while (level.length > 0) {
    const listings = await Promise.all(level.map((rel) => listFolder(root, rel)));
    level = [];
    for (const { rel, entries } of listings) {
      if (!Array.isArray(entries)) {
        state.warnings.push(`cannot read folder ${rel || '.'}: ${entries.code ?? entries.message}`);
        continue;
      }
      await collectEntries(root, rel, entries, { out, next: level, state });
    }
  }
  return out;
}

async function collectEntries(
  root: string,
  rel: string,
  entries: Dirent[],
  into: { out: string[]; next: string[]; state: WalkState },
): Promise<void> {
  const { out, next, state } = into;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) {
      if (!WALK_SKIP_DIRS.has(entry.name)) await skipSymlink(root, child, state);
    } else if (entry.isDirectory()) {
      if (!WALK_SKIP_DIRS.has(entry.name)) next.push(child);
    } else if (isSourceFile(child)) {
      out.push(child);
    }
  }
}

/** Reports a symlink met in the walk when it names a source file or leads to a folder. */
async function skipSymlink(root: string, child: string, state: WalkState): Promise<void> {
  const isFolder = await stat(path.join(root, child)).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (isFolder || isSourceFile(child))
    state.skipped.push({
      path: child,
      reason: 'symlink',
      detail: await state.links.describe(child),
    });
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

/** The files of a partial scan, as `selectFiles` found them. */
export interface Selected {
  /** Every chosen path, scanned or skipped. */
  paths: Set<string>;
  /** Named files the discovery did not list, with the reason each is skipped. */
  skipped: SkippedFile[];
}

/** What `selectFiles` is asked for; see `FileSelection`. */
export interface SelectionRequest {
  files: readonly string[];
  folders: readonly string[];
  globs: readonly { pattern: string; given: string }[];
  changed?: readonly string[];
  /** A named file that may not exist yet: analysed from other source when it is not skipped. */
  unsaved?: string;
}

/**
 * Chooses among the repository's files (`discovery`, which lists every one) those under the
 * folders, matching the globs, or named; keeps the changed ones when asked to. A named file the
 * discovery did not list is reported as skipped with the reason (a link on its path, not a
 * JavaScript or TypeScript file, ignored by git, ruled out by path) instead of being dropped; an
 * unsaved file that nothing rules out is added to `discovery.files`. A glob matching no file is
 * an input error.
 */
export async function selectFiles(
  root: string,
  discovery: Discovery,
  request: SelectionRequest,
  options: DiscoverOptions,
): Promise<Selected> {
  const known = [...discovery.files, ...discovery.skipped.map((s) => s.path)];
  const paths = new Set([
    ...underFolders(known, request.folders),
    ...matchGlobs(known, request.globs),
  ]);
  const listed = new Set(known);
  const skipped: SkippedFile[] = [];
  const links = createLinkDescriber(root);
  for (const file of request.files) {
    paths.add(file);
    if (listed.has(file)) continue;
    const skip = await namedFileSkip(root, file, { options, links });
    if (skip) skipped.push(skip);
    else if (file === request.unsaved) discovery.files = [...discovery.files, file].sort();
  }
  if (request.changed) {
    const changed = new Set(request.changed);
    for (const file of paths) if (!changed.has(file)) paths.delete(file);
  }
  return { paths, skipped: skipped.filter((s) => paths.has(s.path)) };
}

function underFolders(known: readonly string[], folders: readonly string[]): string[] {
  const prefixes = folders.map((folder) => (folder === '' ? '' : `${folder}/`));
  return known.filter((file) => prefixes.some((prefix) => file.startsWith(prefix)));
}

/** The files each glob matches; a glob that matches none is an input error. */
function matchGlobs(known: readonly string[], globs: SelectionRequest['globs']): string[] {
  return globs.flatMap(({ pattern, given }) => {
    const matches = picomatch(pattern);
    const hits = known.filter((file) => matches(file));
    if (hits.length === 0) throw new InputError(`no files match ${given}`);
    return hits;
  });
}

/** The first symlink on the way to `file` (the file itself included), if any. */
async function linkOnPath(root: string, file: string): Promise<string | undefined> {
  const parts = file.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const info = await lstat(path.join(root, prefix)).catch(() => undefined);
    if (info?.isSymbolicLink()) return prefix;
  }
  return undefined;
}

/**
 * Why a named file the discovery did not list is not scanned; undefined for a file that does not
 * exist and that nothing rules out (an editor's new, unsaved file).
 */
async function namedFileSkip(
  root: string,
  file: string,
  { options, links }: { options: DiscoverOptions; links: LinkDescriber },
): Promise<SkippedFile | undefined> {
  const link = await linkOnPath(root, file);
  if (link !== undefined)
    return { path: file, reason: 'symlink', detail: await links.describe(link) };
  if (!isSourceFile(file))
    return { path: file, reason: 'unsupported', detail: 'not a JavaScript or TypeScript file' };
  if (options.isGit) {
    const rule = await ignoreRuleOf(root, file);
    if (rule !== undefined)
      return { path: file, reason: 'ignored', detail: `ignored by git (${rule})` };
  }
  const ruledOut = createPathFilter(options)(file);
  if (ruledOut) return ruledOut;
  const exists = await lstat(path.join(root, file)).then(
    () => true,
    () => false,
  );
  return exists
    ? { path: file, reason: 'ignored', detail: "not among the repository's files" }
    : undefined;
}
