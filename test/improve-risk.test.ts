import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHURN_X_COMPLEXITY,
  CODE_METRICS,
  HISTORY_FEATURES,
  RISK_MODEL_NAME,
  sourceMetrics,
  type RiskEvaluation,
  type RiskModel,
} from '../src/analysis/index.js';
import { createCodemodsModel } from '../src/models/index.js';
import { formatImproveReport, runImprove } from '../src/pipeline/index.js';
import { openStore, saveRiskModel } from '../src/store/index.js';
import { makeImproveFixture } from './helpers/improve-fixture.js';
import { git } from './helpers/repo.js';

const FEATURES = [...HISTORY_FEATURES, ...CODE_METRICS, CHURN_X_COMPLEXITY];

/** A one-tree model: files with at most `maxCodeLines` code lines are risky, the others not. */
function shortFilesAreRisky(maxCodeLines: number): RiskModel {
  const feature = FEATURES.indexOf('code_lines');
  return {
    name: RISK_MODEL_NAME,
    kind: 'gbt',
    features: FEATURES,
    labelling: 'szz',
    horizonDays: 90,
    fixPatterns: [],
    trainedFrom: 0,
    trainedTo: 0,
    gbt: {
      bias: 0,
      featureCount: FEATURES.length,
      trees: [
        [
          { feature, threshold: maxCodeLines + 0.5, left: 1, right: 2, value: 0 },
          { feature: -1, threshold: 0, left: -1, right: -1, value: 2 },
          { feature: -1, threshold: 0, left: -1, right: -1, value: -2 },
        ],
      ],
    },
    importance: [{ feature: 'code_lines', importance: 1 }],
    evaluation: { model: { auc: 0.9 } } as unknown as RiskEvaluation,
    ranking: {
      ranking: 'model',
      auc: { model: 0.9, churnComplexity: 0.7, logisticAdded: 0.6 },
      reason:
        'it measured best on the most recent closed window (test AUC 0.900; churn x complexity 0.700, logistic on lines added 0.600)',
    },
    baselines: undefined,
  };
}

describe('beast improve ordered by the stored defect-risk model', () => {
  it('works first on the file the model ranks riskiest, and says which ordering it used', async () => {
    const repo = await makeImproveFixture(3);
    // mod0 changes twice and grows: the hotspot, and first by name; the model prefers short files.
    const mod0 = path.join(repo, 'src/mod0.js');
    const shortLines = sourceMetrics('src/mod0.js', await readFile(mod0, 'utf8'))?.[3] ?? 0;
    await appendFile(mod0, 'export const extra = 1;\n');
    git(repo, 'commit', '-qam', 'grow mod0');
    const home = await mkdtemp(path.join(tmpdir(), 'beast-improve-risk-'));
    const store = await openStore(path.join(home, 'beast.db'));
    try {
      const run = () =>
        runImprove(
          repo,
          { models: [createCodemodsModel()], stateDir: home, store },
          { dryRun: true, maxChanges: 1, allowUnvalidated: true },
        );
      const plain = await run();
      expect(plain.ordering).toMatch(
        /^severity x hotspot risk .*no quality:defect-risk model stored/,
      );
      expect(plain.changes[0]?.finding.file).toBe('src/mod0.js');

      const save = (model: RiskModel) =>
        saveRiskModel(store, repo, {
          name: RISK_MODEL_NAME,
          commit: undefined,
          kind: 'gbt',
          labelling: 'szz',
          trainedFrom: undefined,
          trainedTo: undefined,
          features: model.features,
          metrics: {},
          model,
        });
      await save(shortFilesAreRisky(shortLines));
      const ranked = await run();
      expect(ranked.ordering).toBe(
        'severity x predicted defect risk (quality:defect-risk v1, ranking by the model (gradient-boosted trees): it measured best on the most recent closed window (test AUC 0.900; churn x complexity 0.700, logistic on lines added 0.600))',
      );
      // mod1 and mod2 are equally risky to the model; mod1 comes first by name.
      expect(ranked.changes[0]?.finding.file).toBe('src/mod1.js');
      expect(formatImproveReport(ranked)).toMatch(/Order +severity x predicted defect risk/);

      // A model an older version stored, without today's last feature: hotspots, and why.
      await save({ ...shortFilesAreRisky(shortLines), features: FEATURES.slice(0, -1) });
      const fallback = await run();
      expect(fallback.ordering).toMatch(
        /^severity x hotspot risk .*trained on other features \(without churn_x_complexity\); run `beast train` again/,
      );
      expect(fallback.changes[0]?.finding.file).toBe('src/mod0.js');
    } finally {
      await store.close();
    }
  }, 120_000);
});
