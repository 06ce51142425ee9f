import { describe, expect, it } from 'vitest';
import { createScanReport } from '../../test/helpers/store-report.js';
import { chooseRanking, SCORE_WEIGHTS, type FileRisk, type RiskModel } from '../analysis/index.js';
import { latestScan, openStore, recordScan, type StoredScan } from '../store/index.js';
import { computeQualityReport, loadQualityReport, type DefectRiskInput } from './quality-report.js';

const NO_MODEL: DefectRiskInput = {
  status: 'none',
  reason: 'no model',
  recommendation: 'run `beast train`',
};

async function storedScan(files: number): Promise<StoredScan> {
  const store = await openStore(':memory:');
  const report = createScanReport({ files, findingsPerFile: 2 });
  report.score.components = {
    maintainability: 90,
    reliability: 60,
    complexity: 75.5,
    duplication: 100,
    typeSafety: 40,
  };
  await recordScan(store, report);
  const scan = await latestScan(store, report.repo.root);
  await store.close();
  return scan!;
}

function ranked(
  kind: RiskModel['kind'],
  auc: number | undefined,
  files: Partial<FileRisk>[],
  churnComplexity = 0.35,
): DefectRiskInput {
  const evaluation = {
    sufficient: kind === 'gbt',
    model: auc === undefined ? undefined : { auc },
    churnComplexity: { auc: churnComplexity },
    logisticAdded: { auc: 0.3 },
    reason: 'only 3 commits',
  };
  const model = { kind, evaluation, ranking: chooseRanking(evaluation) } as unknown as RiskModel;
  return {
    status: 'ranked',
    version: 2,
    model,
    files: files.map((f) => ({ file: 'a.ts', risk: 0, lines: 1, factors: [], ...f })),
  };
}

const weighted = (factors: Record<string, { value: number; importance: number }>): number => {
  let sum = 0;
  let weights = 0;
  for (const f of Object.values(factors)) {
    sum += f.value * f.importance;
    weights += f.importance;
  }
  return sum / weights;
};

describe('computeQualityReport', () => {
  it('weighs the score components as the score does, without a defect-risk model', async () => {
    const scan = await storedScan(5);
    const report = computeQualityReport({ scan, scans: 3, risk: NO_MODEL });
    expect(Object.keys(report.factors)).toEqual(Object.keys(SCORE_WEIGHTS));
    // 0.35×0.9 + 0.25×0.6 + 0.15×0.755 + 0.1×1 + 0.15×0.4
    expect(report.quality).toBe(0.738);
    expect(report.grade).toBe('B');
    // One file of five did not parse; three scans: 0.8 × 3/4.
    expect(report.confidence).toBe(0.6);
    expect(report.recommendations.at(-1)).toEqual({
      factor: 'defectRisk',
      gain: 0,
      message: 'run `beast train`',
    });
    // Biggest gain first: reliability 0.25×0.4 = 0.1, then type safety 0.15×0.6 = 0.09.
    expect(report.recommendations.slice(0, 2).map((r) => [r.factor, r.gain])).toEqual([
      ['reliability', 0.1],
      ['typeSafety', 0.09],
    ]);
    expect(report.recommendations[1]!.message).toMatch(/no-explicit-any \(5\)/);
    expect(report.recommendations.map((r) => r.factor)).not.toContain('duplication');
  });

  it('adds defect risk weighted by how well the model ranks', async () => {
    const scan = await storedScan(4);
    const risk = ranked('gbt', 0.9, [
      { file: 'hot.ts', risk: 0.5, lines: 100 },
      { file: 'cold.ts', risk: 0.1, lines: 300 },
    ]);
    const report = computeQualityReport({ scan, scans: 1, risk });
    // Line-weighted mean risk (0.5×100 + 0.1×300) / 400 = 0.2; importance 0.25 × 2 × (0.9 − 0.5).
    expect(report.factors.defectRisk).toEqual({ value: 0.8, importance: 0.2 });
    expect(report.quality).toBeCloseTo(weighted(report.factors), 3);
    expect(report.recommendations.find((r) => r.factor === 'defectRisk')?.message).toMatch(
      /hot\.ts/,
    );

    const chance = computeQualityReport({
      scan,
      scans: 1,
      risk: ranked('gbt', 0.4, [{ risk: 0.9 }]),
    });
    expect(chance.factors.defectRisk?.importance).toBe(0);
    const none = computeQualityReport({ scan, scans: 1, risk: NO_MODEL });
    expect(chance.quality).toBe(none.quality);
    expect(none.defectRiskRanking).toBeNull();
  });

  it('weighs defect risk by the ranking kept, and says which, when the model lost to a baseline', async () => {
    const scan = await storedScan(4);
    const risk = ranked('gbt', 0.87, [{ file: 'hot.ts', risk: 0.5, lines: 100 }], 0.905);
    const report = computeQualityReport({ scan, scans: 1, risk });
    // Importance from churn x complexity's AUC, not the model's: 0.25 × 2 × (0.905 − 0.5).
    expect(report.factors.defectRisk?.importance).toBe(0.203);
    expect(report.defectRiskRanking).toEqual({
      version: 2,
      ranking: 'churn-complexity',
      auc: { model: 0.87, churnComplexity: 0.905, logisticAdded: 0.3 },
      reason:
        'it measured best on the most recent closed window (test AUC 0.905; the model 0.870, logistic on lines added 0.300)',
    });
    expect(report.recommendations.find((r) => r.factor === 'defectRisk')?.message).toMatch(
      /^predicted defect risk \(quality:defect-risk v2, ranking by churn x complexity\) is 0\.5/,
    );
  });

  it('leaves out a heuristic ranking and says why', async () => {
    const scan = await storedScan(3);
    const report = computeQualityReport({
      scan,
      scans: 1,
      risk: ranked('heuristic', undefined, [{ risk: 40 }]),
    });
    expect(report.factors.defectRisk).toBeUndefined();
    expect(report.recommendations.find((r) => r.factor === 'defectRisk')?.message).toMatch(
      /heuristic \(only 3 commits\)/,
    );
  });
});

describe('loadQualityReport', () => {
  it('reads the newest scan and counts full scans for confidence', async () => {
    const store = await openStore(':memory:');
    expect(await loadQualityReport(store, '/nowhere')).toBeUndefined();
    for (const day of ['01', '02']) {
      const report = createScanReport({ files: 2, startedAt: `2026-01-${day}T00:00:00Z` });
      await recordScan(store, report);
    }
    const root = createScanReport().repo.root;
    const report = await loadQualityReport(store, root, () => Promise.resolve(NO_MODEL));
    const newest = await latestScan(store, root);
    expect(report?.scanId).toBe(newest?.scan.id);
    // Both files parsed, two scans: 2/3.
    expect(report?.confidence).toBe(0.667);
    await store.close();
  });
});
