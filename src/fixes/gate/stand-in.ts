import { accessSync, constants } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A stand-in for a package manager that is not installed, for scripts run as they are: it runs a
 * script of the package (`pnpm lint`, `yarn run build`, pnpm's `/regex/`, `-- args`), or a program
 * (`pnpm exec x`, `yarn dlx x`, `pnpm vitest`) with the PATH it was given, and refuses anything else
 * (installing, workspaces) with a one-line reason and exit code 127, as a missing program would.
 */
const STAND_IN_SOURCE = `#!/usr/bin/env node
'use strict';
const { spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');
const pm = basename(process.argv[1]);
const given = process.argv.slice(2);
function refuse(why) {
  process.stderr.write(pm + ' is not installed; the stand-in beast put on PATH cannot run "' + pm + ' ' + given.join(' ') + '": ' + why + '\\n');
  process.exit(127);
}
let scripts = {};
try { scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts || {}; } catch { refuse('no package.json here'); }
const IGNORED = new Set(['-s', '--silent', '--if-present', '--sequential', '--parallel', '--stream', '--aggregate-output', '--bun']);
const BUILTINS = new Set(['add', 'install', 'i', 'remove', 'update', 'up', 'upgrade', 'publish', 'pack', 'link', 'unlink', 'init', 'create', 'workspaces', 'workspace', 'why', 'audit']);
let args = given.slice();
while (args[0] !== undefined && args[0].startsWith('-')) {
  if (!IGNORED.has(args[0])) refuse('its option ' + args[0] + ' is beyond the stand-in');
  args.shift();
}
const quote = (w) => "'" + w.replace(/'/g, "'\\\\''") + "'";
function run(command, argv) {
  const result = spawnSync(command, argv, { stdio: 'inherit' });
  if (result.error) refuse(result.error.message);
  return result.status === null ? 1 : result.status;
}
function script(name, extra) {
  process.env.npm_lifecycle_event = name;
  return run('sh', ['-c', [scripts[name], ...extra.map(quote)].join(' ')]);
}
let [command, ...rest] = args;
if (command === undefined) refuse('no command');
if (command === 'exec' || command === 'dlx' || command === 'x') {
  if (rest[0] === '--') rest.shift();
  if (rest[0] === undefined) refuse('nothing to run');
  process.exit(run(rest[0], rest.slice(1)));
}
if (pm === 'bun' && command === 'test') refuse("bun test is Bun's own test runner");
if (command === 'run' || command === 'run-script') {
  while (rest[0] !== undefined && IGNORED.has(rest[0])) rest.shift();
  [command, ...rest] = rest;
  if (command === undefined) refuse('no script named');
}
if (command === 't' || command === 'tst') command = 'test';
if (rest[0] === '--') rest.shift();
const regex = pm === 'pnpm' ? /^\\/(.+)\\/$/.exec(command) : null;
if (regex) {
  const re = new RegExp(regex[1]);
  let status = 0;
  for (const name of Object.keys(scripts).filter((n) => re.test(n))) status = script(name, rest) || status;
  process.exit(status);
}
if (Object.prototype.hasOwnProperty.call(scripts, command)) process.exit(script(command, rest));
if (BUILTINS.has(command)) refuse('"' + command + '" is beyond the stand-in');
process.exit(run(command, rest));
`;

const MANAGERS = ['pnpm', 'yarn', 'bun'];

function isOnPath(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => {
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/**
 * Writes stand-ins for the package managers that `env`'s PATH lacks (pnpm, yarn, bun; npm comes
 * with Node) into `dir`; the folder to put first on PATH, or undefined when none was needed.
 */
export async function writeStandIns(
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const missing = MANAGERS.filter((name) => !isOnPath(name, env));
  if (missing.length === 0) return undefined;
  const bin = path.join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  for (const name of missing) {
    await writeFile(path.join(bin, name), STAND_IN_SOURCE);
    await chmod(path.join(bin, name), 0o755);
  }
  return bin;
}
