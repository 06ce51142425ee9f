import { describe, expect, it } from 'vitest';
import { commitMessage, formatChange, formatFunnel, formatTestGenReport } from './deliver.js';
import type { TestGenReport, TestVerdict } from './types.js';

const funnel = { generated: 40, built: 38, passed: 35, stable: 33, useful: 20, kept: 20 };

function cov(covered: number, total: number) {
  const c = { covered, total };
  return { statements: c, branches: { covered: 1, total: 4 }, functions: c, lines: c };
}

const verdict: TestVerdict = {
  file: 'src/a.test.ts',
  target: 'src/a.ts',
  model: 'builtin:testgen',
  attempt: 1,
  kept: true,
  stage: 'kept',
  reason: undefined,
  content: "it('adds', () => {});\n",
  funnel,
  before: {
    file: 'src/a.ts',
    ...cov(412, 1000),
    uncoveredLines: [],
    uncoveredFunctions: [],
    uncoveredBranches: [],
  },
  after: {
    file: 'src/a.ts',
    ...cov(630, 1000),
    uncoveredLines: [],
    uncoveredFunctions: [],
    uncoveredBranches: [],
  },
  mutants: { tried: 6, killedOnlyByNew: 2 },
};

describe('formatting', () => {
  it('prints the funnel and coverage changes as the README shows them', () => {
    expect(formatFunnel(funnel)).toBe(
      'generated 40 → built 38 → passed 35 → stable 33 → useful 20 → kept 20',
    );
    expect(
      formatChange('lines', { covered: 412, total: 1000 }, { covered: 630, total: 1000 }),
    ).toBe('lines 41.2% → 63.0% (+21.8)');
    expect(formatChange('lines', undefined, { covered: 1, total: 2 })).toBe('lines n/a → 50.0%');
  });

  it('puts the evidence in the commit message', () => {
    const message = commitMessage(verdict, ['type-check: no tsconfig.json']);
    expect(message.split('\n')[0]).toBe('test: cover src/a.ts (builtin:testgen)');
    expect(message).toContain('Cases: 20 kept of 40 generated');
    expect(message).toContain('lines 41.2% → 63.0% (+21.8), branches 25.0% → 25.0% (+0.0)');
    expect(message).toContain('2 of 6 tried');
    expect(message).toContain('Validated by beast tests');
    expect(message).toContain('Not run: type-check: no tsconfig.json');
  });

  it('prints a not-run report as one line with the reason, and files only on a dry run', () => {
    const report: TestGenReport = {
      repository: '/r',
      status: 'not-run',
      reason: 'no test runner: no package.json',
      base: 'abc',
      branch: undefined,
      head: undefined,
      runner: 'none',
      coverageHow: 'not measured',
      before: cov(0, 0),
      after: cov(0, 0),
      files: [],
      funnel,
      verdicts: [],
      skipped: [],
      warnings: [],
      durationMs: 1,
    };
    expect(formatTestGenReport(report)).toBe(
      'beast tests: not-run: no test runner: no package.json\n',
    );
    const dry = { ...report, status: 'dry-run' as const, verdicts: [verdict] };
    expect(formatTestGenReport(dry, true)).toContain(
      "--- src/a.test.ts (would be committed; dry run)\nit('adds', () => {});",
    );
    expect(formatTestGenReport(dry, false)).not.toContain("it('adds'");
  });
});
