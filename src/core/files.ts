import { constants } from 'node:fs';
import { lstat, open, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { InputError } from './errors.js';

/**
 * Writes through a temporary file and a rename, so a killed process never leaves half a file;
 * a failure removes the temporary file and is reported as an InputError naming the file (its
 * cause keeps the system's code, so a full disk can be told apart). The temporary file is created
 * exclusively, so a symlink planted under its name is never followed, and the rename replaces a
 * symlink at `file` rather than writing through it.
 *
 * A target that exists and is not a regular file (`/dev/stdout`, a named pipe, `/dev/full`) is
 * written to directly: a rename would replace the device or pipe with a plain file.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const target = await stat(file).catch(() => undefined);
  if (target !== undefined && !target.isFile() && !target.isDirectory()) {
    await writeFile(file, text).catch((error: unknown) => {
      throw writeError(file, error);
    });
    return;
  }
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await rm(temp, { force: true });
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw writeError(file, error);
  }
}

function writeError(file: string, error: unknown): InputError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new InputError(`cannot write ${file}: ${reason}`, { cause: error });
}

/**
 * A repository path refused because reading or writing it could reach outside the repository:
 * it is absolute or climbs out with `../` (`outside`), goes through a symlink (`symlink`), or is
 * a file with other hard links (`hard-link`). An InputError, so the CLI exits 2 and the API
 * answers 400.
 */
export class OutsideRepositoryError extends InputError {
  readonly reason: 'outside' | 'symlink' | 'hard-link';
  constructor(reason: OutsideRepositoryError['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}

/** How `resolveInside` and `readInside` treat symlinks. */
export interface InsideOptions {
  /**
   * Follow a symlink whose target (resolved fully) stays inside the root. Reads only, and only
   * when asked: without it any symlink on the way is refused, and `writeInside` never follows one.
   */
  followInside?: boolean;
}

/** O_NOFOLLOW is POSIX; where it is missing (Windows) the lstat walk alone guards. */
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** Opening a FIFO would otherwise block a thread until someone writes to it. */
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Whether `target` is `root` or lies below it, judged on the paths as written (resolve or realpath
 * them first). A name that merely starts with `..` (`..cache`) is inside.
 */
export function isPathInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function symlinkRefused(relPath: string, link: string): OutsideRepositoryError {
  const where =
    link === relPath ? `${relPath} is a symlink` : `${relPath} goes through the symlink ${link}`;
  return new OutsideRepositoryError(
    'symlink',
    `${where}: left alone (BEAST MODE never reads or writes repository files through symlinks)`,
  );
}

/** What lstat says of one component of a path. */
type Component = 'missing' | 'plain' | 'symlink';

async function lstatComponent(file: string): Promise<Component> {
  try {
    return (await lstat(file)).isSymbolicLink() ? 'symlink' : 'plain';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

/** How far `resolve` checks: all components, or only the folders (the open guards the file). */
interface Walk {
  foldersOnly: boolean;
  /** Folders already checked, shared by the reads of one `createInsideReader`. */
  folders?: Map<string, Promise<Component>>;
}

function splitInside(relPath: string): string[] {
  if (relPath.includes('\0'))
    throw new OutsideRepositoryError('outside', `${JSON.stringify(relPath)} contains a NUL byte`);
  if (path.isAbsolute(relPath))
    throw new OutsideRepositoryError(
      'outside',
      `${relPath} is an absolute path, not a path inside the repository`,
    );
  const parts = path
    .normalize(relPath)
    .split(path.sep)
    .filter((p) => p !== '' && p !== '.');
  if (parts[0] === '..')
    throw new OutsideRepositoryError('outside', `${relPath} is outside the repository`);
  return parts;
}

/** `lstatComponent`, remembered in `folders` when given. */
function componentAt(
  file: string,
  folders: Map<string, Promise<Component>> | undefined,
): Promise<Component> {
  let kind = folders?.get(file);
  if (kind === undefined) {
    kind = lstatComponent(file);
    folders?.set(file, kind);
  }
  return kind;
}

/** Refuses the symlink `current` unless `followInside` was asked for. */
function checkLink(base: string, current: string, relPath: string, options: InsideOptions): void {
  if (!options.followInside) throw symlinkRefused(relPath, linkName(base, current));
}

/** Refuses the symlink `current` when its target (fully resolved) leaves the real root. */
async function followLink(
  realBase: string,
  base: string,
  current: string,
  relPath: string,
): Promise<void> {
  const real = await realpath(current).catch(() => undefined);
  if (real !== undefined && isPathInside(realBase, real)) return;
  const what = real === undefined ? 'is broken or loops' : 'points outside the repository';
  throw new OutsideRepositoryError(
    'symlink',
    `${relPath}: the symlink ${linkName(base, current)} ${what}; not followed`,
  );
}

function linkName(base: string, current: string): string {
  return path.relative(base, current).split(path.sep).join('/');
}

async function resolve(
  root: string,
  relPath: string,
  options: InsideOptions,
  walk: Walk,
): Promise<string> {
  const base = path.resolve(root);
  const parts = splitInside(relPath);
  const target = path.join(base, ...parts);
  const checked = walk.foldersOnly ? parts.length - 1 : parts.length;
  let realBase: string | undefined;
  let current = base;
  for (const part of parts.slice(0, checked)) {
    current = path.join(current, part);
    const component = await componentAt(current, walk.folders);
    if (component === 'missing') return target;
    if (component === 'plain') continue;
    checkLink(base, current, relPath, options);
    realBase ??= await realpath(base);
    await followLink(realBase, base, current, relPath);
  }
  return target;
}

/**
 * The absolute path of `relPath` inside `root`, checked component by component with lstat: the
 * one place where every read and write of repository content is confined to the repository.
 * Refuses (with an OutsideRepositoryError) an absolute path, a path that climbs out with `../`,
 * and any symlink on the way, except, with `followInside`, one whose target stays inside `root`.
 * Components that do not exist yet are fine: a file about to be created has no symlink to follow.
 * Between this check and the open a folder could still be swapped for a symlink; the final
 * component is guarded by O_NOFOLLOW in `readInside` and `writeInside`.
 */
export async function resolveInside(
  root: string,
  relPath: string,
  options: InsideOptions = {},
): Promise<string> {
  return resolve(root, relPath, options, { foldersOnly: false });
}

function openRefused(error: unknown, relPath: string): unknown {
  // With O_NOFOLLOW, ELOOP means the last component is a symlink.
  return (error as NodeJS.ErrnoException).code === 'ELOOP'
    ? symlinkRefused(relPath, relPath)
    : error;
}

async function readResolved(
  root: string,
  relPath: string,
  options: InsideOptions,
  folders?: Map<string, Promise<Component>>,
): Promise<Buffer> {
  // Without followInside, O_NOFOLLOW checks the file itself in the open: only folders need lstat.
  const foldersOnly = !options.followInside && O_NOFOLLOW !== 0;
  const file = await resolve(root, relPath, options, { foldersOnly, folders });
  const flags = constants.O_RDONLY | O_NONBLOCK | (options.followInside ? 0 : O_NOFOLLOW);
  const handle = await open(file, flags).catch((error: unknown) => {
    throw openRefused(error, relPath);
  });
  try {
    if (!(await handle.stat()).isFile()) throw new InputError(`${relPath} is not a regular file`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * Reads a repository file confined as `resolveInside` says, opening it without following a
 * symlink; only regular files are read. IO errors (ENOENT, EACCES) are thrown as they are.
 */
export function readInside(
  root: string,
  relPath: string,
  options: InsideOptions = {},
): Promise<Buffer> {
  return readResolved(root, relPath, options);
}

/**
 * `readInside` without following any symlink, for reading many files of `root` at once (a
 * scan): each folder is checked once per reader instead of once per file, so a folder swapped
 * for a symlink while the reader is in use can go unnoticed. Make one per batch of reads.
 */
export function createInsideReader(root: string): (relPath: string) => Promise<Buffer> {
  const folders = new Map<string, Promise<Component>>();
  return (relPath) => readResolved(root, relPath, {}, folders);
}

/** `readInside` as UTF-8 text. */
export async function readTextInside(
  root: string,
  relPath: string,
  options: InsideOptions = {},
): Promise<string> {
  return (await readInside(root, relPath, options)).toString('utf8');
}

/**
 * Writes a repository file in place (keeping its mode), confined as `resolveInside` says and
 * never through a symlink: every writer of repository content goes through here. A file with
 * other hard links is refused too, as writing it would change those files as well.
 */
export async function writeInside(
  root: string,
  relPath: string,
  data: string | Uint8Array,
): Promise<void> {
  const file = await resolveInside(root, relPath);
  const flags = constants.O_WRONLY | constants.O_CREAT | O_NONBLOCK | O_NOFOLLOW;
  const handle = await open(file, flags, 0o666).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO')
      throw new InputError(`${relPath} is not a regular file; not written`);
    throw openRefused(error, relPath);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new InputError(`${relPath} is not a regular file; not written`);
    if (info.nlink > 1)
      throw new OutsideRepositoryError(
        'hard-link',
        `${relPath} has other hard links; not written (the change would reach them too)`,
      );
    await handle.truncate(0);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

/**
 * Folders that are never a repository root, compared exactly (a project in /opt/app or
 * /usr/local/lib/app is fine): the filesystem root (`/`, a drive root such as `C:\`), the
 * top-level system folders of Linux (/bin, /boot, /dev, /etc, /home, /lib*, /media, /mnt, /opt,
 * /proc, /root, /run, /sbin, /snap, /srv, /sys, /tmp, /usr, /var), the common folders below
 * /usr and /var that hold shared programs, libraries and state, those of macOS (/Applications,
 * /Library, /System, /Users, /Volumes, /private and its etc, tmp and var), and the user's home
 * folder itself. Registering one would make a scan walk, read and (with improve) change files
 * of the whole machine.
 */
export const SYSTEM_FOLDERS: readonly string[] = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/media',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/snap',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/bin',
  '/usr/include',
  '/usr/lib',
  '/usr/lib64',
  '/usr/libexec',
  '/usr/local',
  '/usr/local/bin',
  '/usr/local/lib',
  '/usr/local/share',
  '/usr/sbin',
  '/usr/share',
  '/usr/src',
  '/var',
  '/var/cache',
  '/var/lib',
  '/var/log',
  '/var/tmp',
  '/Applications',
  '/Library',
  '/System',
  '/Users',
  '/Volumes',
  '/private',
  '/private/etc',
  '/private/tmp',
  '/private/var',
];

const SYSTEM_FOLDER_SET = new Set(SYSTEM_FOLDERS);

/** Pure: why `folder` (absolute) cannot be a repository root, or undefined when it can. */
export function systemFolderReason(folder: string, home: string): string | undefined {
  const resolved = path.resolve(folder);
  if (path.parse(resolved).root === resolved) return 'is the filesystem root';
  if (SYSTEM_FOLDER_SET.has(resolved)) return 'is a system folder';
  if (home !== '' && resolved === path.resolve(home)) return 'is the home folder itself';
  return undefined;
}

/**
 * Throws an InputError when `folder` is no place for a repository: the filesystem root, a
 * system folder of `SYSTEM_FOLDERS`, or the home folder itself. Both the path as given and its
 * real path are checked, so a symlink to `/` is refused too.
 */
export async function checkRepositoryRoot(folder: string, home = homedir()): Promise<void> {
  const resolved = path.resolve(folder);
  const real = await realpath(resolved).catch(() => resolved);
  for (const candidate of new Set([resolved, real])) {
    const reason = systemFolderReason(candidate, home);
    if (reason) {
      const shown = candidate === folder ? folder : `${folder} (${candidate})`;
      throw new InputError(`${shown} ${reason}, not a repository; choose a project folder`);
    }
  }
}
