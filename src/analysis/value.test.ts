import { describe, expect, it } from 'vitest';
import type { Finding, ScanReport, Severity } from '../core/index.js';
import { orderByValue, sourceFirstByValue } from './value.js';

function finding(file: string, line = 1, severity: Severity = 'minor'): Finding {
  return {
    ruleId: 'r',
    file,
    category: 'maintainability',
    severity,
    message: 'm',
    location: { line, column: 1, endLine: line, endColumn: 2 },
    effortMinutes: 1,
    fixability: 'safe-fix',
  };
}

const at = (findings: readonly Finding[]) => findings.map((f) => `${f.file}:${f.location.line}`);

describe('orderByValue', () => {
  const report: Pick<ScanReport, 'findings' | 'hotspots'> = {
    findings: [
      finding('cold.ts', 1, 'major'),
      finding('warm.ts', 1),
      finding('hot.ts', 2),
      finding('hot.ts', 1),
      finding('cold.ts', 2, 'info'),
    ],
    hotspots: [
      { file: 'hot.ts', changes: 4, complexity: 5, risk: 20 },
      { file: 'warm.ts', changes: 2, complexity: 5, risk: 10 },
    ],
  };

  it('weighs severity by the file hotspot risk, relative to the hottest file', () => {
    // hot minor 2x2 = 4 ties cold major 4x1 and goes first as the riskier file; warm minor 2x1.5.
    expect(at(orderByValue(report))).toEqual([
      'hot.ts:1',
      'hot.ts:2',
      'cold.ts:1',
      'warm.ts:1',
      'cold.ts:2',
    ]);
  });

  it('puts a severe finding in a cold file before a minor one in the hottest', () => {
    const severe = { ...report, findings: [finding('hot.ts'), finding('cold.ts', 1, 'critical')] };
    expect(at(orderByValue(severe))).toEqual(['cold.ts:1', 'hot.ts:1']);
  });

  it('uses the predicted defect risk instead of hotspots when given; files it lacks weigh 0', () => {
    const risk = new Map([
      ['cold.ts', 1],
      ['warm.ts', 0.25],
    ]);
    // cold info 1x2 ties hot minor 2x1 and goes first as the riskier file.
    expect(at(orderByValue(report, risk))).toEqual([
      'cold.ts:1',
      'warm.ts:1',
      'cold.ts:2',
      'hot.ts:1',
      'hot.ts:2',
    ]);
  });

  it('orders by severity and position when nothing weighs the files', () => {
    const flat = { ...report, hotspots: [] };
    expect(at(orderByValue(flat))).toEqual([
      'cold.ts:1',
      'hot.ts:1',
      'hot.ts:2',
      'warm.ts:1',
      'cold.ts:2',
    ]);
  });

  it('leaves findings in test code out unless asked to include them', () => {
    const withTests = {
      findings: [finding('x.ts'), finding('y.ts', 1, 'blocker'), finding('z.ts')],
      hotspots: [],
      files: [
        { path: 'x.ts', kind: 'source' as const },
        { path: 'y.ts', kind: 'test' as const },
        { path: 'z.ts', kind: 'fixture' as const },
      ],
    };
    expect(at(orderByValue(withTests))).toEqual(['x.ts:1']);
    expect(at(orderByValue(withTests, undefined, { includeTests: true }))).toEqual([
      'y.ts:1',
      'x.ts:1',
      'z.ts:1',
    ]);
    expect(at(sourceFirstByValue(withTests))).toEqual(['x.ts:1', 'y.ts:1', 'z.ts:1']);
  });
});
