/*
 * Gradient-boosted decision trees for a binary label (logistic loss, second-order leaf values,
 * histogram splits), small enough to read in one sitting. Trees are plain data, so a trained model
 * is stored as JSON and explains each prediction exactly (see `contributions`).
 */
import { fitLogistic, sigmoid } from './logistic.js';

/** A node of a tree; a leaf has `feature` -1. `value` is the node's log-odds step (leaves and inner). */
export interface TreeNode {
  feature: number;
  threshold: number;
  left: number;
  right: number;
  value: number;
}

/**
 * A one-feature logistic prior the trees start from: its log-odds are
 * `bias + slope * (log(1 + max(x[feature], 0)) - center)`, so boosting learns corrections to a
 * known ranking. `center` is the training rows' mean of the log term (folded into `bias`), so the
 * prior's attribution to a file is measured from a typical file, not from zero churn.
 */
export interface GbtPrior {
  feature: number;
  slope: number;
  center: number;
}

export interface GbtModel {
  /** Log-odds of the base rate, or the prior's intercept. */
  bias: number;
  /** Absent: the trees start from the base rate. */
  prior?: GbtPrior;
  /** Each tree's nodes; node 0 is the root. An input goes left when `x[feature] <= threshold`. */
  trees: TreeNode[][];
  featureCount: number;
}

export interface GbtOptions {
  rounds?: number;
  learningRate?: number;
  maxDepth?: number;
  /** Fewest training rows in a leaf. */
  minLeaf?: number;
  /** L2 penalty on leaf values. */
  lambda?: number;
  /** Share of rows each tree sees. */
  subsample?: number;
  /** Histogram bins per feature. */
  bins?: number;
  seed?: number;
  /**
   * A feature to fit a logistic prior on (see `GbtPrior`), -1 for none: the trees then learn
   * corrections to that feature's ranking.
   */
  priorFeature?: number;
}

/** The options a model is trained with unless told otherwise (the fallback of model selection). */
export const GBT_DEFAULTS: Readonly<Required<GbtOptions>> = {
  rounds: 100,
  learningRate: 0.05,
  maxDepth: 2,
  minLeaf: 20,
  lambda: 1,
  subsample: 0.8,
  bins: 32,
  seed: 1,
  priorFeature: -1,
};

/** A small seeded generator (mulberry32), so training is reproducible. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle in place with a seeded generator. */
export function shuffleInPlace(values: number[], random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j] ?? 0, values[i] ?? 0];
  }
}

/** Candidate split thresholds of one feature: up to `bins - 1` distinct quantiles. */
function quantileThresholds(values: number[], bins: number): number[] {
  const sorted = Float64Array.from(values).sort();
  const out: number[] = [];
  for (let b = 1; b < bins; b++) {
    const v = sorted[Math.floor((b * sorted.length) / bins)];
    if (v !== undefined && v !== out[out.length - 1] && v < (sorted[sorted.length - 1] ?? v))
      out.push(v);
  }
  return out;
}

