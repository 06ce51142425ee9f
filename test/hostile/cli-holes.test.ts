import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { closeSync, lstatSync, openSync, statSync } from 'node:fs';
import { mkdtemp, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, beast, makeRepo, type CliResult } from '../helpers/repo.js';

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
    const dir = await makeRepo(files);
    const args = ['scan', dir, '--format', 'json', '--quiet', '--no-store', '--fail-on', 'none'];
    // Far more than a pipe holds (64 KiB), so the writer is still writing when head has gone.
    expect(beast(args).stdout.length).toBeGreaterThan(200_000);
    // `beast scan … | head -c 10`, with a real head that exits after ten bytes.
    const head = spawn('head', ['-c', '10'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let headOut = '';
    head.stdout.on('data', (chunk: Buffer) => (headOut += chunk.toString('utf8')));
    const headClosed = new Promise<void>((resolve) => head.on('close', () => resolve()));
    const running = beastTo(args, head.stdin);
    // Our own end of the pipe: closed, so beast is its only writer and head its only reader.
    head.stdin.destroy();
    const result = await running;
    await headClosed;
    expect(headOut).toBe('{\n  "tool"');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
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
