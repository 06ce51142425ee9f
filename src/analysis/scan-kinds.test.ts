import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../core/index.js';
import { scan } from './scan.js';

const MATH = `export function add(a: number, b: number): number {
  return a + b;
}

export function clamp(value: number, low: number, high: number): number {
  if (value < low) return low;
  if (value > high) return high;
  return value;
}
`;

/** A table-driven test: forty rows of the same shape, then twenty cases written out. */
function tableTest(name: string): string {
  const rows = Array.from(
    { length: 40 },
    (_, i) => `  { name: 'case ${i}', a: ${i}, b: ${i * 2}, expected: ${i * 3} },`,
  );
  const cases = Array.from(
    { length: 20 },
    (_, i) => `  it('adds ${i}', () => {\n    expect(add(${i}, 1)).toBe(${i + 1});\n  });`,
  );
  return [
    `import { describe, expect, it } from 'vitest';`,
    `import { add } from '../src/math.js';`,
    '',
    `const CASES = [`,
    ...rows,
    `];`,
    '',
    `describe('${name}', () => {`,
    `  it.each(CASES)('$name', ({ a, b, expected }) => {`,
    `    expect(add(a, b)).toBe(expected);`,
    `  });`,
    ...cases,
    `});`,
    '',
  ].join('\n');
}

let dir: string;
let config: Config;

async function write(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), text);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'beast-kinds-scan-'));
  await write('src/math.ts', MATH);
  config = (await resolveConfig(dir, {})).config;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scan: test code is scored apart', () => {
  it('keeps the source score unchanged by table-driven, duplicated test files', async () => {
    const alone = await scan(dir, { workers: 0, config });
    await write('test/add.test.ts', tableTest('add'));
    await write('test/sum.test.ts', tableTest('sum'));
    await write('src/__tests__/math.spec.ts', tableTest('math'));
    const report = await scan(dir, { workers: 0, config });

    expect(report.score).toEqual(alone.score);
    expect(report.score.components.duplication).toBe(100);
    expect(report.files.map((f) => [f.path, f.kind])).toEqual([
      ['src/__tests__/math.spec.ts', 'test'],
      ['src/math.ts', 'source'],
      ['test/add.test.ts', 'test'],
      ['test/sum.test.ts', 'test'],
    ]);
    // No clone is looked for in test code, so table rows are not findings.
    expect(report.clones).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId === 'duplicated-code')).toEqual([]);
    expect(report.testScore).toBeDefined();
    expect(report.summary.byKind).toEqual({
      source: { files: 1, codeLines: 8, findings: 0, debtMinutes: 0 },
      test: {
        files: 3,
        codeLines: report.summary.codeLines - 8,
        findings: report.findings.length,
        debtMinutes: report.summary.debtMinutes,
      },
    });
  });

  it('would count the same tables as duplication in source code', async () => {
    // The control for the test above: the fixture does duplicate, it is the kind that decides.
    await write('src/add-cases.ts', tableTest('add'));
    await write('src/sum-cases.ts', tableTest('sum'));
    const report = await scan(dir, { workers: 0, config });
    expect(report.clones.length).toBeGreaterThan(0);
    expect(report.score.components.duplication).toBeLessThan(50);
    expect(report.testScore).toBeUndefined();
  });

  it('leaves test code out of the gate, and scores it on its own', async () => {
    await write(
      'test/any.test.ts',
      'export const loose: any = 1;\nexport const looser: any = 2;\n',
    );
    const gated: Config = { ...config, gate: { ...config.gate, failOn: 'major', minScore: 0 } };
    const report = await scan(dir, { workers: 0, config: gated });
    const inTests = report.findings.filter((f) => f.file === 'test/any.test.ts');
    expect(inTests.map((f) => f.ruleId)).toContain('no-explicit-any');
    expect(report.gate.passed).toBe(true);
    expect(report.score.components.typeSafety).toBe(100);
    expect(report.testScore!.components.typeSafety).toBeLessThan(100);

    // The same finding in source fails it.
    await write('src/any.ts', 'export const loose: any = 1;\n');
    const failing = await scan(dir, { workers: 0, config: gated });
    expect(failing.gate.passed).toBe(false);
  });

  it("classifies as test what the runner's configuration in package.json names", async () => {
    await write('src/math.check.ts', tableTest('check'));
    await write(
      'package.json',
      JSON.stringify({ jest: { testMatch: ['<rootDir>/src/**/*.check.ts'] } }),
    );
    const report = await scan(dir, { workers: 0, config });
    expect(report.files.find((f) => f.path === 'src/math.check.ts')?.kind).toBe('test');
    expect(report.score.components.duplication).toBe(100);
  });
});
