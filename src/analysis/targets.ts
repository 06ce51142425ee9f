import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { checkRepositoryRoot, InputError } from '../core/index.js';
import { isSourceFile } from './files.js';
import { listChangedFiles, runGit } from './git.js';

/** Some of a repository's files, chosen by paths, globs, `--changed` or `--stdin`. */
export interface FileSelection {
  by: 'paths' | 'changed' | 'stdin';
  /** Files named one by one, repository-relative: a skipped one is reported, never dropped. */
  files: string[];
  /** Folders whose files are chosen, repository-relative ('' is the whole repository). */
  folders: string[];
  /** Globs rebased onto the root, each with the text the user gave (for errors). */
  globs: { pattern: string; given: string }[];
  /** When set, only these files (repository-relative) are kept of the above. */
  changed?: string[];
  /** Source to analyse in place of `files[0]`'s content: an editor's unsaved buffer. */
  stdin?: { path: string; source: string };
}

/** What `beast scan` arguments resolve to: one repository and the files chosen in it. */
export interface Targets {
  root: string;
  selection: FileSelection;
}

export interface TargetRequest {
  cwd: string;
  /** Files, folders and globs as given on the command line. */
  paths: readonly string[];
  changed?: boolean;
  /** `--stdin-filename` and the source read from stdin. */
  stdin?: { path: string; source: string };
}

type Target =
  | { kind: 'file'; given: string; abs: string }
  | { kind: 'folder'; given: string; abs: string }
  | { kind: 'glob'; given: string; abs: string; glob: string };

