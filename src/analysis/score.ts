import type {
  Category,
  FileMetrics,
  Finding,
  FunctionMetrics,
  Grade,
  Score,
  Severity,
} from '../core/index.js';

/**
 * The quality score; `docs/quality-score.md` is the reference for every constant here.
 * Each component is 0-100 and depends on findings only through sums of non-negative terms, so
 * removing a finding can never lower a component, the score, or the grade.
 */
export const SCORE_WEIGHTS = {
  maintainability: 0.35,
  reliability: 0.25,
  complexity: 0.15,
  duplication: 0.1,
  typeSafety: 0.15,
} as const;

/** Minutes it takes to write one line of code, as in SonarQube's SQALE model. */
export const MINUTES_PER_LINE = 30;
export const SEVERITY_WEIGHT: Record<Severity, number> = {
  blocker: 10,
  critical: 5,
  major: 3,
  minor: 1,
  info: 0,
};
/** Density of weighted findings per 1,000 lines at which a density component is halved. */
export const HALF_DENSITY = 20;
/** Cognitive complexity a function may have before it counts as excess. */
export const COGNITIVE_ALLOWANCE = 15;
/** Excess cognitive complexity per 1,000 lines at which the complexity component is halved. */
export const HALF_EXCESS = 50;
/** Floor on the size used for densities, so a tiny file is not condemned by one finding. */
export const MIN_LINES = 100;
export const GRADE_FLOORS: readonly [Grade, number][] = [
  ['A', 80],
  ['B', 65],
  ['C', 50],
  ['D', 35],
  ['E', 0],
];

const RELIABILITY: ReadonlySet<Category> = new Set(['correctness', 'error-handling', 'parse']);

export interface ScoreInput {
  codeLines: number;
  duplicatedLines: number;
  /** Sum over functions of max(0, cognitive - allowance). */
  excessCognitive: number;
  findings: readonly Pick<Finding, 'category' | 'severity' | 'effortMinutes'>[];
}

export function gradeOf(score: number): Grade {
  for (const [grade, floor] of GRADE_FLOORS) if (score >= floor) return grade;
  return 'E';
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Pure and deterministic: the score of a file or, with summed inputs, of a repository. */
export function computeScore(input: ScoreInput): Score {
  const kloc = Math.max(input.codeLines, MIN_LINES) / 1000;
  let debt = 0;
  let reliabilityWeight = 0;
  let typeWeight = 0;
  for (const f of input.findings) {
    debt += f.effortMinutes;
    if (RELIABILITY.has(f.category)) reliabilityWeight += SEVERITY_WEIGHT[f.severity];
    if (f.category === 'type-safety') typeWeight += SEVERITY_WEIGHT[f.severity];
  }
  const debtRatio = debt / (Math.max(input.codeLines, 1) * MINUTES_PER_LINE);
  const duplicationRatio =
    input.codeLines > 0 ? Math.min(1, input.duplicatedLines / input.codeLines) : 0;
  const components = {
    maintainability: 100 * Math.max(0, 1 - 2 * debtRatio),
    reliability: 100 / (1 + reliabilityWeight / kloc / HALF_DENSITY),
    complexity: 100 / (1 + input.excessCognitive / kloc / HALF_EXCESS),
    duplication: 100 * Math.max(0, 1 - 2 * duplicationRatio),
    typeSafety: 100 / (1 + typeWeight / kloc / HALF_DENSITY),
  };
  let score = 0;
  for (const [name, weight] of Object.entries(SCORE_WEIGHTS)) {
    score += weight * components[name as keyof typeof components];
  }
  score = round1(score);
  const rounded: Record<string, number> = {};
  for (const [name, value] of Object.entries(components)) rounded[name] = round1(value);
  rounded.debtRatio = Math.round(debtRatio * 10000) / 100;
  return { score, grade: gradeOf(score), components: rounded };
}

export function excessCognitive(functions: readonly Pick<FunctionMetrics, 'cognitive'>[]): number {
  let excess = 0;
  for (const fn of functions) excess += Math.max(0, fn.cognitive - COGNITIVE_ALLOWANCE);
  return excess;
}

/** Score of one file from its metrics, functions and findings. */
export function scoreFile(
  metrics: Pick<FileMetrics, 'codeLines' | 'duplicatedLines'>,
  functions: readonly Pick<FunctionMetrics, 'cognitive'>[],
  findings: ScoreInput['findings'],
): Score {
  return computeScore({
    codeLines: metrics.codeLines,
    duplicatedLines: metrics.duplicatedLines,
    excessCognitive: excessCognitive(functions),
    findings,
  });
}

/** Score of a repository: the same formula over the summed inputs of its files. */
export function scoreRepository(
  files: readonly {
    metrics: Pick<FileMetrics, 'codeLines' | 'duplicatedLines'>;
    functions: readonly Pick<FunctionMetrics, 'cognitive'>[];
  }[],
  findings: ScoreInput['findings'],
): Score {
  let codeLines = 0;
  let duplicated = 0;
  let excess = 0;
  for (const f of files) {
    codeLines += f.metrics.codeLines;
    duplicated += f.metrics.duplicatedLines;
    excess += excessCognitive(f.functions);
  }
  return computeScore({
    codeLines,
    duplicatedLines: duplicated,
    excessCognitive: excess,
    findings,
  });
}
