import { spawn, spawnSync } from 'node:child_process';
import type { Writable } from 'node:stream';
import { closeSync, lstatSync, openSync, statSync } from 'node:fs';
import { chmod, mkdtemp, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../src/analysis/index.js';
import { makeImproveFixture } from '../helpers/improve-fixture.js';
import { BIN, beast, git, makeRepo, type CliResult } from '../helpers/repo.js';

// The small holes of the CLI: broken pipes, full disks, paths and ids checked too late or not at
// all, foreign databases, and the permissions of what beast writes for itself.

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'beast-holes-home-'));
});

const GOOD = `export function add(a: number, b: number): number {\n  return a + b;\n}\n`;

/** /dev/full answers every write with ENOSPC: a full disk, for real, where Linux provides it. */
const hasDevFull = ((): boolean => {
  try {
    return statSync('/dev/full').isCharacterDevice();
  } catch {
    return false;
  }
})();

/** Runs the built CLI with its stdout on the given file descriptor or pipe. */
function beastTo(args: string[], stdout: number | Writable): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', BEAST_HOME: home },
      stdio: ['ignore', stdout, 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr }));
  });
}

describe('output that cannot be written', () => {
  it('ends quietly with the command’s own exit code when the reader closes the pipe early', async () => {
    // Enough files that the JSON report is far larger than a pipe's buffer.
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++) files[`src/f${i}.ts`] = GOOD.replace('add', `add${i}`);
    // One finding, for a gate to fail on.
    files['src/any.ts'] = 'export const x: any = 1;\n';
    const dir = await makeRepo(files);
    const args = ['scan', dir, '--format', 'json', '--quiet', '--no-store'];
    // Far more than a pipe holds (64 KiB), so the writer is still writing when head has gone.
    expect(beast(args).stdout.length).toBeGreaterThan(200_000);
    // A passing gate stays 0 and a failing one 1: the reader going away changes neither.
    for (const [gate, code] of [
      [['--fail-on', 'none'], 0],
      [['--fail-on', 'info'], 1],
    ] as const) {
      // `beast scan … | head -c 10`, with a real head that exits after ten bytes.
      const head = spawn('head', ['-c', '10'], { stdio: ['pipe', 'pipe', 'inherit'] });
      let headOut = '';
      head.stdout.on('data', (chunk: Buffer) => (headOut += chunk.toString('utf8')));
      const headClosed = new Promise<void>((resolve) => head.on('close', () => resolve()));
      const running = beastTo([...args, ...gate], head.stdin);
      // Our own end of the pipe: closed, so beast is its only writer and head its only reader.
      head.stdin.destroy();
      const result = await running;
      await headClosed;
      expect(headOut).toBe('{\n  "tool"');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(code);
    }
  });

  it.skipIf(!hasDevFull)('is one line and exit 3 when stdout is a full disk', async () => {
    const dir = await makeRepo({ 'a.ts': GOOD });
    const fd = openSync('/dev/full', 'w');
    const result = await beastTo(['scan', dir, '--format', 'json', '--quiet'], fd).finally(() =>
      closeSync(fd),
    );
    expect(result.stderr).toBe(
      'beast: out of disk space: cannot write to standard output: ENOSPC\n',
    );
    expect(result.code).toBe(3);
  });

  it.skipIf(!hasDevFull)(
    'is one line and exit 3 when --output is on a full disk, and the target stays a device',
    async () => {
      const dir = await makeRepo({ 'a.ts': GOOD });
      // Through a link of our own: were the report renamed into place, only the link would go.
      const out = path.join(await mkdtemp(path.join(tmpdir(), 'beast-holes-out-')), 'report.json');
      await symlink('/dev/full', out);
      const result = beast(['scan', dir, '--format', 'json', '--quiet', '--output', out], {
        env: { BEAST_HOME: home },
      });
      expect(result.stderr).toBe(`beast: out of disk space: cannot write ${out}: ENOSPC\n`);
      expect(result.code).toBe(3);
      expect(lstatSync(out).isSymbolicLink()).toBe(true);
      expect(await readdir(path.dirname(out))).toEqual(['report.json']);
    },
  );
});

