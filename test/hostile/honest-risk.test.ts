import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  MissingHistoryError,
  rankLiveRisk,
  RISK_MODEL_NAME,
  type RankingChoice,
  type RiskModel,
} from '../../src/analysis/index.js';
import { closeHarnesses, harness, json, register, runJob } from '../../src/server/testing.js';
import { latestRiskModel, openStore, saveRiskModel } from '../../src/store/index.js';
import { beast, git, type CliResult } from '../helpers/repo.js';
import { makeRiskHistory } from '../helpers/risk-history.js';

// Issue 12, item 9: `beast train` keeps whichever ranking measured best on the most recent closed
// window, and train, risk, status, the API and improve say which and why, with every AUC. Two
// real git histories with a known answer: in one the trained model wins; in the other the bugs
// move to the complex, churning files after the training windows, so the model (which learned
// "fixed before, fixed again") loses to churn x complexity. A shallow clone has no history to
// rank by, and says so.

const TRAIN = ['--labelling', 'fix-touch', '--horizon', '30'];
const figure = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(3));

let work: string;
let db: string;
let losing: string;
let winning: string;
let shallow: string;

const run = (args: string[]): CliResult => beast([...args, '--db', db]);

async function storedModel(root: string): Promise<RiskModel & { version: number }> {
  const store = await openStore(db);
  try {
    const stored = await latestRiskModel(store, root, RISK_MODEL_NAME);
    return { ...(stored!.model as RiskModel), version: stored!.version };
  } finally {
    await store.close();
  }
}

/** The one line every surface prints for a ranking choice, from the stored choice itself. */
function rankingLine(choice: RankingChoice): string {
  const name = {
    model: 'the model (gradient-boosted trees)',
    'churn-complexity': 'churn x complexity',
    'logistic-added': 'logistic on lines added',
  }[choice.ranking];
  return `ranking by ${name}: ${choice.reason}`;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'beast-honest-risk-'));
  db = path.join(work, 'beast.db');
  losing = await makeRiskHistory({ shift: true });
  winning = await makeRiskHistory({ shift: false });
  shallow = path.join(work, 'shallow');
  git(work, 'clone', '-q', '--depth', '3', `file://${losing}`, shallow);
}, 120_000);

afterAll(async () => {
  for (const dir of [work, losing, winning]) await rm(dir, { recursive: true, force: true });
});

afterEach(closeHarnesses);

