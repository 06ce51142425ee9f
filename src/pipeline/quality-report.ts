import {
  chosenAuc,
  gradeOf,
  MissingHistoryError,
  RANKING_NAMES,
  rankLiveRisk,
  StaleModelError,
  RISK_MODEL_NAME,
  SCORE_WEIGHTS,
  type FileRisk,
  type RankingAucs,
  type RiskModel,
  type RiskRanking,
} from '../analysis/index.js';
import type { Category, Finding, Grade } from '../core/index.js';
import {
  countScans,
  latestRiskModel,
  latestScan,
  type Store,
  type StoredScan,
} from '../store/index.js';

/**
 * The quality report of `POST /api/repos/quality`: every figure is computed from the newest stored
 * scan and, when one is trained, the newest stored defect-risk model. See `docs/quality-score.md`.
 */
export interface QualityReport {
  /** 0-1: the importance-weighted mean of the factors' values. */
  quality: number;
  grade: Grade;
  /** 0-1: how far the figures can be trusted (see `computeQualityReport`). */
  confidence: number;
  factors: Record<string, { value: number; importance: number }>;
  recommendations: Recommendation[];
  scanId: number;
  /**
   * Which ranking the stored defect-risk model uses and why, with the test-window AUCs it was
   * chosen on; null when no model could rank the files (see the recommendations).
   */
  defectRiskRanking: {
    version: number;
    ranking: RiskRanking;
    reason: string;
    auc: RankingAucs;
  } | null;
}

export interface Recommendation {
  factor: string;
  /** What raising this factor to 1 would add to `quality`: importance × (1 − value), 0-1. */
  gain: number;
  message: string;
}

/** What the stored defect-risk model says about the repository, or why it says nothing. */
export type DefectRiskInput =
  | { status: 'ranked'; version: number; model: RiskModel; files: readonly FileRisk[] }
  | { status: 'none'; reason: string; recommendation: string };

export interface QualityInput {
  scan: StoredScan;
  /** How many full scans of the repository are stored. */
  scans: number;
  risk: DefectRiskInput;
}

/** Findings of these categories lower each score component (`src/analysis/score.ts`). */
const COMPONENT_CATEGORIES: Record<keyof typeof SCORE_WEIGHTS, readonly Category[] | 'all'> = {
  maintainability: 'all',
  reliability: ['correctness', 'error-handling', 'parse'],
  complexity: ['complexity'],
  duplication: ['duplication'],
  typeSafety: ['type-safety'],
};

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function topRules(findings: readonly Finding[], categories: readonly Category[] | 'all'): string {
  const counts = new Map<string, number>();
  for (const f of findings)
    if (categories === 'all' || categories.includes(f.category))
      counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([rule, n]) => `${rule} (${n})`)
    .join(', ');
}

/**
 * The defect-risk factor: its value is 1 minus the line-weighted mean predicted probability of a
 * defect over the ranked files; its importance is the reliability weight scaled by how well the
 * chosen ranking ranks on held-out history (2 × (test AUC − 0.5), clamped to 0-1), so a model no better
 * than chance counts for nothing.
 */
function defectRiskFactor(risk: Extract<DefectRiskInput, { status: 'ranked' }>): {
  value: number;
  importance: number;
  riskiest: FileRisk | undefined;
} {
  let lines = 0;
  let weighted = 0;
  for (const f of risk.files) {
    lines += f.lines;
    weighted += f.risk * f.lines;
  }
  const auc = chosenAuc(risk.model.ranking) ?? 0.5;
  const discrimination = Math.min(1, Math.max(0, 2 * (auc - 0.5)));
  return {
    value: lines > 0 ? 1 - weighted / lines : 1,
    importance: SCORE_WEIGHTS.reliability * discrimination,
    riskiest: risk.files[0],
  };
}

interface Factor {
  name: string;
  value: number;
  importance: number;
  recommendation: Recommendation | undefined;
}

function gainOf(
  name: string,
  value: number,
  importance: number,
  message: string,
): Recommendation | undefined {
  const gain = importance * (1 - value);
  return gain > 0 ? { factor: name, gain: round3(gain), message } : undefined;
}

/** The score components as factors, each recommendation naming the rules that lower it. */
function componentFactors(scan: StoredScan): Factor[] {
  return (Object.entries(SCORE_WEIGHTS) as [keyof typeof SCORE_WEIGHTS, number][]).map(
    ([name, weight]) => {
      const value = (scan.scan.score.components[name] ?? 0) / 100;
      const rules = topRules(scan.findings, COMPONENT_CATEGORIES[name]);
      const message = `${name} is ${round3(value)}${rules ? `; fix findings of ${rules}` : ''}`;
      return {
        name,
        value,
        importance: weight,
        recommendation: gainOf(name, value, weight, message),
      };
    },
  );
}

