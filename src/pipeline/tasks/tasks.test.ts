import { describe, expect, it } from 'vitest';
import type { Finding, ScanReport } from '../../core/index.js';
import { CHECKS } from '../improve/types.js';
import { TASK_KIND_REGISTRY, taskKind, taskKindNames } from './index.js';

function finding(ruleId: string, category: Finding['category']): Finding {
  return {
    ruleId,
    category,
    severity: 'major',
    message: ruleId,
    file: 'src/a.ts',
    location: { line: 1, column: 1, endLine: 1, endColumn: 2 },
    effortMinutes: 1,
    fixability: 'none',
  };
}

const FINDINGS = [
  finding('prefer-const', 'maintainability'),
  finding('cognitive-complexity', 'complexity'),
  finding('max-params', 'size'),
  finding('duplicated-code', 'duplication'),
  finding('prefer-early-return', 'maintainability'),
  finding('no-explicit-any', 'type-safety'),
];
const report = {} as ScanReport;

describe('task kinds', () => {
  it('are registered by name, and an unknown one is a one-line input error naming the known', () => {
    expect(taskKindNames()).toEqual(['fix', 'refactor']);
    for (const name of taskKindNames()) expect(taskKind(name).kind).toBe(name);
    expect(() => taskKind('rewrite')).toThrow('unknown task kind "rewrite"; known: fix, refactor');
    expect(() => taskKind('toString')).toThrow(/unknown task kind/);
  });

  it('declare gate checks the gate knows, each list starting with parse', () => {
    for (const spec of Object.values(TASK_KIND_REGISTRY)) {
      for (const list of [spec.checks.quick, spec.checks.full]) {
        expect(list[0]).toBe('parse');
        for (const check of list) expect(CHECKS).toContain(check);
      }
      expect(spec.delivery.branchPrefix).toMatch(/^[a-z-]+$/);
    }
  });

  it('fix works on every finding it is given, in the order given', () => {
    const work = taskKind('fix').findWork({ report, findings: FINDINGS, options: {} });
    expect(work).toEqual(FINDINGS);
    expect(taskKind('fix').task(FINDINGS[0]!)).toEqual({ kind: 'fix', finding: FINDINGS[0] });
  });

  it('refactor works on complexity, size, duplication and needless nesting, unless rules are named', () => {
    const refactor = taskKind('refactor');
    const work = refactor.findWork({ report, findings: FINDINGS, options: {} });
    expect(work.map((f) => f.ruleId)).toEqual([
      'cognitive-complexity',
      'max-params',
      'duplicated-code',
      'prefer-early-return',
    ]);
    const named = refactor.findWork({
      report,
      findings: [FINDINGS[0]!],
      options: { rules: ['prefer-const'] },
    });
    expect(named.map((f) => f.ruleId)).toEqual(['prefer-const']);
    const repair = { attempt: 1, previous: 'x', errors: 'tests: failed' };
    const task = refactor.task(FINDINGS[1]!, repair);
    expect(task).toMatchObject({ kind: 'refactor', repair });
    expect(task.brief?.role).toMatch(/^You refactor code/);
  });
});
