import { spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  realpathSync,
} from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EXIT_STAGE, isPathInside, onExit, ValidationError } from '../../core/index.js';
import { findWorkspaceOf, packageSymlinks, recordProcessGroup } from '../worktree.js';
import { wrapCommand, type SandboxPaths, type WrappedCommand } from './sandbox.js';

export interface RunProcessOptions {
  cwd: string;
  /** The child's whole environment; nothing of ours is inherited (see `testEnvironment`). */
  env: NodeJS.ProcessEnv;
  /** After this long the whole process group is killed and `timedOut` is true. */
  timeoutMs: number;
  /** Bytes kept per stream; the tail is kept, which is where runners print summaries. 4 MiB. */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL. 2 s. */
  killGraceMs?: number;
  /** Write stdout to this file, uncapped, instead of capturing it (machine-readable reports). */
  stdoutFile?: string;
  /** Folders besides the worktree the command may write in the sandbox (its report folder). */
  writable?: readonly string[];
  /** Written to the command's standard input, which is then closed; none by default. */
  input?: string;
  /** Folders of ours the command must read (our own scripts and their packages): shown read-only. */
  readOnly?: readonly string[];
  /** Show `cwd` read-only in the sandbox (a scan reading the repository's lint config). */
  readOnlyCwd?: boolean;
}

export interface ProcessResult {
  /** Exit code, or null when the process ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** True when either stream was longer than `maxOutputBytes` and lost its beginning. */
  truncated: boolean;
  durationMs: number;
}

const DEFAULT_MAX_OUTPUT = 4 * 1024 * 1024;
const DEFAULT_GRACE_MS = 2000;
/** Node's timers fire at once beyond this (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Keeps the last `max` bytes written to it. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    // Compact only when well over the cap, so a chatty child costs amortised linear time.
    if (this.size > this.max * 2) this.compact();
  }

  toString(): string {
    this.compact();
    return Buffer.concat(this.chunks).toString('utf8');
  }

  private compact(): void {
    if (this.size <= this.max) return;
    const all = Buffer.concat(this.chunks);
    this.chunks = [all.subarray(all.length - this.max)];
    this.size = this.max;
    this.truncated = true;
  }
}

/** Signals a process group, or the process alone where groups do not exist (Windows). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we wanted.
  }
}

/**
 * Process groups `runProcess` started that have not ended yet. They run detached, so a signal
 * that ends this process does not reach them: without this, Ctrl-C on `beast improve` or stopping
 * `beast serve` would leave a hanging test suite running for good (see `onExit`).
 */
const liveGroups = new Set<ChildProcess>();
let exitHooked = false;

/** Removes each live group's record for the next run (see `recordProcessGroup`). */
const records = new Map<ChildProcess, () => void>();

function untrack(child: ChildProcess): void {
  liveGroups.delete(child);
  records.get(child)?.();
  records.delete(child);
}

/** Kills every live group at once: this process is ending and cannot wait for a grace period. */
function killLiveGroups(): void {
  for (const child of liveGroups) killGroup(child, 'SIGKILL');
  liveGroups.clear();
}

/**
 * Tracks a group until it ends. Inside a run's worktree the group is also recorded beside it: if
 * this process is killed outright, the next run or server start ends what it left.
 */
function track(child: ChildProcess, lockFile: string | undefined): void {
  if (!exitHooked) {
    exitHooked = true;
    // Stays registered: it runs at exit for whatever groups are live then.
    onExit(killLiveGroups, EXIT_STAGE.processes);
  }
  liveGroups.add(child);
  if (lockFile !== undefined && child.pid !== undefined && process.platform !== 'win32')
    records.set(child, recordProcessGroup(lockFile, child.pid));
}

/** SIGTERM to the group now, SIGKILL after the grace period for whatever ignored it. */
function terminateGroup(child: ChildProcess, graceMs: number): void {
  killGroup(child, 'SIGTERM');
  setTimeout(() => {
    killGroup(child, 'SIGKILL');
    untrack(child);
  }, graceMs).unref();
}