describe('a model that loses to churn x complexity on the most recent closed window', () => {
  let model: RiskModel & { version: number };

  beforeAll(async () => {
    const trained = run(['train', losing, ...TRAIN]);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    model = await storedModel(losing);
    expect(trained.stdout).toContain(`  ${rankingLine(model.ranking)}\n`);
    expect(trained.stdout).toContain('(the model is stored but not used for ranking)');
  }, 120_000);

  it('is stored with the churn x complexity ranking, every AUC and the reason', () => {
    const { ranking, auc, reason } = model.ranking;
    expect(ranking).toBe('churn-complexity');
    expect(model.kind).toBe('gbt');
    expect(auc.model).toBe(model.evaluation.model?.auc);
    expect(auc.churnComplexity).toBe(model.evaluation.churnComplexity?.auc);
    expect(auc.logisticAdded).toBe(model.evaluation.logisticAdded?.auc);
    expect(auc.churnComplexity!).toBeGreaterThan(auc.model!);
    expect(auc.churnComplexity!).toBeGreaterThan(auc.logisticAdded!);
    expect(reason).toBe(
      `it measured best on the most recent closed window (test AUC ${figure(auc.churnComplexity)}; the model ${figure(auc.model)}, logistic on lines added ${figure(auc.logisticAdded)})`,
    );
  });

  it('beast risk ranks by churn x complexity and says why, with both AUCs', () => {
    const text = run(['risk', losing, '-n', '4']);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(
      `${RISK_MODEL_NAME} v${model.version}: ${rankingLine(model.ranking)}`,
    );
    // The churning, complex files first: what churn x complexity ranks first.
    const listed = run(['risk', losing, '-n', '4', '--json']);
    const { ranking, files } = JSON.parse(listed.stdout) as {
      ranking: RankingChoice;
      files: { file: string; risk: number }[];
    };
    expect(ranking).toEqual(model.ranking);
    expect(files.map((f) => f.file)).toEqual([
      'src/complex3.ts',
      'src/complex2.ts',
      'src/complex1.ts',
      'src/complex0.ts',
    ]);
    for (const f of files) expect(f.risk).toBeGreaterThan(0.5);
  });

  it('beast status says which ranking the defect risk uses and why', () => {
    expect(run(['scan', losing, '-q']).code).toBe(0);
    const text = run(['status', losing]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `  defect risk: ${RISK_MODEL_NAME} v${model.version}, ${rankingLine(model.ranking)}\n`,
    );
    const { quality } = JSON.parse(run(['status', losing, '--json']).stdout) as {
      quality: { defectRiskRanking: unknown; factors: Record<string, { importance: number }> };
    };
    expect(quality.defectRiskRanking).toEqual({ version: model.version, ...model.ranking });
    // Weighted by how well churn x complexity ranks, not the model: 0.25 × 2 × (AUC − 0.5).
    const cc = model.ranking.auc.churnComplexity!;
    expect(quality.factors.defectRisk?.importance).toBeCloseTo(0.5 * (cc - 0.5), 3);
  });

  it("beast improve's Order line names the ranking and both AUCs", () => {
    const result = run([
      'improve',
      losing,
      '--dry-run',
      '--model',
      'builtin:codemods',
      '--max-changes',
      '1',
      '--allow-unvalidated',
      '--json',
      '-q',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const { ordering } = JSON.parse(result.stdout) as { ordering: string };
    expect(ordering).toBe(
      `severity x predicted defect risk (${RISK_MODEL_NAME} v${model.version}, ${rankingLine(model.ranking)})`,
    );
    expect(git(losing, 'status', '--porcelain')).toBe('');
  }, 180_000);

  it('the API reports the ranking, the reason and every AUC', async () => {
    const h = await harness();
    const id = await register(h, losing);
    await runJob(h, '/api/self-improvement/scan', { repo: id });
    expect(beast(['train', losing, ...TRAIN, '--db', h.store.file]).code).toBe(0);
    const stored = await latestRiskModel(h.store, losing, RISK_MODEL_NAME);
    const response = await h.call('POST', '/api/repos/quality', { repo: id });
    expect(response.status).toBe(200);
    const report = await json<{ defectRiskRanking: unknown }>(response);
    expect(report.defectRiskRanking).toEqual({
      version: stored!.version,
      ...(stored!.model as RiskModel).ranking,
    });
    expect((report.defectRiskRanking as RankingChoice).ranking).toBe('churn-complexity');
  }, 120_000);

  it('beast risk refuses a model stored before the ranking was chosen, and says to retrain', async () => {
    const legacyDb = path.join(work, 'legacy.db');
    const store = await openStore(legacyDb);
    try {
      const { ranking: _ranking, baselines: _baselines, version: _v, ...legacy } = model;
      await saveRiskModel(store, losing, {
        name: RISK_MODEL_NAME,
        commit: undefined,
        kind: legacy.kind,
        labelling: legacy.labelling,
        trainedFrom: undefined,
        trainedTo: undefined,
        features: legacy.features,
        metrics: {},
        model: legacy,
      });
    } finally {
      await store.close();
    }
    const risk = beast(['risk', losing, '--db', legacyDb]);
    expect(risk.code).toBe(2);
    expect(risk.stdout).toBe('');
    expect(risk.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(
        `the stored ${RISK_MODEL_NAME} model was stored before beast compared it with its baselines, so which ranking to use is unknown; run \`beast train\` again`,
      ),
    ]);
  });
});

describe('a model that beats both baselines', () => {
  it('is kept for ranking, and train, risk and status say so with the baselines it beat', async () => {
    const trained = run(['train', winning, ...TRAIN]);
    expect(trained.code, trained.stderr).toBe(0);
    const model = await storedModel(winning);
    const { auc } = model.ranking;
    expect(model.ranking.ranking).toBe('model');
    expect(auc.model!).toBeGreaterThan(auc.churnComplexity!);
    expect(auc.model!).toBeGreaterThan(auc.logisticAdded!);
    expect(model.ranking.reason).toBe(
      `it measured best on the most recent closed window (test AUC ${figure(auc.model)}; churn x complexity ${figure(auc.churnComplexity)}, logistic on lines added ${figure(auc.logisticAdded)})`,
    );
    expect(trained.stdout).toContain(`  ${rankingLine(model.ranking)}\n`);
    expect(trained.stdout).not.toContain('not used for ranking');

    const risk = run(['risk', winning, '-n', '4']);
    expect(risk.stdout.split('\n')[0]).toBe(
      `${RISK_MODEL_NAME} v${model.version}: ${rankingLine(model.ranking)}`,
    );
    // The model learned that the small files fixed again and again are the risky ones.
    const files = risk.stdout.split('\n').filter((l) => /src\/\w+\.ts/.test(l));
    expect(files.map((l) => /src\/(\w+)\.ts/.exec(l)?.[1]?.replace(/\d/, ''))).toEqual([
      'simple',
      'simple',
      'simple',
      'simple',
    ]);
    expect(risk.stdout).toMatch(/\[\w+=[\d.]+ \([+-]\d\.\d\d\)/);

    expect(run(['scan', winning, '-q']).code).toBe(0);
    expect(run(['status', winning]).stdout).toContain(
      `  defect risk: ${RISK_MODEL_NAME} v${model.version}, ${rankingLine(model.ranking)}\n`,
    );
  }, 180_000);
});

describe('a shallow clone', () => {
  it('rankLiveRisk says history is missing instead of ranking a truncated history', async () => {
    const model = await storedModel(losing);
    await expect(rankLiveRisk(model, shallow)).rejects.toThrow(MissingHistoryError);
    await expect(rankLiveRisk(model, shallow)).rejects.toThrow(
      `defect risk is mined from history, and ${shallow} is a shallow clone (git fetch --unshallow to get history)`,
    );
  });

  it('status, the API and improve say hotspots and defect risk were not computed, and why', async () => {
    const reason = 'shallow clone (git fetch --unshallow to get history)';
    const shallowDb = path.join(work, 'shallow.db');
    // A model stored for the clone (as if trained before it was made shallow).
    const { version: _v, ...model } = await storedModel(losing);
    const store = await openStore(shallowDb);
    try {
      await saveRiskModel(store, shallow, {
        name: RISK_MODEL_NAME,
        commit: undefined,
        kind: model.kind,
        labelling: model.labelling,
        trainedFrom: undefined,
        trainedTo: undefined,
        features: model.features,
        metrics: model.evaluation,
        model,
      });
    } finally {
      await store.close();
    }
    expect(beast(['scan', shallow, '-q', '--db', shallowDb]).code).toBe(0);
    const text = beast(['status', shallow, '--db', shallowDb]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`\nHotspots: not computed: ${reason}\n`);
    expect(text.stdout).not.toContain('changes × complexity');
    const { scan, quality } = JSON.parse(
      beast(['status', shallow, '--json', '--db', shallowDb]).stdout,
    ) as {
      scan: { hotspotsUnavailable?: string };
      quality: { defectRiskRanking: unknown; recommendations: { message: string }[] };
    };
    expect(scan.hotspotsUnavailable).toBe(reason);
    expect(quality.defectRiskRanking).toBeNull();
    expect(quality.recommendations.map((r) => r.message)).toContain(
      `defect risk is mined from history, and ${shallow} is a ${reason}`,
    );

    const h = await harness();
    const id = await register(h, shallow);
    await runJob(h, '/api/self-improvement/scan', { repo: id });
    const detail = await json<{ hotspots: unknown[]; hotspotsUnavailable: string | null }>(
      await h.call('GET', `/api/repos/${id}`),
    );
    expect(detail).toMatchObject({ hotspots: [], hotspotsUnavailable: reason });
    const full = await register(h, winning);
    await runJob(h, '/api/self-improvement/scan', { repo: full });
    const fullDetail = await json<{ hotspots: unknown[]; hotspotsUnavailable: string | null }>(
      await h.call('GET', `/api/repos/${full}`),
    );
    expect(fullDetail.hotspotsUnavailable).toBeNull();
    expect(fullDetail.hotspots.length).toBeGreaterThan(0);

    const improve = beast([
      'improve',
      shallow,
      '--dry-run',
      '--model',
      'builtin:codemods',
      '--max-changes',
      '1',
      '--allow-unvalidated',
      '--json',
      '-q',
      '--db',
      shallowDb,
    ]);
    expect(improve.code, improve.stderr).toBe(0);
    expect((JSON.parse(improve.stdout) as { ordering: string }).ordering).toBe(
      `severity (defect risk and hotspots need history, and this is a ${reason})`,
    );
  }, 180_000);
});
