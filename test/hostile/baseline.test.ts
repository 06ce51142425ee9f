import { mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/core/index.js';
import { latestScan, openStore } from '../../src/store/index.js';
import { beast, git, makeFolder, makeRepo } from '../helpers/repo.js';
import { createSarifValidator } from '../helpers/sarif.js';

/*
 * A committed baseline: scans report and gate on new findings only; `--update` only prunes; the
 * file is hostile input like the rest of the repository (never read or written through a
 * symlink, a broken one is one line and exit 2).
 */

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
});

function run(args: string[], cwd: string) {
  return beast(args, { cwd, env: { BEAST_HOME: home } });
}

/** A scan's JSON report, whatever the gate said. */
function scanJson(args: string[], cwd: string): { code: number; report: ScanReport } {
  const result = run(['scan', '--format', 'json', '--quiet', '--no-store', ...args], cwd);
  if (result.code !== 0 && result.code !== 1)
    throw new Error(`beast exited ${result.code}: ${result.stderr}`);
  return { code: result.code, report: JSON.parse(result.stdout) as ScanReport };
}

const PARSE = [
  'export function parse(input: any): number {',
  '  debugger;',
  '  return Number(input);',
  '}',
  '',
].join('\n');
const RENDER = [
  'export function render(value: any): string {',
  '  return String(value);',
  '}',
  '',
].join('\n');

function states(report: ScanReport): string[] {
  return report.findings.map(
    (f) => `${f.file}:${f.location.line} ${f.ruleId} ${f.baselineState ?? '-'}`,
  );
}

