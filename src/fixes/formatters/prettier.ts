import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runProcess, testEnvironment } from '../gate/process.js';
import { FORMAT_TIMEOUT_MS, type Formatter, type LoadedFormatter } from './types.js';

const CONFIG_FILES =
  /^(\.prettierrc(\.(json5?|ya?ml|toml|[cm]?[jt]s))?|prettier\.config\.[cm]?[jt]s)$/;

/** Whether the repository configures Prettier: a config file, or `prettier` in package.json. */
export function hasPrettierConfig(root: string): boolean {
  if (readdirSync(root).some((name) => CONFIG_FILES.test(name))) return true;
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      prettier?: unknown;
    };
    return pkg.prettier !== undefined;
  } catch {
    return false;
  }
}

/** Marks the reply line of the formatting process among whatever its config prints. */
const REPLY = '\u0000beast-format-reply:';

/**
 * The formatting process: loads the repository's Prettier (2.x or 3.x), answers one request read from
 * standard input (`probe`, or format one file's proposed text as the repository formats it) with
 * one marked JSON line. Prettier runs the repository's config files, which are code
 * (`prettier.config.js`, plugins), so it runs as the repository's tests do: in the sandbox.
 */
const FORMAT_SCRIPT = `
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const loaded = await import(request.entry);
// Prettier 2 is CommonJS: only some of its functions show as named exports.
const api = typeof loaded.default?.check === 'function' ? loaded.default : loaded;
async function answer() {
  if (request.op === 'probe') return { version: api?.version, ok: typeof api?.check === 'function' };
  const info = await api.getFileInfo(request.filepath, { resolveConfig: true });
  if (info.ignored) return { output: request.proposed };
  const options = { ...(await api.resolveConfig(request.filepath)), filepath: request.filepath };
  if (!(await api.check(request.original, options))) return { output: request.proposed };
  try {
    return { output: await api.format(request.proposed, options) };
  } catch {
    return { output: request.proposed };
  }
}
process.stdout.write('\\n' + ${JSON.stringify(REPLY)} + JSON.stringify(await answer()) + '\\n');
`;

interface FormatReply {
  version?: string;
  ok?: boolean;
  output?: string;
}

/** Runs one request in the formatting process; undefined with the reason when it fails. */
async function requestFormat(
  root: string,
  request: Record<string, unknown>,
): Promise<{ reply: FormatReply } | { reason: string }> {
  const input = JSON.stringify(request);
  const result = await runProcess(
    process.execPath,
    ['--input-type=module', '--eval', FORMAT_SCRIPT],
    {
      cwd: root,
      env: testEnvironment(),
      timeoutMs: FORMAT_TIMEOUT_MS,
      input,
      maxOutputBytes: 4 * input.length + 1024 * 1024,
    },
  );
  const line = result.stdout.split('\n').findLast((l) => l.startsWith(REPLY));
  if (result.exitCode !== 0 || line === undefined) {
    const said = result.stderr.trim().split('\n').at(-1) ?? '';
    const how = result.timedOut ? 'timed out' : `exit code ${result.exitCode ?? result.signal}`;
    return { reason: `Prettier failed (${how})${said ? `: ${said.slice(0, 200)}` : ''}` };
  }
  return { reply: JSON.parse(line.slice(REPLY.length)) as FormatReply };
}

/**
 * Prettier from the repository's own dependencies (it has a Prettier config: see
 * `hasPrettierConfig`), or the reason it cannot be used. Prettier runs in a sandboxed process of
 * its own (see `runProcess`), never in ours: its config is the repository's code.
 */
export async function loadPrettier(root: string): Promise<LoadedFormatter> {
  let entry: string;
  try {
    entry = pathToFileURL(createRequire(path.join(root, 'package.json')).resolve('prettier')).href;
  } catch {
    return { reason: 'a Prettier config, but Prettier is not installed' };
  }
  const probe = await requestFormat(root, { op: 'probe', entry });
  if ('reason' in probe) return probe;
  if (probe.reply.ok !== true) return { reason: 'an unsupported Prettier version' };
  const formatter: Formatter = {
    name: `Prettier ${probe.reply.version ?? '?'}`,
    async format(file, original, proposed) {
      const filepath = path.join(root, file);
      // A new file (a generated test) is formatted too: its original is empty.
      if (original !== '' && !existsSync(filepath)) return proposed;
      const done = await requestFormat(root, {
        op: 'format',
        entry,
        filepath,
        original,
        proposed,
      });
      // A formatter that fails leaves the change as the model wrote it, for the gate to judge.
      return 'reply' in done && typeof done.reply.output === 'string'
        ? done.reply.output
        : proposed;
    },
  };
  return { formatter };
}