/** The bin of a value: how many thresholds lie below it. */
function binOf(thresholds: readonly number[], value: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((thresholds[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Binned {
  thresholds: number[][];
  /** Column-major bin indices. */
  columns: Uint8Array[];
}

function binFeatures(x: readonly (readonly number[])[], bins: number): Binned {
  const d = x[0]?.length ?? 0;
  const thresholds: number[][] = [];
  const columns: Uint8Array[] = [];
  for (let j = 0; j < d; j++) {
    const values = x.map((row) => row[j] ?? 0);
    const t = quantileThresholds(values, Math.min(bins, 255));
    thresholds.push(t);
    columns.push(Uint8Array.from(values, (v) => binOf(t, v)));
  }
  return { thresholds, columns };
}

interface Split {
  feature: number;
  bin: number;
  gain: number;
}

interface Grow {
  binned: Binned;
  grad: Float64Array;
  hess: Float64Array;
  options: Required<GbtOptions>;
  nodes: TreeNode[];
}

function sums(rows: readonly number[], grow: Grow): { g: number; h: number } {
  let g = 0;
  let h = 0;
  for (const r of rows) {
    g += grow.grad[r] ?? 0;
    h += grow.hess[r] ?? 0;
  }
  return { g, h };
}

function score(g: number, h: number, lambda: number): number {
  return (g * g) / (h + lambda);
}

function bestSplitOf(
  feature: number,
  rows: readonly number[],
  total: { g: number; h: number },
  grow: Grow,
): Split | undefined {
  const column = grow.binned.columns[feature];
  const nBins = (grow.binned.thresholds[feature]?.length ?? 0) + 1;
  if (!column || nBins < 2) return undefined;
  const g = new Float64Array(nBins);
  const h = new Float64Array(nBins);
  const n = new Uint32Array(nBins);
  for (const r of rows) {
    const b = column[r] ?? 0;
    g[b] = (g[b] ?? 0) + (grow.grad[r] ?? 0);
    h[b] = (h[b] ?? 0) + (grow.hess[r] ?? 0);
    n[b] = (n[b] ?? 0) + 1;
  }
  const { lambda, minLeaf } = grow.options;
  const parent = score(total.g, total.h, lambda);
  let best: Split | undefined;
  let gl = 0;
  let hl = 0;
  let nl = 0;
  for (let b = 0; b < nBins - 1; b++) {
    gl += g[b] ?? 0;
    hl += h[b] ?? 0;
    nl += n[b] ?? 0;
    if (nl < minLeaf || rows.length - nl < minLeaf) continue;
    const gain = score(gl, hl, lambda) + score(total.g - gl, total.h - hl, lambda) - parent;
    if (gain > (best?.gain ?? 1e-12)) best = { feature, bin: b, gain };
  }
  return best;
}

function bestSplit(
  rows: readonly number[],
  total: { g: number; h: number },
  grow: Grow,
): Split | undefined {
  let best: Split | undefined;
  for (let j = 0; j < grow.binned.columns.length; j++) {
    const split = bestSplitOf(j, rows, total, grow);
    if (split && split.gain > (best?.gain ?? 0)) best = split;
  }
  return best;
}

/** Adds the node for `rows` (and its subtree) and returns its index. */
function growNode(rows: number[], depth: number, grow: Grow): number {
  const total = sums(rows, grow);
  const { g, h } = total;
  const { learningRate, lambda, maxDepth } = grow.options;
  const index = grow.nodes.length;
  const node: TreeNode = { feature: -1, threshold: 0, left: -1, right: -1, value: 0 };
  node.value = (-g / (h + lambda)) * learningRate;
  grow.nodes.push(node);
  const split = depth < maxDepth ? bestSplit(rows, total, grow) : undefined;
  if (!split) return index;
  const column = grow.binned.columns[split.feature] ?? new Uint8Array();
  const left = rows.filter((r) => (column[r] ?? 0) <= split.bin);
  const right = rows.filter((r) => (column[r] ?? 0) > split.bin);
  node.feature = split.feature;
  node.threshold = grow.binned.thresholds[split.feature]?.[split.bin] ?? 0;
  node.left = growNode(left, depth + 1, grow);
  node.right = growNode(right, depth + 1, grow);
  return index;
}

function leafOf(tree: readonly TreeNode[], x: readonly number[]): TreeNode | undefined {
  let node = tree[0];
  while (node && node.feature >= 0) {
    node = tree[(x[node.feature] ?? 0) <= node.threshold ? node.left : node.right];
  }
  return node;
}

const priorInput = (x: readonly number[], feature: number) =>
  Math.log1p(Math.max(x[feature] ?? 0, 0));

/** The prior's share of the log-odds beyond the bias (0 without a prior). */
function priorTerm(prior: GbtPrior | undefined, x: readonly number[]): number {
  return prior ? prior.slope * (priorInput(x, prior.feature) - prior.center) : 0;
}

/** The model's log-odds for one input. */
export function predictMargin(model: GbtModel, x: readonly number[]): number {
  let z = model.bias + priorTerm(model.prior, x);
  for (const tree of model.trees) z += leafOf(tree, x)?.value ?? 0;
  return z;
}

export function predictProbability(model: GbtModel, x: readonly number[]): number {
  return sigmoid(predictMargin(model, x));
}

/**
 * Per-feature contributions to one prediction's log-odds (Saabas path attribution): each split on
 * the input's path credits its feature with the change in node value, and the prior's feature is
 * credited with the prior's term. The bias, the roots' values and the contributions add up to
 * `predictMargin`.
 */
export function contributions(model: GbtModel, x: readonly number[]): number[] {
  const out = new Array<number>(model.featureCount).fill(0);
  if (model.prior) out[model.prior.feature] = priorTerm(model.prior, x);
  for (const tree of model.trees) {
    let node = tree[0];
    while (node && node.feature >= 0) {
      const child = tree[(x[node.feature] ?? 0) <= node.threshold ? node.left : node.right];
      out[node.feature] = (out[node.feature] ?? 0) + (child?.value ?? 0) - node.value;
      node = child;
    }
  }
  return out;
}

/** The untrained model: the base rate's log-odds, or a logistic prior fitted on one feature. */
function startModel(
  x: readonly (readonly number[])[],
  y: readonly number[],
  priorFeature: number,
  featureCount: number,
): GbtModel {
  if (priorFeature >= 0 && priorFeature < featureCount) {
    const inputs = x.map((row) => priorInput(row, priorFeature));
    const fit = fitLogistic(
      inputs.map((v) => [v]),
      y,
    );
    const slope = fit.weights[0] ?? 0;
    const center = inputs.reduce((a, b) => a + b, 0) / Math.max(inputs.length, 1);
    return {
      bias: fit.intercept + slope * center,
      prior: { feature: priorFeature, slope, center },
      trees: [],
      featureCount,
    };
  }
  const n = y.length;
  const rate = Math.min(Math.max(y.reduce((a, b) => a + b, 0) / Math.max(n, 1), 1e-6), 1 - 1e-6);
  return { bias: Math.log(rate / (1 - rate)), trees: [], featureCount };
}

/**
 * Each feature's share of the model's mean absolute attribution (`contributions`) over `x`: how
 * much, on average, the feature moves a prediction's log-odds, the prior's feature included.
 */
export function attributionImportance(
  model: GbtModel,
  x: readonly (readonly number[])[],
): number[] {
  const sums = new Array<number>(model.featureCount).fill(0);
  for (const row of x)
    contributions(model, row).forEach((c, j) => {
      sums[j] = (sums[j] ?? 0) + Math.abs(c);
    });
  const total = sums.reduce((a, b) => a + b, 0) || 1;
  return sums.map((v) => v / total);
}

/** Trains a model (see `attributionImportance` for what each feature counts in it). */
export function trainGbt(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: GbtOptions = {},
): GbtModel {
  const opts = { ...GBT_DEFAULTS, ...options };
  const n = y.length;
  const d = x[0]?.length ?? 0;
  const model = startModel(x, y, opts.priorFeature, d);
  const binned = binFeatures(x, opts.bins);
  const margin = Float64Array.from(x, (row) => model.bias + priorTerm(model.prior, row));
  const random = createRandom(opts.seed);
  for (let round = 0; round < opts.rounds; round++) {
    const grad = new Float64Array(n);
    const hess = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(margin[i] ?? 0);
      grad[i] = p - (y[i] ?? 0);
      hess[i] = Math.max(p * (1 - p), 1e-6);
    }
    const rows = [...Array(n).keys()].filter(() => random() < opts.subsample);
    const grow: Grow = { binned, grad, hess, options: opts, nodes: [] };
    growNode(rows, 0, grow);
    model.trees.push(grow.nodes);
    for (let i = 0; i < n; i++)
      margin[i] = (margin[i] ?? 0) + (leafOf(grow.nodes, x[i] ?? [])?.value ?? 0);
  }
  return model;
}
