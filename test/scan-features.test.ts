import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/index.js';
import { createSarifValidator } from './helpers/sarif.js';
import { beast, git, makeRepo } from './helpers/repo.js';
import { loop } from './helpers/code.js';
import { formatReport } from '../src/analysis/index.js';

// The repository rules see the whole repository, so their tables are repositories.
describe('repository rules', () => {
  const cases: { name: string; files: Record<string, string>; rule: string; expected: string[] }[] =
    [
      {
        name: 'duplicated-code: valid, different code',
        files: { 'a.ts': loop('first'), 'b.ts': 'export const b = [1, 2, 3].map((y) => y * 3);\n' },
        rule: 'duplicated-code',
        expected: [],
      },
      {
        name: 'duplicated-code: invalid, a renamed copy in another file',
        files: { 'a.ts': loop('first'), 'b.ts': `// copy\n${loop('second')}` },
        rule: 'duplicated-code',
        expected: ['a.ts:2', 'b.ts:3'],
      },
      {
        name: 'circular-import: valid, a type-only cycle and a chain',
        files: {
          'a.ts': "import type { B } from './b.js';\nexport type A = B;\n",
          'b.ts': "import type { A } from './a.js';\nexport type B = A | 1;\n",
          'c.ts': "import { d } from './d.js';\nexport const c = d;\n",
          'd.ts': 'export const d = 1;\n',
        },
        rule: 'circular-import',
        expected: [],
      },
      {
        name: 'circular-import: invalid, a value cycle of three',
        files: {
          'a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
          'b.ts': "import { c } from './c';\nexport const b = () => c;\n",
          'c.ts': "import { a } from './a.js';\nexport const c = () => a;\n",
        },
        rule: 'circular-import',
        expected: ['a.ts:1', 'b.ts:1', 'c.ts:1'],
      },
    ];
  it.each(cases)('$name', async ({ files, rule, expected }) => {
    const dir = await makeRepo(files);
    const report = await scan(dir, { workers: 0 });
    const found = report.findings
      .filter((f) => f.ruleId === rule)
      .map((f) => `${f.file}:${f.location.line}`);
    expect(found).toEqual(expected);
  });
});

describe('hotspots', () => {
  it('ranks files by commits touching them times their complexity', async () => {
    const complex = (n: number) =>
      `export function f(a: number, b: number) {\n  if (a > ${n}) { if (b) { return 1; } }\n  return 2;\n}\n`;
    const dir = await makeRepo({
      'hot.ts': complex(0),
      'cold.ts': complex(0),
      'flat.ts': 'export const x = 1;\n',
    });
    for (let i = 1; i <= 3; i++) {
      await writeFile(path.join(dir, 'hot.ts'), complex(i));
      await writeFile(path.join(dir, 'flat.ts'), `export const x = ${i};\n`);
      git(dir, 'commit', '-qam', `change ${i}`);
    }
    const report = await scan(dir, { workers: 0 });
    expect(report.hotspots.map((h) => [h.file, h.changes])).toEqual([
      ['hot.ts', 4],
      ['cold.ts', 1],
    ]);
    expect(report.hotspots[0]!.risk).toBe(4 * report.hotspots[0]!.complexity);
  });
});

describe('SARIF from a real scan', () => {
  it('validates against the official SARIF 2.1.0 schema', async () => {
    const dir = await makeRepo({
      'src/a.ts': "import { b } from './b.js';\nexport const a: any = b == 1 ? 2 : 3;\n",
      'src/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      'src/broken.ts': 'export function (\n',
    });
    const result = beast(['scan', dir, '--format', 'sarif', '--quiet', '--no-store']);
    expect(result.code).toBe(0);
    const log = JSON.parse(result.stdout) as { runs: { results: unknown[] }[] };
    const validate = createSarifValidator();
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(log.runs[0]!.results.length).toBeGreaterThanOrEqual(4);
  });

  it('formats the same report in every format', async () => {
    const dir = await makeRepo({ 'a.ts': 'export const a: any = 1;\n' });
    const report = await scan(dir, { workers: 0 });
    expect(JSON.parse(formatReport(report, 'json'))).toMatchObject({ summary: { files: 1 } });
    expect(formatReport(report, 'markdown')).toContain('no-explicit-any');
    expect(formatReport(report, 'table', { color: false })).toContain('no-explicit-any');
  });
});
