/*
 * Evaluation metrics for a binary defect label. Scores rank files (higher = riskier); ties are
 * handled as a group, so a constant score measures exactly as chance.
 */

import { createRandom } from './gbt.js';

function positivesOf(labels: readonly number[]): number {
  return labels.reduce((n, y) => n + (y === 1 ? 1 : 0), 0);
}

/** Indices grouped by equal score, highest score first. */
export function tiedGroups(scores: readonly number[]): number[][] {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  const groups: number[][] = [];
  for (const i of order) {
    const last = groups[groups.length - 1];
    if (last && scores[last[0] ?? -1] === scores[i]) last.push(i);
    else groups.push([i]);
  }
  return groups;
}

/**
 * The standard error of an AUC measured on `positives` and `negatives` rows (Hanley and McNeil,
 * 1982). NaN when either class is missing.
 */
export function aucStandardError(auc: number, positives: number, negatives: number): number {
  if (positives === 0 || negatives === 0) return NaN;
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance =
    (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) /
    (positives * negatives);
  return Math.sqrt(Math.max(variance, 0));
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative,
 * ties counting half. NaN when either class is missing.
 */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const positives = positivesOf(labels);
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  let negativesBelow = negatives;
  let sum = 0;
  for (const group of tiedGroups(scores)) {
    const p = positivesOf(group.map((i) => labels[i] ?? 0));
    const n = group.length - p;
    negativesBelow -= n;
    sum += p * (negativesBelow + n / 2);
  }
  return sum / (positives * negatives);
}

/**
 * Area under the precision-recall curve as average precision: the precision at each threshold,
 * weighted by the recall it adds (scikit-learn's definition). NaN without positives.
 */
export function prAuc(scores: readonly number[], labels: readonly number[]): number {
  const positives = positivesOf(labels);
  if (positives === 0) return NaN;
  let seen = 0;
  let hits = 0;
  let sum = 0;
  for (const group of tiedGroups(scores)) {
    const p = positivesOf(group.map((i) => labels[i] ?? 0));
    seen += group.length;
    hits += p;
    sum += (p / positives) * (hits / seen);
  }
  return sum;
}

/** Mean squared difference between predicted probabilities and labels. */
export function brierScore(probabilities: readonly number[], labels: readonly number[]): number {
  if (labels.length === 0) return NaN;
  let sum = 0;
  labels.forEach((y, i) => {
    sum += ((probabilities[i] ?? 0) - y) ** 2;
  });
  return sum / labels.length;
}

/**
 * The share of defective files found when inspecting files in order of score until `effort` (a
 * fraction) of all lines is spent; a file that would exceed the budget is not inspected. Ties in
 * score are inspected smaller file first. NaN without positives.
 */
export function recallAtEffort(
  scores: readonly number[],
  labels: readonly number[],
  lines: readonly number[],
  effort = 0.2,
): number {
  const positives = positivesOf(labels);
  if (positives === 0) return NaN;
  const budget = effort * lines.reduce((a, b) => a + b, 0);
  const order = scores
    .map((_, i) => i)
    .sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || (lines[a] ?? 0) - (lines[b] ?? 0));
  let spent = 0;
  let found = 0;
  for (const i of order) {
    spent += lines[i] ?? 0;
    if (spent > budget) break;
    found += labels[i] === 1 ? 1 : 0;
  }
  return found / positives;
}

/** How much one ranking's AUC exceeds another's on the same rows, with a bootstrap interval. */
export interface AucDifference {
  /** AUC of the first minus AUC of the second, on all rows. */
  difference: number;
  /** The 2.5th and 97.5th percentiles of the difference over the resamples. */
  low: number;
  high: number;
  /** Share of resamples in which the first ranking's AUC is the higher. */
  above: number;
  resamples: number;
}

/**
 * The AUC of rows counted `weights[i]` times each (a bootstrap resample), from the rows' groups of
 * equal score, highest first: one pass, no sorting per resample.
 */
export function weightedAuc(
  groups: readonly (readonly number[])[],
  labels: readonly number[],
  weights: Float64Array,
): number {
  let positives = 0;
  let negatives = 0;
  labels.forEach((y, i) => {
    if (y === 1) positives += weights[i] ?? 0;
    else negatives += weights[i] ?? 0;
  });
  if (positives === 0 || negatives === 0) return NaN;
  let negativesBelow = negatives;
  let sum = 0;
  for (const group of groups) {
    let p = 0;
    let n = 0;
    for (const i of group) {
      if (labels[i] === 1) p += weights[i] ?? 0;
      else n += weights[i] ?? 0;
    }
    negativesBelow -= n;
    sum += p * (negativesBelow + n / 2);
  }
  return sum / (positives * negatives);
}

/**
 * Pure: the AUC difference of two rankings of the same rows with a paired cluster bootstrap: each
 * resample draws whole groups (a file's rows at every snapshot) with replacement, so rows of one
 * file are not counted as independent evidence. Seeded, so it is reproducible.
 */
export function bootstrapAucDifference(
  first: readonly number[],
  second: readonly number[],
  labels: readonly number[],
  groups: readonly string[],
  options: { resamples?: number; seed?: number } = {},
): AucDifference {
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = members.get(g);
    if (list) list.push(i);
    else members.set(g, [i]);
  });
  const clusters = [...members.values()];
  const random = createRandom(options.seed ?? 1);
  const orderA = tiedGroups(first);
  const orderB = tiedGroups(second);
  const weights = new Float64Array(labels.length);
  const differences: number[] = [];
  for (let r = 0; r < (options.resamples ?? 1000); r++) {
    weights.fill(0);
    for (let k = 0; k < clusters.length; k++)
      for (const i of clusters[Math.floor(random() * clusters.length)] ?? [])
        weights[i] = (weights[i] ?? 0) + 1;
    const d = weightedAuc(orderA, labels, weights) - weightedAuc(orderB, labels, weights);
    if (!Number.isNaN(d)) differences.push(d);
  }
  differences.sort((a, b) => a - b);
  // As many resamples below the interval as above it.
  const cut = Math.floor(0.025 * differences.length);
  return {
    difference: rocAuc(first, labels) - rocAuc(second, labels),
    low: differences[cut] ?? NaN,
    high: differences[differences.length - 1 - cut] ?? NaN,
    above: differences.filter((d) => d > 0).length / Math.max(differences.length, 1),
    resamples: differences.length,
  };
}

/** The four figures reported for a ranking. */
export interface RiskMetrics {
  auc: number;
  prAuc: number;
  /** Undefined for a ranking that gives no probabilities. */
  brier: number | undefined;
  recallAt20: number;
}

/** All four metrics of one method on one test set. */
export function measure(
  scores: readonly number[],
  probabilities: readonly number[] | undefined,
  test: { labels: readonly number[]; lines: readonly number[] },
): RiskMetrics {
  return {
    auc: rocAuc(scores, test.labels),
    prAuc: prAuc(scores, test.labels),
    brier: probabilities ? brierScore(probabilities, test.labels) : undefined,
    recallAt20: recallAtEffort(scores, test.labels, test.lines, 0.2),
  };
}