function isInside(rel: string): boolean {
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function toPosix(rel: string): string {
  return rel.split(path.sep).join('/');
}

/** The nearest folder at or above `abs` that exists. */
async function existingFolder(abs: string): Promise<string> {
  for (let dir = abs; ; dir = path.dirname(dir)) {
    const info = await stat(dir).catch(() => undefined);
    if (info?.isDirectory() || dir === path.dirname(dir)) return dir;
  }
}

/** A path that does not exist: a glob, or a clear error. */
function globTarget(cwd: string, given: string, error: NodeJS.ErrnoException): Target {
  if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR')
    throw new InputError(`cannot read ${given}: ${error.code ?? error.message}`, { cause: error });
  const scanned = picomatch.scan(given);
  if (!scanned.isGlob) throw new InputError(`no such file or folder: ${given}`);
  if (scanned.negated) throw new InputError(`negated globs are not supported: ${given}`);
  return { kind: 'glob', given, abs: path.resolve(cwd, scanned.base), glob: scanned.glob };
}

async function classifyTarget(cwd: string, given: string): Promise<Target> {
  const abs = path.resolve(cwd, given);
  const info = await stat(abs).catch((error: NodeJS.ErrnoException) => error);
  // A named link is a file to report as skipped where it is, not a way to another folder.
  const link = (await lstat(abs).catch(() => undefined))?.isSymbolicLink() === true;
  if (link) return { kind: 'file', given, abs };
  if (info instanceof Error) return globTarget(cwd, given, info);
  return { kind: info.isDirectory() ? 'folder' : 'file', given, abs };
}

interface Root {
  /** The real path of the repository. */
  root: string;
  /** The repository's folder as the paths name it, when links above it make it differ. */
  named?: string;
  isGit: boolean;
}

/**
 * The git work tree `anchor` lies in as written: the nearest folder above it holding `.git`,
 * looked for only in folders that are not links, so that a link inside a repository to another
 * one leads nowhere.
 */
async function namedGitRoot(anchor: string): Promise<Root | undefined> {
  for (let dir = anchor; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const info = await lstat(dir).catch(() => undefined);
    if (info?.isSymbolicLink()) continue;
    const dotGit = await lstat(path.join(dir, '.git')).catch(() => undefined);
    if (dotGit === undefined) continue;
    const top = await runGit(dir, ['rev-parse', '--show-toplevel']);
    if (top.code === 0) return { root: top.stdout.trim(), named: dir, isGit: true };
  }
  return undefined;
}

/**
 * The repository the paths are in: the git work tree of the first one, or, outside git, the
 * folder they all share. A link to the project works as the project.
 */
async function findRoot(anchors: readonly [string, ...string[]]): Promise<Root> {
  const named = await namedGitRoot(anchors[0]);
  if (named) return named;
  const real = await Promise.all(anchors.map((a) => realpath(a).catch(() => a)));
  const [first = anchors[0], ...rest] = real;
  const top = await runGit(first, ['rev-parse', '--show-toplevel']);
  if (top.code === 0) return { root: top.stdout.trim(), isGit: true };
  let common = first;
  for (const dir of rest) {
    while (!isInside(path.relative(common, dir))) common = path.dirname(common);
  }
  return { root: common, isGit: false };
}

/** `findRoot`, refusing a system folder, and paths that share nothing more than one. */
async function findCheckedRoot(anchors: readonly [string, ...string[]]): Promise<Root> {
  const found = await findRoot(anchors);
  await checkRepositoryRoot(found.root).catch((error: unknown) => {
    if (found.isGit || anchors.length < 2) throw error;
    throw new InputError(
      `the paths are not in one repository: the only folder they share is ${found.root}`,
      { cause: error },
    );
  });
  return found;
}

/**
 * `abs` relative to `root`: as written when it lies inside, else through the real path of its
 * folder (a link outside the repository to the project). Links inside the repository are kept
 * in the path, so that they are reported as skipped rather than followed.
 */
async function relativeTo({ root, named }: Root, abs: string, given: string): Promise<string> {
  for (const base of named === undefined ? [root] : [named, root]) {
    const lexical = path.relative(base, abs);
    if (isInside(lexical)) return toPosix(lexical);
  }
  const folder = await realpath(path.dirname(abs)).catch(() => undefined);
  const real =
    folder === undefined ? undefined : path.relative(root, path.join(folder, path.basename(abs)));
  if (real !== undefined && isInside(real)) return toPosix(real);
  throw new InputError(
    `${given} is outside the repository ${root} (all paths must be in one repository)`,
  );
}

function anchorOf(target: Target): Promise<string> {
  return target.kind === 'file'
    ? Promise.resolve(path.dirname(target.abs))
    : existingFolder(target.abs);
}

async function selectionOf(
  root: Root,
  targets: readonly Target[],
  by: FileSelection['by'],
): Promise<FileSelection> {
  const selection: FileSelection = { by, files: [], folders: [], globs: [] };
  for (const t of targets) {
    const rel = await relativeTo(root, t.abs, t.given);
    if (t.kind === 'file') selection.files.push(rel);
    else if (t.kind === 'folder') selection.folders.push(rel);
    else
      selection.globs.push({ pattern: rel === '' ? t.glob : `${rel}/${t.glob}`, given: t.given });
  }
  return selection;
}

/** `--stdin-filename`: the repository is the one it would be in; the file need not exist. */
async function resolveStdin(
  cwd: string,
  stdin: NonNullable<TargetRequest['stdin']>,
): Promise<Targets> {
  const abs = path.resolve(cwd, stdin.path);
  const found = await findCheckedRoot([await existingFolder(path.dirname(abs))]);
  const rel = await relativeTo(found, abs, stdin.path);
  const { root } = found;
  return {
    root,
    selection: {
      by: 'stdin',
      files: [rel],
      folders: [],
      globs: [],
      stdin: { path: rel, source: stdin.source },
    },
  };
}

/**
 * Resolves `beast scan` paths, globs, `--changed` and `--stdin-filename` to one repository and a
 * selection of its files. Missing paths, paths outside the repository and a repository that is a
 * system folder are input errors; globs are matched later, against the repository's files.
 */
export async function resolveTargets(request: TargetRequest): Promise<Targets> {
  const { cwd, stdin, changed } = request;
  if (stdin) return resolveStdin(cwd, stdin);
  const [first = '.', ...rest] = request.paths;
  const targets = await Promise.all([first, ...rest].map((p) => classifyTarget(cwd, p)));
  const anchors = await Promise.all(targets.map(anchorOf));
  const found = await findCheckedRoot([anchors[0] ?? cwd, ...anchors.slice(1)]);
  const { root, isGit } = found;
  const selection = await selectionOf(found, targets, changed ? 'changed' : 'paths');
  if (changed) {
    if (!isGit) throw new InputError(`--changed needs a git repository, and ${root} is not in one`);
    selection.changed = (await listChangedFiles(root)).filter(isSourceFile);
  }
  return { root, selection };
}
