/*
 * Model selection on the training data only. The boosting's hyperparameters are chosen on a
 * time-ordered validation split inside the training snapshots, the same way the evaluation splits
 * training from test, so the test snapshots are measured once, by a configuration they did not help
 * choose.
 */
import type { Rows, SplitPlan } from '../history/index.js';
import { GBT_DEFAULTS, predictMargin, trainGbt, type GbtOptions } from './gbt.js';
import { aucStandardError, rocAuc } from './metrics.js';

/** The hyperparameters the selection chooses; the others keep their `GbtOptions` values. */
export interface Hyperparameters {
  rounds: number;
  learningRate: number;
  maxDepth: number;
  /** Whether the trees start from the churn x complexity prior (see `GbtPrior`). */
  prior: boolean;
}

export interface HyperGrid {
  rounds: readonly number[];
  learningRate: readonly number[];
  maxDepth: readonly number[];
  prior: readonly boolean[];
}

/** Twenty-four candidates: rounds x depth x learning rate x prior. */
export const DEFAULT_GRID: HyperGrid = {
  rounds: [50, 100, 200],
  learningRate: [0.05, 0.1],
  maxDepth: [2, 3],
  prior: [false, true],
};

/** Pure: the boosting options of a configuration; `priorFeature` is the prior's feature. */
export function hyperOptions(h: Hyperparameters, priorFeature: number): GbtOptions {
  return {
    rounds: h.rounds,
    learningRate: h.learningRate,
    maxDepth: h.maxDepth,
    priorFeature: h.prior ? priorFeature : -1,
  };
}

/**
 * Where the candidates are fitted and validated. Invariant: every fit snapshot's label window
 * closes at or before the first validation snapshot (`fit + horizon <= cutoff`), fit labels count
 * only defects known before `cutoff`, and the validation snapshots are the last training snapshots,
 * so (by `planSplit`) their label windows close at or before the first test snapshot.
 */
export interface ValidationPlan {
  fitTimes: number[];
  /** Oldest first. */
  validationTimes: number[];
  /** The first validation time. */
  cutoff: number;
}

/** Some snapshots of a split: the first and last (unix seconds), their rows and defective rows. */
export interface SplitPart {
  from: number | undefined;
  to: number | undefined;
  rows: number;
  positives: number;
}

/** How the model's hyperparameters were chosen, stored with the evaluation. */
export interface ModelSelection {
  /**
   * `validation`: chosen on the validation snapshots by the one-standard-error rule; `defaults`:
   * too little to hold out (the evaluation then trains no model unless told to).
   */
  method: 'validation' | 'defaults';
  hyperparameters: Hyperparameters;
  /** The chosen configuration's AUC on the validation snapshots; undefined with the defaults. */
  validationAuc: number | undefined;
  /** Why the defaults were used. */
  reason: string | undefined;
  /** The snapshots the candidates were fitted on, and those that validated them. */
  fit: SplitPart;
  validation: SplitPart;
  /** Every candidate with its validation AUC, in grid order. */
  candidates: (Hyperparameters & { auc: number })[];
}

/**
 * Pure: the last `snapshots` training snapshots validate; the training snapshots whose label
 * windows close by the first of them fit. Undefined when no snapshot is left to fit on.
 */
export function planValidation(plan: SplitPlan, snapshots: number): ValidationPlan | undefined {
  if (snapshots < 1) return undefined;
  const validationTimes = plan.trainTimes.slice(-snapshots);
  const cutoff = validationTimes[0];
  if (cutoff === undefined) return undefined;
  const fitTimes = plan.trainTimes.filter((t) => t + plan.horizon <= cutoff);
  return fitTimes.length === 0 ? undefined : { fitTimes, validationTimes, cutoff };
}

function pick(rows: Rows, keep: (i: number) => boolean, labelOf: (i: number) => number): Rows {
  const out: Rows = { files: [], times: [], features: [], labels: [], lines: [] };
  rows.files.forEach((file, i) => {
    if (!keep(i)) return;
    out.files.push(file);
    out.times.push(rows.times[i] ?? 0);
    out.features.push(rows.features[i] ?? []);
    out.labels.push(labelOf(i));
    out.lines.push(rows.lines[i] ?? 0);
  });
  return out;
}

/**
 * Pure: the fit and validation rows out of the training rows. Fit rows are relabelled with
 * `relabel(file, time)`, which must count only the defects known before `plan.cutoff`; validation
 * rows keep their training labels.
 */
export function splitValidationRows(
  train: Rows,
  plan: ValidationPlan,
  relabel: (file: string, time: number) => number,
): { fit: Rows; validation: Rows } {
  const fitTimes = new Set(plan.fitTimes);
  const validationTimes = new Set(plan.validationTimes);
  return {
    fit: pick(
      train,
      (i) => fitTimes.has(train.times[i] ?? NaN),
      (i) => relabel(train.files[i] ?? '', train.times[i] ?? 0),
    ),
    validation: pick(
      train,
      (i) => validationTimes.has(train.times[i] ?? NaN),
      (i) => train.labels[i] ?? 0,
    ),
  };
}

/**
 * Pure: fits every candidate of the grid on `fit`, measures each on `validation`, and returns the
 * one `oneStandardError` picks with every candidate's AUC. Boosting is
 * sequential and draws its subsamples round by round, so a model of n rounds is exactly the first n
 * trees of a longer one: one fit per depth and learning rate serves every round count.
 */