describe('arguments checked before any work', () => {
  it('refuses an unknown --rule of improve, suggesting the nearest, and touches nothing', async () => {
    const dir = await makeImproveFixture(1);
    const head = git(dir, 'rev-parse', 'HEAD');
    const typo = beast(['improve', dir, '--rule', 'prefer-cnst', '--quiet'], {
      env: { BEAST_HOME: home },
    });
    expect(typo.stderr).toBe(
      `beast: --rule: unknown rule "prefer-cnst"; did you mean "prefer-const"? (beast rules lists all ${allRules.length})\n`,
    );
    expect(typo.code).toBe(2);
    const unknown = beast(['improve', dir, '--rule', 'no-such-rule', '--quiet'], {
      env: { BEAST_HOME: home },
    });
    expect(unknown.stderr).toMatch(
      /^beast: --rule: unknown rule "no-such-rule"; known rules: ban-ts-comment, .*prefer-const, .*\n$/,
    );
    expect(unknown.code).toBe(2);
    expect(git(dir, 'branch', '--format=%(refname:short)')).toBe('main\n');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('refuses an unknown rule in scan --enable or --disable', async () => {
    const dir = await makeRepo({ 'a.ts': GOOD });
    const enable = beast(['scan', dir, '--enable', 'no-var,no-such-rule', '--quiet'], {
      env: { BEAST_HOME: home },
    });
    expect(enable.stderr).toMatch(
      /^beast: --enable: unknown rule "no-such-rule"; known rules: .*\n$/,
    );
    expect(enable.code).toBe(2);
    const disable = beast(['scan', dir, '--disable', 'prefer-cnst', '--quiet'], {
      env: { BEAST_HOME: home },
    });
    expect(disable.stderr).toBe(
      `beast: --disable: unknown rule "prefer-cnst"; did you mean "prefer-const"? (beast rules lists all ${allRules.length})\n`,
    );
    expect(disable.code).toBe(2);
    expect(enable.stdout + disable.stdout).toBe('');
  });

  it('refuses a --patch that cannot be written before delivering anything', async () => {
    const dir = await makeImproveFixture(1);
    const head = git(dir, 'rev-parse', 'HEAD');
    const missing = path.join(dir, 'no-such-folder', 'changes.diff');
    const result = beast(['improve', dir, '--patch', missing, '--quiet'], {
      env: { BEAST_HOME: home },
    });
    expect(result.stderr).toBe(
      `beast: --patch: cannot write ${missing}: no such folder ${path.dirname(missing)}\n`,
    );
    expect(result.code).toBe(2);
    const folder = beast(['improve', dir, '--patch', dir, '--quiet'], {
      env: { BEAST_HOME: home },
    });
    expect(folder.stderr).toBe(`beast: --patch: cannot write ${dir}: it is a folder\n`);
    expect(folder.code).toBe(2);
    // Nothing delivered: no improvement branch, the checkout as it was.
    expect(git(dir, 'branch', '--format=%(refname:short)')).toBe('main\n');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('says a missing path of beast models is missing, exit 2', () => {
    const result = beast(['models', '/no/such/path'], { env: { BEAST_HOME: home } });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: no such folder: /no/such/path\n',
    });
  });

  it('says a file given to beast train or risk is not a repository folder, exit 2', async () => {
    const dir = await makeRepo({ 'a.ts': GOOD });
    const file = path.join(dir, 'a.ts');
    for (const command of ['train', 'risk']) {
      const result = beast([command, file], { env: { BEAST_HOME: home } });
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `beast: not a folder: ${file} (give the repository's folder)\n`,
      });
    }
  });

  it('names the rule option whose regular expression does not compile, exit 2', async () => {
    const dir = await makeRepo({
      'a.ts': GOOD,
      'beast.config.json': JSON.stringify({
        rules: { 'unused-variable': { options: { ignorePattern: '^_(' } } },
      }),
    });
    const result = beast(['scan', dir, '--quiet', '--no-store'], { env: { BEAST_HOME: home } });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'beast: rules.unused-variable.options.ignorePattern: invalid regular expression "^_(": Unterminated group\n',
    });
  });
});

