import { mkdtemp, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../src/core/index.js';
import { beast, git, makeFolder, makeRepo } from './helpers/repo.js';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
});

function scanJson(
  dir: string,
  ...extra: string[]
): { code: number; report: ScanReport; stderr: string } {
  const result = beast(['scan', dir, '--format', 'json', '--quiet', ...extra], {
    env: { BEAST_HOME: home },
  });
  if (result.code === 2 || result.code === 3)
    throw new Error(`beast failed (${result.code}): ${result.stderr}`);
  return {
    code: result.code,
    report: JSON.parse(result.stdout) as ScanReport,
    stderr: result.stderr,
  };
}

const GOOD = `export function add(a: number, b: number): number {\n  return a + b;\n}\n`;

describe('beast scan', () => {
  it('exits 2 with a one-line reason for a missing path', () => {
    const result = beast(['scan', '/no/such/path']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('beast: no such file or folder: /no/such/path');
    expect(result.stdout).toBe('');
  });

  it('exits 2 when the report cannot be written, leaving no partial file', async () => {
    const dir = await makeRepo({ 'a.ts': GOOD });
    const result = beast([
      'scan',
      dir,
      '--quiet',
      '--no-store',
      '--output',
      path.join(dir, 'missing', 'r.json'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^beast: cannot write .*r\.json: ENOENT\n$/);
  });

  it('exits 2 on an unknown option or format', () => {
    expect(beast(['scan', '--format', 'xml', '.']).code).toBe(2);
    expect(beast(['scan', '--frobnicate']).code).toBe(2);
  });

  it('scans and scores a repository with a syntax error, reporting parse-error for that file', async () => {
    const dir = await makeRepo({
      'src/good.ts': GOOD,
      'src/broken.ts': 'export function broken( {\n  return 1;\n',
    });
    const { code, report } = scanJson(dir);
    expect(code).toBe(0);
    expect(report.summary.files).toBe(2);
    const parseErrors = report.findings.filter((f) => f.ruleId === 'parse-error');
    expect(parseErrors).toHaveLength(1);
    expect(parseErrors[0]!.file).toBe('src/broken.ts');
    expect(parseErrors[0]!.severity).toBe('blocker');
    expect(report.files.find((f) => f.path === 'src/good.ts')?.score.grade).toBe('A');
    expect(report.score.score).toBeGreaterThan(0);
    expect(report.score.score).toBeLessThan(100);
  });

  it('names the key of a broken config and exits 2', async () => {
    const dir = await makeRepo({ 'a.ts': GOOD, 'beast.config.json': '{"gate": {"failOn": "Q"}}' });
    const result = beast(['scan', dir, '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^beast: .*beast\.config\.json: gate\.failOn: /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an unknown rule id with the list of known ones', async () => {
    const dir = await makeRepo({ 'a.ts': GOOD });
    const result = beast(['scan', dir, '--enable', 'no-such-rule']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown rule "no-such-rule"; known rules: .*no-explicit-any/);
  });

  it('fails the gate with exit 1, by severity and by score', async () => {
    const dir = await makeRepo({ 'a.ts': 'export const x: any = 1;\n' });
    expect(scanJson(dir, '--fail-on', 'major').code).toBe(1);
    expect(scanJson(dir, '--fail-on', 'blocker').code).toBe(0);
    const { code, report } = scanJson(dir, '--min-score', '100');
    expect(code).toBe(1);
    expect(report.gate.reasons[0]).toMatch(/score .* is below 100/);
  });

  it('honours rule selection', async () => {
    const dir = await makeRepo({ 'a.ts': 'export const x: any = 1;\n' });
    const on = scanJson(dir).report;
    expect(on.findings.some((f) => f.ruleId === 'no-explicit-any')).toBe(true);
    const off = scanJson(dir, '--disable', 'no-explicit-any').report;
    expect(off.findings.some((f) => f.ruleId === 'no-explicit-any')).toBe(false);
    expect(off.rules.some((r) => r.id === 'no-explicit-any')).toBe(false);
  });

  it('parses nothing when rescanning an unchanged repository', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++)
      files[`src/m${i}.ts`] =
        `export function f${i}(x: number) {\n  return x == ${i} ? 1 : 2;\n}\n`;
    const dir = await makeRepo(files);
    const cold = scanJson(dir).report;
    expect(cold.summary.parsed).toBe(60);
    const warm = scanJson(dir).report;
    expect(warm.summary.parsed).toBe(0);
    expect(warm.summary.fromCache).toBe(60);
    expect(warm.findings).toEqual(cold.findings);
    expect(warm.score).toEqual(cold.score);
    // Content no scan has seen before: the cache is keyed by content, not by path.
    await writeFile(path.join(dir, 'src/m0.ts'), `export const changed = ${Date.now()};\n`);
    expect(scanJson(dir).report.summary.parsed).toBe(1);
  });

  it('does not even read files whose size, mtime and inode are unchanged', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++) files[`f${i}.ts`] = `export const v${i} = ${i} == 1;\n`;
    const dir = await makeRepo(files);
    // Changed long before the scan, as most files in a repository are.
    const past = new Date(Date.now() - 3_600_000);
    for (const name of Object.keys(files)) await utimes(path.join(dir, name), past, past);
    const cold = scanJson(dir).report;
    expect(cold.summary.read).toBe(5);
    const warm = scanJson(dir).report;
    expect(warm.summary.read).toBe(0);
    expect(warm.findings).toEqual(cold.findings);
    await writeFile(path.join(dir, 'f0.ts'), 'export const v0 = 0 == 2;\n');
    const edited = scanJson(dir).report;
    expect(edited.summary.read).toBe(1);
    expect(edited.summary.parsed).toBe(1);
  });

  it('gives the same result with and without worker threads', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 70; i++)
      files[`lib/f${i}.js`] =
        `export function g${i}(a, b) {\n  if (a == b) { return a; }\n  return b;\n}\n`;
    const dir = await makeRepo(files);
    const threaded = scanJson(dir, '--no-cache', '--workers', '2').report;
    const inline = scanJson(dir, '--no-cache', '--workers', '0').report;
    expect(threaded.summary.parsed).toBe(70);
    expect(threaded.findings).toEqual(inline.findings);
    expect(threaded.files.map((f) => f.metrics)).toEqual(inline.files.map((f) => f.metrics));
  });

  it('reports only findings on changed lines with --since, with its own gate', async () => {
    const dir = await makeRepo({ 'a.ts': 'export const old: any = 1;\n' });
    await writeFile(
      path.join(dir, 'a.ts'),
      'export const old: any = 1;\nexport const fresh: any = 2;\n',
    );
    await writeFile(path.join(dir, 'b.ts'), 'export const untracked: any = 3;\n');
    const full = scanJson(dir).report;
    expect(full.findings.filter((f) => f.ruleId === 'no-explicit-any')).toHaveLength(3);
    const { code, report } = scanJson(dir, '--since', 'HEAD', '--fail-on', 'major');
    expect(report.since).toBe('HEAD');
    const lines = report.findings
      .filter((f) => f.ruleId === 'no-explicit-any')
      .map((f) => `${f.file}:${f.location.line}`);
    expect(lines).toEqual(['a.ts:2', 'b.ts:1']);
    expect(code).toBe(1);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'more');
    expect(scanJson(dir, '--since', 'HEAD', '--fail-on', 'major').code).toBe(0);
    const bad = beast(['scan', dir, '--since', 'no-such-ref']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no-such-ref/);
  });

  it('scans a folder without git, survives a symlink loop and reports skipped files with reasons', async () => {
    const dir = await makeFolder({
      'src/a.ts': GOOD,
      'src/types.d.ts': 'export type X = 1;\n',
      'node_modules/dep/index.js': 'module.exports = 1;\n',
      'src/gen.ts': '// @generated by a tool\nexport const x = 1;\n',
    });
    await symlink('..', path.join(dir, 'src', 'loop'));
    const { report } = scanJson(dir);
    expect(report.repo.isGit).toBe(false);
    expect(report.files.map((f) => f.path)).toEqual(['src/a.ts']);
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['src/types.d.ts']).toBe('generated');
    expect(reasons['src/gen.ts']).toBe('generated');
    expect(reasons['src/loop']).toBe('symlink');
  });

  it('handles an empty repository', async () => {
    const dir = await makeRepo({});
    const { code, report } = scanJson(dir);
    expect(code).toBe(0);
    expect(report.summary.files).toBe(0);
    expect(report.score.score).toBe(100);
  });

  it('writes SARIF to a file', async () => {
    const dir = await makeRepo({ 'a.ts': 'export const x: any = 1;\n' });
    const out = path.join(dir, 'report.sarif');
    const result = beast(['scan', dir, '--format', 'sarif', '--output', out, '--quiet'], {
      env: { BEAST_HOME: home },
    });
    expect(result.code).toBe(0);
    const sarif = JSON.parse(await readFile(out, 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain('no-explicit-any');
  });
});

describe('beast status', () => {
  it('shows the latest score and the trend from the store', async () => {
    const dir = await makeRepo({ 'a.ts': 'export const x: any = 1;\n' });
    const db = path.join(home, 'status.db');
    expect(beast(['scan', dir, '--db', db, '--quiet', '--format', 'json']).code).toBe(0);
    await writeFile(path.join(dir, 'a.ts'), GOOD);
    expect(beast(['scan', dir, '--db', db, '--quiet', '--format', 'json']).code).toBe(0);
    const result = beast(['status', dir, '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/grade A {2}score 100/);
    expect(result.stdout).toMatch(/trend over 2 scan\(s\)/);
    const json = JSON.parse(beast(['status', dir, '--db', db, '--json']).stdout) as {
      trend: unknown[];
      delta: number;
    };
    expect(json.trend).toHaveLength(2);
    expect(json.delta).toBeGreaterThan(0);
  });

  it('exits 2 when nothing was recorded', async () => {
    const dir = await makeRepo({ 'a.ts': GOOD });
    const result = beast(['status', dir, '--db', path.join(home, 'empty.db')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no scans recorded/);
  });
});