function realNodeModules(dir: string): string | undefined {
  const link = path.join(dir, 'node_modules');
  return existsSync(link) ? realpathSync(link) : undefined;
}

const linkedCache = new Map<string, string[]>();

/**
 * The node_modules folder a linked package sits in, if it sits in one: where Node looks for the
 * dependencies another project's install hoisted beside it.
 */
function enclosingNodeModules(target: string): string | undefined {
  for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir))
    if (path.basename(dir) === 'node_modules') return dir;
  return undefined;
}

/**
 * Where the packages a node_modules links to live when that is outside it (`npm link`, a package
 * manager's global store under $HOME), with the node_modules each sits in (its hoisted
 * dependencies): shown read-only too, or the sandbox would hide them.
 */
function linkedPackages(nodeModules: string): string[] {
  const cached = linkedCache.get(nodeModules);
  if (cached) return cached;
  const targets = new Set<string>();
  for (const link of packageSymlinks(nodeModules)) {
    try {
      const real = realpathSync(link);
      if (isPathInside(nodeModules, real)) continue;
      targets.add(enclosingNodeModules(real) ?? real);
    } catch {
      // a dangling link: nothing to show
    }
  }
  const sorted = [...targets].sort((a, b) => a.length - b.length);
  const outer = sorted.filter((t, i) => !sorted.slice(0, i).some((o) => isPathInside(o, t)));
  linkedCache.set(nodeModules, outer);
  return outer;
}

/**
 * The cache folders runners keep in node_modules (AVA's `.cache/ava`, Vitest's `.vite`), created
 * if need be: they stay writable where the rest of node_modules is read-only, and a mount point
 * must exist beforehand. Nothing we load runs from them.
 */
