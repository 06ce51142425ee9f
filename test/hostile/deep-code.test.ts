import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/core/index.js';
import { beast, git, makeRepo } from '../helpers/repo.js';
import { client, startServe, stopServers } from '../helpers/serve.js';

// Generated code nested deeper than oxc-parser's native stack allows used to kill `beast scan`,
// `beast improve` and `beast serve` with SIGSEGV. Each file below is past the depth at which the
// parser crashed on the main thread (Node 20, oxc-parser 0.159), one per line as generators
// write them, so that the minified-file check does not catch them first.

const lines = (n: number, line: (i: number) => string, separator = ''): string =>
  Array.from({ length: n }, (_, i) => line(i)).join(`${separator}\n`);

const DEEP: Record<string, string> = {
  // 7,000 branches, 240 KB: crashed from about 6,600.
  'src/else-if.ts': `let a = 1, r = 0;\nif (a === 0) { r = 0; }\n${lines(7000, (i) => `else if (a === ${i + 1}) { r = ${i}; }`)}\nexport { r };\n`,
  // Binary chains crashed from about 63,000 terms.
  'src/plus.ts': `const a = 1;\nexport const x =\n${lines(70_000, () => '  a', ' +')};\n`,
  'src/and.ts': `const a = 1, b = 2;\nexport const x =\n${lines(70_000, (i) => (i % 2 ? '  b' : '  a'), ' &&')};\n`,
  'src/concat.ts': `export const s =\n${lines(70_000, () => "  'a'", ' +')};\n`,
  // Unary chains from about 28,000.
  'src/not.ts': `const x = 1;\nexport const y = ${lines(600, () => '!'.repeat(50))}x;\n`,
  'src/negate.ts': `const x = 1;\nexport const y = ${lines(1200, () => '- '.repeat(25))}x;\n`,
  'src/typeof.ts': `const x = 1;\nexport const y = ${lines(3000, () => 'typeof '.repeat(10))}x;\n`,
  // Ternaries from about 8,500, arrows from about 7,600.
  'src/ternary.ts': `const a = 1, b = 2;\nexport const y =\n${lines(20_000, () => '  a ? b :')}\n  a;\n`,
  'src/arrow.ts': `export const f =\n${lines(20_000, () => '  (x: number) =>')}\n  1;\n`,
};

const FIXABLE =
  "export function label(name: string): string {\n  let prefix = 'item';\n  return prefix + ':' + name;\n}\n";

afterEach(stopServers);

async function deepRepo(extra: Record<string, string> = {}): Promise<string> {
  return makeRepo({
    'package.json': JSON.stringify({ name: 'deep', private: true, type: 'module' }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', target: 'ES2022' },
      include: ['src'],
    }),
    'src/label.ts': FIXABLE,
    ...DEEP,
    ...extra,
  });
}

function expectDeepSkipped(report: Pick<ScanReport, 'skipped' | 'files'>): void {
  expect(report.skipped).toEqual(
    Object.keys(DEEP)
      .sort()
      .map((file) => ({
        path: file,
        reason: 'too-deep',
        detail: expect.stringMatching(
          /^syntax nested too deeply near line \d+ \(estimated depth \d+, limit \d+\): too deep to parse safely$/,
        ),
      })),
  );
  expect(report.files.map((f) => f.path)).toContain('src/label.ts');
}

describe('deeply nested generated code', () => {
  it('beast scan skips every kind of deep chain as too-deep, on the main thread', async () => {
    const dir = await deepRepo();
    const result = beast(['scan', dir, '--format', 'json', '--no-store', '-q']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ScanReport;
    expectDeepSkipped(report);
    expect(report.files.map((f) => f.path)).toEqual(['src/label.ts']);

    const table = beast(['scan', dir, '--no-store', '-q']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/too-deep/);
  });

  it('beast scan skips them with worker threads analysing the rest', async () => {
    const small: Record<string, string> = {};
    for (let i = 0; i < 60; i++) small[`src/m${i}.ts`] = `export const m${i} = ${i};\n`;
    const dir = await deepRepo(small);
    const result = beast(['scan', dir, '--format', 'json', '--no-store', '-q', '--workers', '2']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ScanReport;
    expectDeepSkipped(report);
    expect(report.summary.files).toBe(61);
  });

  it('beast improve fixes the other files and reports that TypeScript cannot check the deep ones', async () => {
    const dir = await deepRepo();
    const result = beast(['improve', dir, '--dry-run', '--no-store', '-q', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      changes: { finding: { file: string }; changes: { file: string }[] }[];
      checks: { name: string; ran: boolean; detail: string }[];
    };
    expect(report.changes.length).toBeGreaterThan(0);
    const touched = report.changes.flatMap((c) => [
      c.finding.file,
      ...c.changes.map((f) => f.file),
    ]);
    expect(new Set(touched)).toEqual(new Set(['src/label.ts']));
    expect(report.checks.find((c) => c.name === 'typecheck')).toEqual({
      name: 'typecheck',
      ran: false,
      detail: expect.stringMatching(/overflowed its stack: code nested too deeply/),
    });
    // Nothing was committed to the repository.
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'branch', '--list').trim()).toBe('* main');
  });

  it('a scan job through beast serve survives them, and the server goes on serving', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'beast-serve-home-'));
    const token = 'deep-code-token';
    const small: Record<string, string> = {};
    for (let i = 0; i < 60; i++) small[`src/m${i}.ts`] = `export const m${i} = ${i};\n`;
    const dir = await deepRepo(small);
    const server = await startServe(home, { BEAST_API_TOKEN: token });
    const call = client(server, token);
    expect((await call('POST', '/api/repos', { path: dir })).status).toBe(201);
    const queued = await call('POST', '/api/self-improvement/scan', { repo: dir });
    const { job } = (await queued.json()) as { job: { id: number } };
    let status = '';
    let result: { files?: number } | undefined;
    while (status !== 'succeeded' && status !== 'failed') {
      const response = await call('GET', `/api/jobs/${job.id}`);
      expect(response.status).toBe(200);
      ({
        job: { status, result },
      } = (await response.json()) as {
        job: { status: string; result?: { files?: number } };
      });
      if (status !== 'succeeded' && status !== 'failed')
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('succeeded');
    expect(result?.files).toBe(61);
    expect((await call('GET', '/api/repos')).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.child.signalCode).toBeNull();
  });
});
