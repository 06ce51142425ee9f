import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { Option } from 'commander';
import { InputError } from '../core/index.js';

/** Exit codes: ok, a quality gate failed, bad usage or input, an internal error. */
export const EXIT = { ok: 0, gateFailed: 1, usage: 2, internal: 3 } as const;

/** What commands need from the outside world; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where `--stdin` reads from; process.stdin when absent. */
  stdin?: NodeJS.ReadableStream;
}

export interface CommandResult {
  exitCode: number;
}

export function dbOption(): Option {
  return new Option(
    '--db <path>',
    'SQLite database file (default: $BEAST_HOME/beast.db or the user data folder)',
  );
}

/** Commander collector for a repeatable, comma-separated option: `--x a,b --x c` → [a, b, c]. */
export function commaList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/**
 * The absolute path of `target`, which must be an existing folder: checked before any work, so a
 * typo is one line and exit 2 rather than a late, confusing failure (git spawned in a file).
 */
export async function requireFolder(io: CliIo, target: string): Promise<string> {
  const root = path.resolve(io.cwd, target);
  const info = await stat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw new InputError(`cannot read ${target}: ${error.code ?? error.message}`, {
      cause: error,
    });
  });
  if (info === undefined) throw new InputError(`no such folder: ${target}`);
  if (!info.isDirectory())
    throw new InputError(`not a folder: ${target} (give the repository's folder)`);
  return root;
}

/**
 * Checks up front that an output file named by `flag` can be written, without creating it: its
 * folder exists and is writable, and the file, if present, is not a folder and is writable.
 */
export async function requireWritable(io: CliIo, flag: string, file: string): Promise<string> {
  const target = path.resolve(io.cwd, file);
  const fail = (reason: string): InputError =>
    new InputError(`${flag}: cannot write ${file}: ${reason}`);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw fail('it is a folder');
  const probe = existing ? target : path.dirname(target);
  if (!existing) {
    const folder = await stat(probe).catch(() => undefined);
    if (!folder) throw fail(`no such folder ${path.dirname(file) || '.'}`);
    if (!folder.isDirectory()) throw fail(`${path.dirname(file)} is not a folder`);
  }
  await access(probe, constants.W_OK).catch(() => {
    throw fail('permission denied');
  });
  return target;
}
