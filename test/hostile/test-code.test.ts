import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/core/index.js';
import type { ImproveReport } from '../../src/pipeline/index.js';
import { beast, git, makeRepo } from '../helpers/repo.js';

/**
 * A repository whose source and tests both have fixable findings (prefer-const), and whose
 * node:test suite pins the source's output, so the gate runs real tests.
 */
function repository(): Promise<string> {
  const row = (i: number) => `  { input: '${i}', expected: 'item-${i}' },`;
  return makeRepo({
    'package.json': JSON.stringify({
      name: 'kinds',
      private: true,
      type: 'module',
      scripts: { test: 'node --test test/' },
    }),
    'src/label.js': [
      `export function label(name) {`,
      `  let prefix = 'item-';`,
      `  return prefix.concat(name);`,
      `}`,
      ``,
    ].join('\n'),
    'test/label.test.js': [
      `import { test } from 'node:test';`,
      `import assert from 'node:assert/strict';`,
      `import { label } from '../src/label.js';`,
      ``,
      `const CASES = [`,
      ...Array.from({ length: 30 }, (_, i) => row(i)),
      `];`,
      ``,
      `test('label', () => {`,
      `  let checked = 0;`,
      `  for (const { input, expected } of CASES) {`,
      `    assert.equal(label(input), expected);`,
      `    checked++;`,
      `  }`,
      `  let total = CASES.length;`,
      `  assert.equal(checked, total);`,
      `});`,
      ``,
    ].join('\n'),
  });
}

async function home(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'beast-kinds-home-'));
}

describe('test code is test code', () => {
  it('scan reports each file with its kind and scores test code apart', async () => {
    const repo = await repository();
    const result = beast(['scan', repo, '--format', 'json', '--no-store'], {
      env: { BEAST_HOME: await home() },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(report.files.map((f) => [f.path, f.kind])).toEqual([
      ['src/label.js', 'source'],
      ['test/label.test.js', 'test'],
    ]);
    expect(report.testScore?.score).toEqual(expect.any(Number));
    expect(report.summary.byKind?.test?.findings).toBeGreaterThan(0);

    const table = beast(['scan', repo, '--no-store'], { env: { BEAST_HOME: await home() } });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Test code {2}\d+\.\d \/ 100 · grade [A-E]/m);
    expect(table.stdout).toMatch(/^By kind {4}source 1 file, 1 finding · test 1 file, 1 finding$/m);
  }, 60_000);

  it('improve leaves test files alone by default and works on them with --include-tests', async () => {
    const repo = await repository();
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const byDefault = beast(['improve', repo, '--json', '--no-store'], {
      env: { BEAST_HOME: await home() },
    });
    expect(byDefault.code).toBe(0);
    const report = JSON.parse(byDefault.stdout) as ImproveReport;
    expect(report.checks.find((c) => c.name === 'tests')?.ran).toBe(true);
    expect(report.changes.map((c) => [c.finding.file, c.status])).toEqual([
      ['src/label.js', 'accepted'],
    ]);
    const changed = git(repo, 'diff', '--name-only', head, report.branch!).trim();
    expect(changed).toBe('src/label.js');

    const withTests = beast(['improve', repo, '--json', '--no-store', '--include-tests'], {
      env: { BEAST_HOME: await home() },
    });
    expect(withTests.code).toBe(0);
    const included = JSON.parse(withTests.stdout) as ImproveReport;
    const files = new Set(included.changes.map((c) => c.finding.file));
    expect(files).toEqual(new Set(['src/label.js', 'test/label.test.js']));
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
  }, 120_000);
});