describe('beast baseline', () => {
  it('reports and gates on new findings only, while the score counts every one', async () => {
    const dir = await makeRepo({ 'src/parse.ts': PARSE, 'src/render.ts': RENDER });
    const created = run(['baseline', '--quiet'], dir);
    expect(created).toEqual({
      code: 0,
      stdout:
        'beast: wrote .beast/baseline.json: 3 findings (commit it: scans then report and gate on new findings only)\n',
      stderr: '',
    });
    const text = await readFile(path.join(dir, '.beast/baseline.json'), 'utf8');
    expect(text.split('\n').slice(0, 3)).toEqual(['{', '  "version": 1,', '  "findings": [']);
    expect(text).toMatch(
      /"file":"src\/parse.ts","line":2,"ruleId":"no-debugger","fingerprint":"[0-9a-f]{64}"/,
    );
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'baseline');

    // Old findings above the threshold pass: none is new.
    const clean = scanJson(['--fail-on', 'major'], dir);
    expect(clean.code).toBe(0);
    expect(clean.report.gate.passed).toBe(true);
    expect(clean.report.baseline).toEqual({
      file: '.beast/baseline.json',
      new: 0,
      unchanged: 3,
      fixed: 0,
    });
    // A score threshold judges the score without the baseline's findings; the score shown is lower.
    const scored = scanJson(['--min-score', '99'], dir);
    expect(scored.code).toBe(0);
    expect(scored.report.score.score).toBeLessThan(99);
    expect(scanJson(['--min-score', '99', '--no-baseline'], dir).code).toBe(1);
    // Ignoring the baseline, the same scan fails.
    expect(
      run(['scan', '--quiet', '--no-store', '--fail-on', 'major', '--no-baseline'], dir).code,
    ).toBe(1);

    // Code added above moves every old finding; one new `any` in render.ts is the only new one.
    await writeFile(
      path.join(dir, 'src/parse.ts'),
      `import { render } from './render.js';\n\nexport const shown = render(1);\n\n${PARSE}`,
    );
    await writeFile(
      path.join(dir, 'src/render.ts'),
      `${RENDER}\nexport function echo(value: any): unknown {\n  return value;\n}\n`,
    );
    const changed = scanJson(['--fail-on', 'major'], dir);
    expect(changed.code).toBe(1);
    expect(states(changed.report)).toEqual([
      'src/parse.ts:5 no-explicit-any unchanged',
      'src/parse.ts:6 no-debugger unchanged',
      'src/render.ts:1 no-explicit-any unchanged',
      'src/render.ts:5 no-explicit-any new',
    ]);
    expect(changed.report.gate.reasons).toEqual(['1 new finding(s) of severity major or worse']);
    // The score still counts all four.
    expect(changed.report.summary.findings).toBe(4);
    expect(changed.report.score.score).toBeLessThan(clean.report.score.score);

    const table = run(['scan', '--quiet', '--no-store', '--fail-on', 'major'], dir);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('Baseline   3 findings in the baseline (not shown), 1 new\n');
    expect(table.stdout).toContain('Top new findings (1 of 1)\n');
    expect(table.stdout).toContain('src/render.ts:5:');
    expect(table.stdout).not.toContain('src/parse.ts:6:');

    const markdown = run(['scan', '--quiet', '--no-store', '--format', 'markdown'], dir).stdout;
    expect(markdown).toContain('| Baseline | 3 findings in the baseline (not shown), 1 new |');
    expect(markdown).toContain('### Top new findings (1 of 1)');

    // SARIF: every result, each with its baselineState, valid against the OASIS schema.
    const sarif = run(['scan', '--quiet', '--no-store', '--format', 'sarif'], dir);
    const log = JSON.parse(sarif.stdout) as {
      runs: { results: { ruleId: string; baselineState?: string }[] }[];
    };
    const validate = createSarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0]!.results.map((r) => `${r.ruleId} ${r.baselineState}`)).toEqual([
      'no-explicit-any unchanged',
      'no-debugger unchanged',
      'no-explicit-any unchanged',
      'no-explicit-any new',
    ]);

    // The store keeps each finding's state for the API and the dashboard.
    const db = path.join(home, 'baseline-states.db');
    expect(run(['scan', '--quiet', '--db', db], dir).code).toBe(0);
    const store = await openStore(db);
    try {
      const stored = await latestScan(store, dir);
      expect(stored?.findings.map((f) => f.baselineState)).toEqual([
        'unchanged',
        'unchanged',
        'unchanged',
        'new',
      ]);
    } finally {
      await store.close();
    }
  });

  it('applies new-code mode and a partial scan on top of the baseline', async () => {
    const dir = await makeRepo({ 'src/parse.ts': PARSE, 'src/render.ts': RENDER });
    expect(run(['baseline', '--quiet'], dir).code).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'baseline');
    // parse.ts's old line is touched, and render.ts gets a new `any` on an untouched line's file.
    await writeFile(path.join(dir, 'src/parse.ts'), PARSE.replace('debugger;', 'debugger; // why'));
    await writeFile(path.join(dir, 'src/render.ts'), `${RENDER}export let x: any;\n`);
    const since = scanJson(['--since', 'HEAD', '--fail-on', 'major'], dir);
    expect(states(since.report)).toEqual([
      'src/parse.ts:2 no-debugger unchanged',
      'src/render.ts:4 no-explicit-any new',
    ]);
    expect(since.code).toBe(1);
    const chosen = scanJson(['src/parse.ts', '--fail-on', 'major'], dir);
    expect(states(chosen.report)).toEqual([
      'src/parse.ts:1 no-explicit-any unchanged',
      'src/parse.ts:2 no-debugger unchanged',
    ]);
    expect(chosen.code).toBe(0);
  });

  it('--update prunes fixed entries and adds no new finding', async () => {
    const dir = await makeRepo({ 'src/parse.ts': PARSE, 'src/render.ts': RENDER });
    expect(run(['baseline', '--quiet'], dir).code).toBe(0);
    await writeFile(path.join(dir, 'src/parse.ts'), PARSE.replace('  debugger;\n', ''));
    await writeFile(path.join(dir, 'src/render.ts'), `${RENDER}export let x: any;\n`);
    const before = scanJson([], dir).report;
    expect(before.baseline).toEqual({
      file: '.beast/baseline.json',
      new: 1,
      unchanged: 2,
      fixed: 1,
    });
    const table = run(['scan', '--quiet', '--no-store'], dir);
    expect(table.stdout).toContain(
      'Baseline   2 findings in the baseline (not shown), 1 new\n' +
        '           1 baseline entry fixed (run `beast baseline --update`)\n',
    );

    const updated = run(['baseline', '--update', '--quiet'], dir);
    expect(updated).toEqual({
      code: 0,
      stdout:
        'beast: updated .beast/baseline.json: 2 entries written, 1 pruned (fixed); 1 new finding not added (re-create it with `beast baseline` to accept them)\n',
      stderr: '',
    });
    const text = await readFile(path.join(dir, '.beast/baseline.json'), 'utf8');
    expect(text).not.toContain('no-debugger');
    expect(text.match(/"ruleId"/g)).toHaveLength(2);
    expect(scanJson([], dir).report.baseline).toEqual({
      file: '.beast/baseline.json',
      new: 1,
      unchanged: 2,
      fixed: 0,
    });
    // No temporary file is left behind.
    expect(await readdir(path.join(dir, '.beast'))).toEqual(['baseline.json']);
  });

  it('reads and writes another file with --baseline, and says when there is none to update', async () => {
    const dir = await makeRepo({ 'src/parse.ts': PARSE });
    expect(run(['baseline', '--update', '--quiet'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'beast: no baseline to update: .beast/baseline.json does not exist (create it with `beast baseline`)\n',
    });
    expect(run(['baseline', '--quiet', '--baseline', 'ci/accepted.json'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: --baseline: cannot write ci/accepted.json: no such folder ci\n',
    });
    await mkdir(path.join(dir, 'ci'));
    expect(run(['baseline', '--quiet', '--baseline', 'ci/accepted.json'], dir).code).toBe(0);
    const { report } = scanJson(['--baseline', 'ci/accepted.json'], dir);
    expect(report.baseline).toEqual({ file: 'ci/accepted.json', new: 0, unchanged: 2, fixed: 0 });
    // The repository's default file was never made.
    expect(await readdir(dir)).toEqual(['.git', 'ci', 'src']);
    expect(run(['scan', '--quiet', '--no-store', '--baseline', 'gone.json'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: cannot read baseline gone.json: no such file\n',
    });
  });

  it('refuses a symlinked .beast or baseline file, reading and writing nothing outside', async () => {
    const outside = await makeFolder({ 'baseline.json': '{"version": 1, "findings": []}\n' });
    const dir = await makeRepo({ 'src/parse.ts': PARSE });
    await symlink(outside, path.join(dir, '.beast'));
    const refused = {
      code: 2,
      stdout: '',
      stderr:
        'beast: .beast/baseline.json goes through the symlink .beast: left alone (BEAST MODE never reads or writes repository files through symlinks)\n',
    };
    expect(run(['scan', '--quiet', '--no-store'], dir)).toEqual(refused);
    expect(run(['baseline', '--quiet'], dir)).toEqual(refused);
    expect(run(['baseline', '--update', '--quiet'], dir)).toEqual(refused);
    expect(await readdir(outside)).toEqual(['baseline.json']);
    expect(await readFile(path.join(outside, 'baseline.json'), 'utf8')).toBe(
      '{"version": 1, "findings": []}\n',
    );
    // --no-baseline does not look at it.
    expect(run(['scan', '--quiet', '--no-store', '--no-baseline'], dir).code).toBe(0);

    const other = await makeRepo({ 'src/parse.ts': PARSE });
    await mkdir(path.join(other, '.beast'));
    await symlink(path.join(outside, 'baseline.json'), path.join(other, '.beast/baseline.json'));
    const linked = {
      code: 2,
      stdout: '',
      stderr:
        'beast: .beast/baseline.json is a symlink: left alone (BEAST MODE never reads or writes repository files through symlinks)\n',
    };
    expect(run(['scan', '--quiet', '--no-store'], other)).toEqual(linked);
    expect(run(['baseline', '--quiet'], other)).toEqual(linked);
    expect(await readFile(path.join(outside, 'baseline.json'), 'utf8')).toBe(
      '{"version": 1, "findings": []}\n',
    );

    // A `.beast` that is a file holds no baseline, and none is written through it.
    const plain = await makeRepo({ 'src/parse.ts': PARSE, '.beast': 'not a folder\n' });
    expect(run(['scan', '--quiet', '--no-store'], plain).code).toBe(0);
    expect(run(['baseline', '--quiet'], plain)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: .beast is not a folder; .beast/baseline.json not written\n',
    });
    expect(await readFile(path.join(plain, '.beast'), 'utf8')).toBe('not a folder\n');
  });

  it.each([
    ['invalid JSON', '{"version": 1, "findings": [', /^not valid JSON \(.*\)$/],
    [
      'a wrong version',
      '{"version": 7, "findings": []}',
      /^baseline version 7 is not one this beast reads \(1\); re-create it with `beast baseline`$/,
    ],
    [
      'a wrong shape',
      '{"version": 1, "findings": [{"file": "a.ts"}]}',
      /^not a baseline file: findings\.0\.line: /,
    ],
  ])(
    'refuses a baseline with %s in one line naming it, exit 2, writing nothing',
    async (_, text, reason) => {
      const dir = await makeRepo({ 'src/parse.ts': PARSE, '.beast/baseline.json': text });
      const db = path.join(home, `broken-${Math.random().toString(36).slice(2)}.db`);
      for (const args of [
        ['scan', '--quiet', '--db', db],
        ['baseline', '--update', '--quiet', '--db', db],
      ]) {
        const result = run(args, dir);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        const line = result.stderr.replace(/^beast: \.beast\/baseline\.json: /, '');
        expect(result.stderr).toMatch(/^beast: \.beast\/baseline\.json: [^\n]*\n$/);
        expect(line.trimEnd()).toMatch(reason);
      }
      expect(await readFile(path.join(dir, '.beast/baseline.json'), 'utf8')).toBe(text);
      expect(git(dir, 'status', '--porcelain')).toBe('');
      // No scan was recorded.
      const store = await openStore(db);
      try {
        expect(await latestScan(store, dir)).toBeUndefined();
      } finally {
        await store.close();
      }
      // Re-creating it is the way out.
      expect(run(['baseline', '--quiet'], dir).code).toBe(0);
      expect(run(['scan', '--quiet', '--no-store'], dir).code).toBe(0);
    },
  );
});
