import type { AucDifference, RiskMetrics } from './metrics.js';
import type { RiskEvaluation } from './evaluate.js';
import { formatFigure } from './figure.js';
import { RANKING_NAMES, type RankingChoice } from './ranking.js';
import type { Hyperparameters, ModelSelection, SplitPart } from './select.js';

const day = (t: number | undefined) =>
  t === undefined ? '?' : new Date(t * 1000).toISOString().slice(0, 10);

export { formatFigure };

function metricRow(label: string, m: RiskMetrics | undefined): string {
  const cells = m
    ? [m.auc, m.prAuc, m.brier, m.recallAt20].map(formatFigure)
    : ['-', '-', '-', '-'];
  return `  ${label.padEnd(32)} ${cells.map((c) => c.padStart(7)).join(' ')}`;
}

const describe = (h: Hyperparameters) =>
  `${h.rounds} rounds, depth ${h.maxDepth}, learning rate ${h.learningRate}, ${h.prior ? 'from the churn x complexity prior' : 'from the base rate'}`;

const part = (p: SplitPart) =>
  `${day(p.from)} .. ${day(p.to)}, ${p.rows} rows, ${p.positives} defective`;

const signed = (v: number) => `${v >= 0 ? '+' : ''}${formatFigure(v)}`;

/** Pure: the model's AUC margin over a baseline with its bootstrap interval, in one phrase. */
export function formatMargin(baseline: string, d: AucDifference): string {
  return `${signed(d.difference)} against ${baseline} (95% bootstrap interval over files ${signed(d.low)} .. ${signed(d.high)}; higher in ${Math.round(d.above * 100)}% of ${d.resamples} resamples)`;
}

/**
 * Pure: the trained model's configuration and its validation AUC in one table cell,
 * `rounds / depth / learning rate / prior (AUC)`; `-` when no model was trained.
 */
export function formatChosen(e: Pick<RiskEvaluation, 'selection' | 'sufficient'>): string {
  const s = e.selection;
  if (!s || !e.sufficient) return '-';
  const h = s.hyperparameters;
  const config = `${h.rounds} / ${h.maxDepth} / ${h.learningRate} / ${h.prior ? 'prior' : 'no prior'}`;
  return s.method === 'validation'
    ? `${config} (${formatFigure(s.validationAuc)})`
    : `${config} (defaults)`;
}

/** Pure: how the model's hyperparameters were chosen, in one line. */
export function formatSelection(s: ModelSelection): string {
  if (s.method === 'defaults')
    return `hyperparameters: the defaults (${describe(s.hyperparameters)}), not validated: ${s.reason ?? ''}`;
  return `hyperparameters: ${describe(s.hyperparameters)}, chosen of ${s.candidates.length} on the training snapshots alone by the one-standard-error rule (validation AUC ${formatFigure(s.validationAuc)} on ${part(s.validation)}; fitted on ${part(s.fit)}), then refitted on all training rows`;
}

/** Pure: the human-readable report of one evaluation, as `beast train` prints it. */
export function formatEvaluation(e: RiskEvaluation): string[] {
  const lines = [
    `${e.name}: ${e.commits} commits, ${e.fixCommits} bug-fix commits; labels: ${e.labelling === 'szz' ? 'SZZ (blame of lines the fixes changed)' : 'files touched by a bug-fix commit in the window'}`,
    `  train snapshots ${day(e.trainFrom)} .. ${day(e.trainTo)} (${e.train.rows} rows, ${e.train.positives} defective); test ${day(e.testFrom)} .. ${day(e.testTo)} (${e.test.rows} rows, ${e.test.positives} defective); window ${e.horizonDays} days`,
    e.features.includes('cognitive')
      ? "  features: history and the scanner's code metrics at each snapshot commit; churn x complexity uses cognitive complexity"
      : '  features: history only (no source code, e.g. a metadata-only history); churn x complexity uses line counts',
    `  ${'method'.padEnd(32)} ${['AUC', 'PR-AUC', 'Brier', 'rec@20%'].map((c) => c.padStart(7)).join(' ')}`,
    metricRow('gradient-boosted trees', e.model),
    metricRow('churn x complexity', e.churnComplexity),
    metricRow('logistic on lines added', e.logisticAdded),
  ];
  if (e.selection && e.sufficient) lines.push(`  ${formatSelection(e.selection)}`);
  lines.push(`  ${formatRanking(e.ranking)}`);
  if (e.margins)
    lines.push(
      `  AUC difference: ${formatMargin('churn x complexity', e.margins.churnComplexity)}`,
      `  AUC difference: ${formatMargin('logistic on lines added', e.margins.logisticAdded)}`,
    );
  return lines;
}

/** Pure: which ranking is used and why, in one line, as `train`, `risk`, `status` and `improve` say it. */
export function formatRanking(choice: RankingChoice): string {
  return `ranking by ${RANKING_NAMES[choice.ranking]}: ${choice.reason}`;
}