/** The defect-risk factor of a gradient-boosted model, or why there is none. */
function riskFactor(risk: DefectRiskInput): Factor | Recommendation {
  if (risk.status === 'none')
    return { factor: 'defectRisk', gain: 0, message: risk.recommendation };
  if (risk.model.kind !== 'gbt')
    return {
      factor: 'defectRisk',
      gain: 0,
      message: `${RISK_MODEL_NAME} v${risk.version} is a churn x complexity heuristic (${risk.model.evaluation.reason ?? 'too little history'}); defect risk is left out until \`beast train\` has more history`,
    };
  const { value, importance, riskiest } = defectRiskFactor(risk);
  const where = riskiest ? `; review ${riskiest.file} first (${round3(riskiest.risk)})` : '';
  const message = `predicted defect risk (${RISK_MODEL_NAME} v${risk.version}, ranking by ${RANKING_NAMES[risk.model.ranking.ranking]}) is ${round3(1 - value)}${where}`;
  return {
    name: 'defectRisk',
    value,
    importance,
    recommendation: gainOf('defectRisk', value, importance, message),
  };
}

/**
 * Pure: the quality report of a stored scan.
 *
 * - Factors: the five score components (value = component / 100, importance = its weight in the
 *   score) and, with a trained gradient-boosted model, `defectRisk` (see `defectRiskFactor`).
 * - `quality` = Σ value × importance / Σ importance; without the risk factor it equals score / 100.
 * - `confidence` = (share of files analysed without a parse error) × scans / (scans + 1): a file
 *   that did not parse contributes no metrics, and one scan is a single point of a trend.
 * - Recommendations: each factor below 1, by the quality it would add at 1, naming the rules
 *   behind it; plus what to do when no defect-risk model could be used.
 */
export function computeQualityReport(input: QualityInput): QualityReport {
  const { scan } = input;
  const list = componentFactors(scan);
  const risk = riskFactor(input.risk);
  const recommendations: Recommendation[] = [];
  if ('name' in risk) list.push(risk);
  else recommendations.push(risk);

  let total = 0;
  let weights = 0;
  const factors: QualityReport['factors'] = {};
  for (const f of list) {
    factors[f.name] = { value: round3(f.value), importance: round3(f.importance) };
    total += f.value * f.importance;
    weights += f.importance;
    if (f.recommendation) recommendations.push(f.recommendation);
  }
  recommendations.sort((a, b) => b.gain - a.gain);
  const quality = weights > 0 ? total / weights : 0;
  const parsed = scan.files.filter((f) => f.parseError === undefined).length;
  const parsedShare = scan.files.length > 0 ? parsed / scan.files.length : 0;
  return {
    quality: round3(quality),
    grade: gradeOf(quality * 100),
    confidence: round3(parsedShare * (input.scans / (input.scans + 1))),
    factors,
    recommendations,
    scanId: scan.scan.id,
    defectRiskRanking:
      input.risk.status === 'ranked'
        ? { version: input.risk.version, ...input.risk.model.ranking }
        : null,
  };
}

/** Ranks the repository's files with its newest stored defect-risk model (mines git history). */
export async function loadDefectRisk(store: Store, root: string): Promise<DefectRiskInput> {
  const stored = await latestRiskModel(store, root, RISK_MODEL_NAME);
  if (!stored)
    return {
      status: 'none',
      reason: 'no model',
      recommendation: `no ${RISK_MODEL_NAME} model is trained for this repository; run \`beast train\` to add defect risk to the report`,
    };
  const model = stored.model as RiskModel;
  let live: Awaited<ReturnType<typeof rankLiveRisk>>;
  try {
    live = await rankLiveRisk(model, root);
  } catch (error) {
    if (error instanceof StaleModelError)
      return { status: 'none', reason: 'stale model', recommendation: error.message };
    if (error instanceof MissingHistoryError)
      return { status: 'none', reason: 'shallow clone', recommendation: error.message };
    throw error;
  }
  if (!live)
    return {
      status: 'none',
      reason: 'not in git',
      recommendation: `${root} is not a git repository with commits; defect risk needs its history`,
    };
  return { status: 'ranked', version: stored.version, model, files: live.files };
}

/**
 * The quality report of the newest stored scan of `root`; undefined when it has none.
 * `defectRisk` is injectable so a server can cache the (history-mining) ranking.
 */
export async function loadQualityReport(
  store: Store,
  root: string,
  defectRisk: (store: Store, root: string, scan: StoredScan) => Promise<DefectRiskInput> = (s, r) =>
    loadDefectRisk(s, r),
): Promise<QualityReport | undefined> {
  const scan = await latestScan(store, root);
  if (!scan) return undefined;
  const scans = await countScans(store, root);
  return computeQualityReport({ scan, scans, risk: await defectRisk(store, root, scan) });
}
