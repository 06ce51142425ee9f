import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { isPathInside, sandboxSettings, ValidationError } from '../../core/index.js';

/**
 * The repository's commands run inside bubblewrap: their own PID namespace and /proc (this process
 * and its environment are invisible), the file system read-only except the worktree and the
 * runner's report folder, $HOME and the store's folder replaced by empty ones, a private /tmp,
 * no network unless allowed, and killed with their parent. Where bubblewrap cannot run, they are
 * tied to our life with `setpriv --pdeathsig` at least.
 */

/** What a command may see of the file system. */
export interface SandboxPaths {
  /** Folders it may write: the worktree, the runner's report folder. */
  writable: readonly string[];
  /** Folders shown read-only even inside a hidden one: the repository, Node's installation. */
  readOnly: readonly string[];
  /** Folders replaced by an empty one: $HOME, the store's folder, temporary folders. */
  hidden: readonly string[];
}

/** A command as it is actually started. */
export interface WrappedCommand {
  command: string;
  args: string[];
  /** `bwrap`: sandboxed; `setpriv`: only killed with us; `none`: neither was available. */
  isolation: 'bwrap' | 'setpriv' | 'none';
}

const probes = new Map<string, string | undefined>();

/**
 * Our own PATH, never the command's: the command's puts the repository's `node_modules/.bin` (and
 * its Node's folder) first, and a repository must not be able to supply the sandbox itself.
 */
function ownPath(): string {
  return process.env.PATH ?? '';
}

/** The absolute path of a program on our own PATH (the name itself when it is not found). */
function ownProgram(name: string): string {
  for (const dir of ownPath().split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return name;
}
let unsandboxed: string | undefined;

/**
 * Whether `command args` runs here, tried once per process: bwrap may be installed yet unusable
 * (no user namespaces in a container, say). Undefined when it works; else why not.
 */
function probe(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): string | undefined {
  const key = [ownPath(), command, ...args].join(' ');
  if (probes.has(key)) return probes.get(key);
  let problem: string | undefined;
  try {
    execFileSync(command, [...args, 'true'], {
      env: { ...env, PATH: ownPath() },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: Buffer };
    const said = stderr?.toString('utf8').trim().split('\n')[0];
    problem =
      code === 'ENOENT'
        ? `${path.basename(command)} is not installed`
        : `${path.basename(command)} fails: ${said ?? code}`;
  }
  probes.set(key, problem);
  return problem;
}

const BWRAP_PROBE = [
  '--ro-bind',
  '/',
  '/',
  '--dev',
  '/dev',
  '--proc',
  '/proc',
  '--unshare-pid',
  '--unshare-net',
  '--die-with-parent',
  '--',
];
const SETPRIV = ['--pdeathsig', 'SIGKILL', '--'];

function existing(paths: readonly (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    if (p === undefined || p === '' || !path.isAbsolute(p) || !existsSync(p)) continue;
    out.add(path.resolve(p));
  }
  // Outer folders first, so that a mount inside one comes after it.
  return [...out].sort((a, b) => a.length - b.length);
}

/**
 * The folders a command's own files live in, when they are inside a hidden folder (Node under
 * ~/.nvm, tools in ~/.local/bin): shown read-only so that it still starts.
 */
function toolFolders(command: string, env: NodeJS.ProcessEnv, hidden: readonly string[]): string[] {
  const folders = (env.PATH ?? '').split(path.delimiter);
  if (path.isAbsolute(command)) {
    const real = existsSync(command) ? realpathSync(command) : command;
    // bin/node -> the installation, which holds its lib/ too.
    folders.push(path.dirname(path.dirname(real)));
  }
  return folders.filter((f) => path.isAbsolute(f) && hidden.some((h) => isPathInside(h, f)));
}

function bwrapArgs(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  paths: SandboxPaths,
): string[] {
  const temporary = [env.TMPDIR, env.TMP, env.TEMP].filter((t) => t !== undefined && t !== '/');
  const hidden = existing([homedir(), env.HOME, ...paths.hidden, ...temporary]).filter(
    (h, i, all) => h !== '/' && !all.slice(0, i).some((outer) => isPathInside(outer, h)),
  );
  const readOnly = existing([...paths.readOnly, ...toolFolders(command, env, hidden)]);
  const writable = existing([...paths.writable]);
  return [
    '--die-with-parent',
    '--new-session',
    '--unshare-pid',
    '--unshare-ipc',
    ...(sandboxSettings().network ? [] : ['--unshare-net']),
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    // node_modules is read-only: tools that keep a cache there (find-cache-dir: AVA, Babel) use this.
    '--setenv',
    'CACHE_DIR',
    '/tmp/.cache',
    // Sockets of other services (a container engine's among them) live under /run.
    ...(sandboxSettings().network ? [] : existing(['/run']).flatMap((p) => ['--tmpfs', p])),
    ...hidden.flatMap((h) => ['--tmpfs', h]),
    ...readOnly.flatMap((p) => ['--ro-bind', p, p]),
    ...writable.flatMap((p) => ['--bind', p, p]),
    '--chdir',
    cwd,
    '--',
    command,
    ...args,
  ];
}

/**
 * Turns a repository command into the command that runs it isolated. `env` is the command's
 * (already stripped) environment and is also bwrap's: pid 1 in the sandbox is bwrap itself, whose
 * /proc/1/environ the command can read. Throws a ValidationError when `BEAST_SANDBOX=bwrap` and
 * bubblewrap cannot run.
 */
export function wrapCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; paths: SandboxPaths },
): WrappedCommand {
  if (process.platform !== 'linux') {
    unsandboxed ??= `no sandbox on ${process.platform}`;
    return { command, args: [...args], isolation: 'none' };
  }
  if (sandboxSettings().mode !== 'off') {
    const bwrap = ownProgram('bwrap');
    const problem = probe(bwrap, BWRAP_PROBE, options.env);
    if (problem === undefined) {
      return {
        command: bwrap,
        args: bwrapArgs(command, args, options.cwd, options.env, options.paths),
        isolation: 'bwrap',
      };
    }
    if (sandboxSettings().mode === 'bwrap') {
      throw new ValidationError(`BEAST_SANDBOX=bwrap, but ${problem}`);
    }
    unsandboxed ??= problem;
  } else {
    unsandboxed ??= 'BEAST_SANDBOX=off';
  }
  const setpriv = ownProgram('setpriv');
  if (probe(setpriv, SETPRIV, options.env) === undefined) {
    return { command: setpriv, args: [...SETPRIV, command, ...args], isolation: 'setpriv' };
  }
  return { command, args: [...args], isolation: 'none' };
}

/**
 * Why a repository command would run without bubblewrap here (another platform, a kernel that
 * refuses it, `BEAST_SANDBOX=off`), or undefined when it would run sandboxed. For callers whose
 * command is optional and should not run unsandboxed unless the user chose so.
 */
export function sandboxUnavailable(env: NodeJS.ProcessEnv): string | undefined {
  if (process.platform !== 'linux') return `no sandbox on ${process.platform}`;
  if (sandboxSettings().mode === 'off') return 'BEAST_SANDBOX=off';
  return probe(ownProgram('bwrap'), BWRAP_PROBE, env);
}

/**
 * The warning for the run report when this process ran a repository command without a sandbox:
 * such a command can read our environment (API keys) through /proc and our files under $HOME.
 */
export function sandboxWarnings(): string[] {
  if (unsandboxed === undefined) return [];
  return [
    `the repository's tests and linter ran without a sandbox (${unsandboxed}): they could read this process's environment through /proc and files under $HOME; install bubblewrap (scripts/install-sandbox.sh)`,
  ];
}