describe('the store', () => {
  it("refuses another program's SQLite file given with --db and leaves it byte-identical", async () => {
    const dir = await makeRepo({ 'a.ts': GOOD });
    const folder = await mkdtemp(path.join(tmpdir(), 'beast-holes-foreign-'));
    const file = path.join(folder, 'app.sqlite');
    const app = new BetterSqlite3(file);
    app.exec(
      "create table users (id integer primary key, name text); insert into users (name) values ('ann')",
    );
    app.close();
    const before = await readFile(file);
    for (const args of [
      ['scan', dir, '--quiet', '--db', file],
      ['status', dir, '--db', file],
    ]) {
      const result = beast(args, { env: { BEAST_HOME: home } });
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `beast: cannot open store ${file}: not a BEAST MODE store (it holds other tables: users); left unchanged (give a new file or a store beast created)\n`,
      });
    }
    expect(await readFile(file)).toEqual(before);
    expect(await readdir(folder)).toEqual(['app.sqlite']);
  });

  it('refuses a file that is not a database given with --db and leaves it byte-identical', async () => {
    const dir = await makeRepo({ 'a.ts': GOOD });
    const folder = await mkdtemp(path.join(tmpdir(), 'beast-holes-foreign-'));
    const file = path.join(folder, 'notes.txt');
    await writeFile(file, 'my notes\n'.repeat(50));
    const result = beast(['scan', dir, '--quiet', '--db', file], { env: { BEAST_HOME: home } });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `beast: cannot open store ${file}: not a database (no SQLite header); left unchanged (give a new file or a store beast created)\n`,
    });
    expect(await readFile(file, 'utf8')).toBe('my notes\n'.repeat(50));
    expect(await readdir(folder)).toEqual(['notes.txt']);
  });

  it('is created owner-only in an owner-only BEAST_HOME, and beast status says where', async () => {
    const dir = await makeRepo({ 'a.ts': GOOD });
    const beastHome = path.join(await mkdtemp(path.join(tmpdir(), 'beast-holes-')), 'home');
    const scan = beast(['scan', dir, '--quiet', '--format', 'json'], {
      env: { BEAST_HOME: beastHome },
    });
    expect(scan.code).toBe(0);
    const mode = (f: string): number => statSync(f).mode & 0o777;
    expect(mode(beastHome)).toBe(0o700);
    expect(mode(path.join(beastHome, 'beast.db'))).toBe(0o600);
    const status = beast(['status', dir], { env: { BEAST_HOME: beastHome } });
    expect(status.code).toBe(0);
    expect(status.stdout.split('\n')).toContain(`  store ${path.join(beastHome, 'beast.db')}`);
  });
});

describe('the API token file', () => {
  it('beast serve refuses a token file others can write, one line and exit 2', async () => {
    const beastHome = await mkdtemp(path.join(tmpdir(), 'beast-holes-'));
    const file = path.join(beastHome, 'api-token');
    await writeFile(file, 'planted-token\n');
    await chmod(file, 0o666);
    const { BEAST_API_TOKEN: _unset, ...env } = process.env;
    const result = spawnSync(process.execPath, [BIN, 'serve', '--port', '0'], {
      encoding: 'utf8',
      env: { ...env, BEAST_HOME: beastHome },
    });
    expect(result.stderr).toBe(
      `beast: the API token file ${file} is writable by others (mode 666); remove it for a new token or make it owner-only (chmod 600)\n`,
    );
    expect(result.status).toBe(2);
    expect(await readFile(file, 'utf8')).toBe('planted-token\n');
  });
});
