import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BIN } from './repo.js';

// The built `beast serve` as a user runs it, for tests of the server as a process.

const children: ChildProcess[] = [];

/** Kills every server started here that still runs: call after each test, so none outlives it. */
export function stopServers(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

export interface Server {
  child: ChildProcess;
  url: string;
  lines: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** Starts the built `beast serve` on a free port and reads what it prints until the dashboard line. */
export async function startServe(home: string, env: Record<string, string> = {}): Promise<Server> {
  const { BEAST_API_TOKEN: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: { ...inherited, BEAST_HOME: home, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stderr: string[] = [];
  const stderrDone = new Promise<void>((resolve) =>
    createInterface({ input: child.stderr! })
      .on('line', (l) => stderr.push(l))
      .on('close', resolve),
  );
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout! });
  for await (const line of reader) {
    lines.push(line);
    if (line.startsWith('beast: dashboard')) break;
  }
  if (!lines.at(-1)?.startsWith('beast: dashboard'))
    throw new Error(`beast serve did not start: ${stderr.join('\n')}`);
  const url = /serving on (\S+)/.exec(lines[0] ?? '')?.[1] ?? '';
  return {
    child,
    url,
    lines,
    stderr,
    exited: exited.then(async (code) => (await stderrDone, code)),
  };
}

export function client(server: Server, token: string) {
  return async (method: string, url: string, body?: unknown): Promise<Response> =>
    fetch(new URL(url, server.url), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}