export function searchGrid(
  fit: Pick<Rows, 'features' | 'labels'>,
  validation: Pick<Rows, 'features' | 'labels'>,
  grid: HyperGrid = DEFAULT_GRID,
  base: GbtOptions = {},
  priorFeature = -1,
): { best: Hyperparameters & { auc: number }; candidates: (Hyperparameters & { auc: number })[] } {
  const rounds = [...grid.rounds].sort((a, b) => a - b);
  const most = rounds[rounds.length - 1] ?? 0;
  const candidates: (Hyperparameters & { auc: number })[] = [];
  const priors = priorFeature >= 0 ? [...grid.prior].sort() : [false];
  for (const prior of priors)
    for (const maxDepth of [...grid.maxDepth].sort((a, b) => a - b))
      for (const learningRate of [...grid.learningRate].sort((a, b) => a - b)) {
        const config = { rounds: most, learningRate, maxDepth, prior };
        const model = trainGbt(fit.features, fit.labels, {
          ...base,
          ...hyperOptions(config, priorFeature),
        });
        for (const n of rounds) {
          const prefix = { ...model, trees: model.trees.slice(0, n) };
          const scores = validation.features.map((x) => predictMargin(prefix, x));
          candidates.push({ ...config, rounds: n, auc: rocAuc(scores, validation.labels) });
        }
      }
  const best = oneStandardError(candidates, validation.labels);
  if (best === undefined) throw new RangeError('searchGrid: the grid is empty');
  return { best, candidates };
}

/** How far a configuration moves from its starting point: prior first, then less boosting. */
function complexity(h: Hyperparameters): [number, number, number] {
  return [h.prior ? 0 : 1, h.rounds * h.learningRate, h.maxDepth];
}

function simpler(a: Hyperparameters, b: Hyperparameters): number {
  const ca = complexity(a);
  const cb = complexity(b);
  return ca[0] - cb[0] || ca[1] - cb[1] || ca[2] - cb[2];
}

/**
 * Pure: the one-standard-error rule (Breiman et al., 1984): the simplest candidate whose validation
 * AUC is within one standard error of the best one's. With a few dozen defective rows to validate
 * on, the best of many candidates is partly the luckiest; the rule picks against that luck.
 */
export function oneStandardError<T extends Hyperparameters & { auc: number }>(
  candidates: readonly T[],
  labels: readonly number[],
): T | undefined {
  let best: T | undefined;
  for (const c of candidates) if (best === undefined || c.auc > best.auc) best = c;
  if (best === undefined) return undefined;
  const positives = labels.reduce((a, b) => a + b, 0);
  const se = aucStandardError(best.auc, positives, labels.length - positives);
  const floor = Number.isNaN(se) ? best.auc : best.auc - se;
  return [...candidates].sort(simpler).find((c) => c.auc >= floor) ?? best;
}

const part = (times: readonly number[] | undefined, rows: Rows | undefined): SplitPart => ({
  from: times?.[0],
  to: times?.[times.length - 1],
  rows: rows?.labels.length ?? 0,
  positives: rows?.labels.reduce((a, b) => a + b, 0) ?? 0,
});

export interface SelectOptions {
  grid?: HyperGrid;
  base?: GbtOptions;
  /** Validation snapshots (the last training snapshots). */
  snapshots: number;
  /** Fewest defective rows to fit on and to validate on; fewer and the defaults are used. */
  minFitPositives: number;
  minValidationPositives: number;
  /** Applied to the fit labels after relabelling (the shuffled-labels check). */
  shuffleFit?: (labels: number[]) => void;
  /** The feature of the churn x complexity prior; -1 (default) and no candidate uses a prior. */
  priorFeature?: number;
  /** Whether the defaults start from the prior (when there is one). */
  defaultPrior?: boolean;
}

/**
 * Pure: chooses the hyperparameters on a validation split of the training rows (see
 * `ValidationPlan`), or keeps the defaults, and says why, when the training snapshots cannot hold
 * out a validation window with defective files and still leave enough to fit on.
 */
export function selectModel(
  train: Rows,
  plan: SplitPlan,
  relabel: (cutoff: number) => (file: string, time: number) => number,
  options: SelectOptions,
): ModelSelection {
  const defaults: Hyperparameters = {
    rounds: options.base?.rounds ?? GBT_DEFAULTS.rounds,
    learningRate: options.base?.learningRate ?? GBT_DEFAULTS.learningRate,
    maxDepth: options.base?.maxDepth ?? GBT_DEFAULTS.maxDepth,
    prior: (options.priorFeature ?? -1) >= 0 && (options.defaultPrior ?? true),
  };
  const validationPlan = planValidation(plan, options.snapshots);
  const rows = validationPlan
    ? splitValidationRows(train, validationPlan, relabel(validationPlan.cutoff))
    : undefined;
  if (rows) options.shuffleFit?.(rows.fit.labels);
  const selection: ModelSelection = {
    method: 'defaults',
    hyperparameters: defaults,
    validationAuc: undefined,
    reason: undefined,
    fit: part(validationPlan?.fitTimes, rows?.fit),
    validation: part(validationPlan?.validationTimes, rows?.validation),
    candidates: [],
  };
  if (!rows)
    selection.reason = `${plan.trainTimes.length} training snapshots: too few to hold out ${options.snapshots} for validation and fit on the earlier ones`;
  else if (selection.fit.positives < options.minFitPositives)
    selection.reason = `only ${selection.fit.positives} defective files in the snapshots before the validation window (need ${options.minFitPositives})`;
  else if (selection.validation.positives < options.minValidationPositives)
    selection.reason = `only ${selection.validation.positives} defective files in the validation window (need ${options.minValidationPositives})`;
  if (!rows || selection.reason !== undefined) return selection;
  const { best, candidates } = searchGrid(
    rows.fit,
    rows.validation,
    options.grid,
    options.base,
    options.priorFeature,
  );
  const { auc, ...hyperparameters } = best;
  return { ...selection, method: 'validation', hyperparameters, validationAuc: auc, candidates };
}