function cacheFolders(nodeModules: string | undefined): string[] {
  if (nodeModules === undefined) return [];
  // Vite writes the bundled config of a `vite.config.*`/`vitest.config.*` to `.vite-temp`.
  return ['.cache', '.vite', '.vite-temp']
    .map((name) => path.join(nodeModules, name))
    .filter((folder) => {
      try {
        mkdirSync(folder, { recursive: true });
        return true;
      } catch {
        return false;
      }
    });
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A command that cannot start is an error of ours (a ValidationError), checked before it is
 * wrapped: a wrapper would start and report the missing program as a mere exit code.
 */
function checkStartable(command: string, cwd: string, env: NodeJS.ProcessEnv): void {
  if (process.platform === 'win32') return;
  const found = command.includes('/')
    ? isExecutable(path.resolve(cwd, command))
    : (env.PATH ?? '')
        .split(path.delimiter)
        .some((dir) => dir !== '' && isExecutable(path.join(dir, command)));
  if (!found) throw new ValidationError(`cannot start ${command}: no such program`);
}

/** `from` and its parent folders up to `top` (only `from` when it is not inside `top`). */
function ancestorsUpTo(from: string, top: string): string[] {
  const out = [path.resolve(from)];
  let dir = out[0]!;
  while (isPathInside(top, dir) && path.resolve(dir) !== path.resolve(top)) {
    dir = path.dirname(dir);
    out.push(dir);
  }
  return out;
}

/**
 * The command as it is started: sandboxed inside a run's worktree (writable), with the user's
 * repository and its node_modules read-only, and the store's folder hidden.
 */
function isolate(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): WrappedCommand & { lockFile: string | undefined } {
  checkStartable(command, options.cwd, options.env);
  const workspace = findWorkspaceOf(options.cwd);
  const top = workspace?.dir ?? options.cwd;
  // Every node_modules Node would search from the command's folder up to the top, and those of
  // the other folders it may write (a workspace root above a package): where their links point.
  const searched = [...ancestorsUpTo(options.cwd, top), ...(options.writable ?? [])];
  const nodeModules = [...new Set(searched.map(realNodeModules))].filter(
    (p): p is string => p !== undefined,
  );
  const readOnly = [...(workspace ? [workspace.repoRoot] : []), ...nodeModules];
  const shown = [...readOnly, top];
  // Read-only means nothing of the repository's is written, its node_modules' caches neither.
  const ownWritable = options.readOnlyCwd ? [] : [top, ...nodeModules.flatMap(cacheFolders)];
  if (options.readOnlyCwd) readOnly.push(top);
  const paths: SandboxPaths = {
    writable: [...ownWritable, ...(options.writable ?? [])],
    readOnly: [
      ...readOnly,
      ...(options.readOnly ?? []),
      ...nodeModules.flatMap(linkedPackages).filter((p) => !shown.some((s) => isPathInside(s, p))),
    ],
    hidden: workspace === undefined ? [] : [workspace.stateDir],
  };
  const wrapped = wrapCommand(command, args, { cwd: options.cwd, env: options.env, paths });
  return { ...wrapped, lockFile: workspace?.lockFile };
}

function openStdoutFile(path: string | undefined): number | undefined {
  if (path === undefined) return undefined;
  try {
    return openSync(path, 'w');
  } catch (error) {
    throw new ValidationError(`cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Runs a command (never through a shell) in its own process group, sandboxed where bubblewrap
 * works (see `wrapCommand`) and killed with this process. On timeout the whole group gets
 * SIGTERM, then SIGKILL after a grace period; when the command exits by itself, processes it left
 * behind in its group are ended the same way. Output is captured up to a cap. Resolves whatever the
 * exit code; rejects with a ValidationError only when the command cannot be started.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const graceMs = options.killGraceMs ?? DEFAULT_GRACE_MS;
  let wrapped: ReturnType<typeof isolate>;
  try {
    wrapped = isolate(command, args, options);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  const stdoutFd = openStdoutFile(options.stdoutFile);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(wrapped.command, wrapped.args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', stdoutFd ?? 'pipe', 'pipe'],
        windowsHide: true,
      });
    } finally {
      // The child has its own copy of the descriptor.
      if (stdoutFd !== undefined) closeSync(stdoutFd);
    }
    if (options.input !== undefined) {
      // A command that exits without reading all of it closes the pipe: not our error.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
    track(child, wrapped.lockFile);
    const stdout = new TailBuffer(max);
    const stderr = new TailBuffer(max);
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));

    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        terminateGroup(child, graceMs);
      },
      Math.min(options.timeoutMs, MAX_TIMER_MS),
    );

    const finish = (): void => {
      if (settled || exit === undefined) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({
        exitCode: exit.code,
        signal: exit.signal,
        timedOut,
        stdout: stdout.toString(),
        stderr: stderr.toString(),
        truncated: stdout.truncated || stderr.truncated,
        durationMs: Math.round(performance.now() - started),
      });
    };

    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      untrack(child);
      clearTimeout(timer);
      reject(new ValidationError(`cannot start ${command}: ${error.message}`, { cause: error }));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      terminateGroup(child, graceMs);
      // A process that escaped the group may hold our pipes open; do not wait for it forever.
      setTimeout(finish, graceMs * 2).unref();
    });
    child.on('close', finish);
  });
}

const ALLOWED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TERM',
  'TMPDIR',
  'TMP',
  'TEMP',
]);

/** Windows basics, compared case-insensitively because Windows spells them in varying case. */
const ALLOWED_WINDOWS = new Set([
  'PATH',
  'PATHEXT',
  'SYSTEMROOT',
  'SYSTEMDRIVE',
  'WINDIR',
  'COMSPEC',
  'USERPROFILE',
  'USERNAME',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
  'COMMONPROGRAMFILES',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
  'OS',
]);

function isAllowed(name: string): boolean {
  return ALLOWED.has(name) || name.startsWith('LC_') || ALLOWED_WINDOWS.has(name.toUpperCase());
}

/**
 * The environment for the repository's tests and linters: an allowlist of system basics (PATH,
 * HOME, user, locale, time zone, terminal, temporary folders, Windows basics) plus CI=1 and no
 * colour. Everything else is dropped: API keys, tokens, BEAST_*, NODE_OPTIONS, npm_* and the like.
 */
export function testEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isAllowed(name)) out[name] = value;
  }
  out.CI = '1';
  out.NO_COLOR = '1';
  out.FORCE_COLOR = '0';
  return out;
}
