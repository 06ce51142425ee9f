import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isShallowRepository } from '../src/analysis/index.js';
import type { ScanReport } from '../src/core/index.js';
import { beast, git, makeRepo } from './helpers/repo.js';

const REASON = 'shallow clone (git fetch --unshallow to get history)';

/** A branchy function, so the file has complexity and changes make it a hotspot. */
function source(version: number): string {
  return [
    `export function pick(a: number, b: number): number {`,
    `  if (a > b && b > ${version}) {`,
    `    for (let i = 0; i < a; i++) if (i % 2 === 0) b += i;`,
    `  } else if (a < 0) {`,
    `    return -a;`,
    `  }`,
    `  return a + b + ${version};`,
    `}`,
    '',
  ].join('\n');
}

let full: string;
let shallow: string;
let work: string;
let db: string;

beforeAll(async () => {
  full = await makeRepo({ 'src/pick.ts': source(0), 'src/other.ts': source(100) });
  for (let v = 1; v <= 4; v++) {
    await writeFile(path.join(full, 'src/pick.ts'), source(v));
    git(full, 'commit', '-q', '-am', `change ${v}`);
  }
  work = await mkdtemp(path.join(tmpdir(), 'beast-shallow-'));
  shallow = path.join(work, 'clone');
  git(work, 'clone', '-q', '--depth', '1', `file://${full}`, shallow);
  db = path.join(work, 'beast.db');
});

afterAll(async () => {
  await rm(full, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('shallow clone detection', () => {
  it('tells a shallow clone from a full repository', async () => {
    expect(await isShallowRepository(shallow)).toBe(true);
    expect(await isShallowRepository(full)).toBe(false);
    expect(await isShallowRepository(path.join(shallow, 'src'))).toBe(true);
  });
});

describe('beast scan on a shallow clone', () => {
  it('reports hotspots as not computed, with the reason, in JSON', () => {
    const result = beast(['scan', shallow, '--format', 'json', '--no-cache', '--no-store', '-q']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(report.hotspots).toEqual([]);
    expect(report.hotspotsUnavailable).toBe(REASON);
  });

  it('reports hotspots as not computed, with the reason, in the table', () => {
    const result = beast(['scan', shallow, '--format', 'table', '--no-cache', '--no-store', '-q']);
    expect(result.stdout).toContain(`Hotspots: not computed: ${REASON}`);
    expect(result.stdout).not.toMatch(/1 change ×/);
  });

  it('still computes hotspots on the full repository', () => {
    const result = beast(['scan', full, '--format', 'json', '--no-cache', '--no-store', '-q']);
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(report.hotspotsUnavailable).toBeUndefined();
    expect(report.hotspots.find((h) => h.file === 'src/pick.ts')?.changes).toBe(5);
    const table = beast([
      'scan',
      full,
      '--format',
      'table',
      '--no-cache',
      '--no-store',
      '-q',
    ]).stdout;
    expect(table).toMatch(/src\/pick\.ts\s+5 changes ×/);
    expect(table).not.toContain('not computed');
  });

  it('refuses --since with a ref older than the clone, naming the shallow clone', () => {
    const result = beast(['scan', shallow, '--since', 'HEAD~2', '--no-cache', '--no-store', '-q']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(`--since: "HEAD~2" is not in the history of this ${REASON}`),
    ]);
  });

  it('accepts --since with a ref the shallow clone has', () => {
    const result = beast([
      'scan',
      shallow,
      '--since',
      'HEAD',
      '--format',
      'json',
      '--no-cache',
      '--no-store',
      '-q',
    ]);
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as ScanReport).since).toBe('HEAD');
  });
});

describe('defect risk on a shallow clone', () => {
  for (const command of ['train', 'risk']) {
    it(`beast ${command} exits 2 with one line naming the shallow clone`, () => {
      const result = beast([command, shallow, '--db', db]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `defect risk is mined from history, and ${shallow} is a ${REASON}`,
      );
    });
  }
});
