import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, GRADES, SEVERITIES } from '../core/index.js';
import { computeScore, gradeOf, scoreFile, scoreRepository } from './score.js';

const finding = fc.record({
  category: fc.constantFrom(...CATEGORIES),
  severity: fc.constantFrom(...SEVERITIES),
  effortMinutes: fc.integer({ min: 0, max: 120 }),
});
const fileInput = fc.record({
  metrics: fc.record({
    codeLines: fc.integer({ min: 0, max: 5000 }),
    duplicatedLines: fc.integer({ min: 0, max: 5000 }),
  }),
  functions: fc.array(fc.record({ cognitive: fc.integer({ min: 0, max: 80 }) }), { maxLength: 20 }),
  findings: fc.array(finding, { maxLength: 30 }),
});

function gradeRank(g: string): number {
  return GRADES.indexOf(g as (typeof GRADES)[number]);
}

describe('quality score', () => {
  it('is 100 and A for clean code', () => {
    const s = computeScore({
      codeLines: 500,
      duplicatedLines: 0,
      excessCognitive: 0,
      findings: [],
    });
    expect(s.score).toBe(100);
    expect(s.grade).toBe('A');
  });

  it('maps SQALE debt-ratio boundaries onto the maintainability component', () => {
    // 1,000 lines cost 30,000 minutes to write; 10% of that is 3,000 minutes of debt.
    const s = computeScore({
      codeLines: 1000,
      duplicatedLines: 0,
      excessCognitive: 0,
      findings: [{ category: 'maintainability', severity: 'info', effortMinutes: 3000 }],
    });
    expect(s.components.maintainability).toBe(80);
    expect(s.components.debtRatio).toBe(10);
  });

  it('grades by the documented floors', () => {
    expect([80, 79.9, 65, 50, 35, 34.9, 0].map(gradeOf)).toEqual([
      'A',
      'B',
      'B',
      'C',
      'D',
      'E',
      'E',
    ]);
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fileInput, (f) => {
        expect(scoreFile(f.metrics, f.functions, f.findings)).toEqual(
          scoreFile(f.metrics, f.functions, f.findings),
        );
      }),
    );
  });

  it('never drops when any finding is removed, for files', () => {
    fc.assert(
      fc.property(fileInput, fc.nat(), (f, pick) => {
        fc.pre(f.findings.length > 0);
        const before = scoreFile(f.metrics, f.functions, f.findings);
        const fewer = f.findings.filter((_, i) => i !== pick % f.findings.length);
        const after = scoreFile(f.metrics, f.functions, fewer);
        expect(after.score).toBeGreaterThanOrEqual(before.score);
        expect(gradeRank(after.grade)).toBeLessThanOrEqual(gradeRank(before.grade));
        for (const [name, value] of Object.entries(before.components)) {
          if (name === 'debtRatio') expect(after.components[name]).toBeLessThanOrEqual(value);
          else expect(after.components[name]).toBeGreaterThanOrEqual(value);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never drops when any finding is removed, for repositories', () => {
    fc.assert(
      fc.property(fc.array(fileInput, { minLength: 1, maxLength: 6 }), fc.nat(), (files, pick) => {
        const findings = files.flatMap((f) => f.findings);
        fc.pre(findings.length > 0);
        const before = scoreRepository(files, findings);
        const after = scoreRepository(
          files,
          findings.filter((_, i) => i !== pick % findings.length),
        );
        expect(after.score).toBeGreaterThanOrEqual(before.score);
        expect(gradeRank(after.grade)).toBeLessThanOrEqual(gradeRank(before.grade));
      }),
      { numRuns: 300 },
    );
  });

  it('stays within 0-100', () => {
    fc.assert(
      fc.property(fileInput, (f) => {
        const s = scoreFile(f.metrics, f.functions, f.findings);
        expect(s.score).toBeGreaterThanOrEqual(0);
        expect(s.score).toBeLessThanOrEqual(100);
      }),
    );
  });
});
