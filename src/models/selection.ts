import { isFindingTask, type Model, type Task, type TaskKind } from './types.js';

/** A seeded generator (mulberry32), for reproducible selection in tests and benchmarks. */
export { createRandom as seededRandom } from '../analysis/index.js';

/** Proposals a model made and how many of them were accepted (passed the gate, delivered). */
export interface Outcomes {
  proposed: number;
  accepted: number;
}

/** What is known of one model: outcomes per task kind and rule, and its mean cost and latency. */
export interface ModelRecord {
  /** Keyed by `outcomeKey(kind, ruleId)`. */
  byRule: Map<string, Outcomes>;
  meanCostUsd: number | undefined;
  meanLatencyMs: number | undefined;
}

/** The key of outcomes on one rule in one task kind: a fix and a refactor of a rule are learnt apart. */
export function outcomeKey(kind: TaskKind, ruleId: string): string {
  return `${kind}\u0000${ruleId}`;
}

/** Recorded outcomes of every model, updated as a run goes. */
export class SelectionStats {
  private readonly records = new Map<string, ModelRecord>();

  record(model: string): ModelRecord {
    let record = this.records.get(model);
    if (!record) {
      record = { byRule: new Map(), meanCostUsd: undefined, meanLatencyMs: undefined };
      this.records.set(model, record);
    }
    return record;
  }

  /** Adds outcomes of `model` on `ruleId` in tasks of `kind`. */
  add(
    model: string,
    at: { kind: TaskKind; ruleId: string },
    proposed: number,
    accepted: number,
  ): void {
    const byRule = this.record(model).byRule;
    const key = outcomeKey(at.kind, at.ruleId);
    const outcomes = byRule.get(key) ?? { proposed: 0, accepted: 0 };
    outcomes.proposed += proposed;
    outcomes.accepted += accepted;
    byRule.set(key, outcomes);
  }

  /** Outcomes on `ruleId` in tasks of `kind`, and on every other rule or kind. */
  outcomes(
    model: string,
    at: { kind: TaskKind; ruleId: string },
  ): { rule: Outcomes; others: Outcomes } {
    const key = outcomeKey(at.kind, at.ruleId);
    const rule = { proposed: 0, accepted: 0 };
    const others = { proposed: 0, accepted: 0 };
    for (const [id, o] of this.records.get(model)?.byRule ?? []) {
      const into = id === key ? rule : others;
      into.proposed += o.proposed;
      into.accepted += o.accepted;
    }
    return { rule, others };
  }
}

export interface SelectionOptions {
  /** Uniform random numbers in [0, 1); seeded in tests. */
  random: () => number;
  /** Acceptance-probability points a US dollar per proposal costs (default 20: $0.01 → 0.2). */
  costWeight?: number;
  /** Points a second of latency per proposal costs (default 0.005: 10 s → 0.05). */
  latencyWeight?: number;
  /** How much outcomes on other rules count towards this rule's prior (default 0.25). */
  poolWeight?: number;
}

/** One model in the order to try, with why it is there: the evidence record keeps the reason. */
export interface Choice {
  model: Model;
  reason: string;
  /** The sampled acceptance minus the cost and latency penalty (LLM models only). */
  score?: number;
}

/** Draws from Gamma(shape, 1): Marsaglia and Tsang's method, boosted for shape < 1. */
function sampleGamma(shape: number, random: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * Math.pow(random() || 1e-12, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Box-Muller for a standard normal.
      const u1 = random() || 1e-12;
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random() || 1e-12;
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Draws from Beta(alpha, beta). */
export function sampleBeta(alpha: number, beta: number, random: () => number): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  return x / (x + y);
}

/** What outcomes a task is judged on: its kind and rule, shown as `refactor max-params`. */
function ruleOf(task: Task): { kind: TaskKind; ruleId: string; label: string } {
  const { kind } = task;
  // A test task has no rule: its outcomes are judged per kind, under one pseudo-rule.
  const ruleId = isFindingTask(task) ? task.finding.ruleId : 'coverage';
  return { kind, ruleId, label: kind === 'fix' ? ruleId : `${kind} ${ruleId}` };
}

function describeOutcomes(o: Outcomes): string {
  return `${o.accepted}/${o.proposed}`;
}

/**
 * The order in which to ask the models for a task. Built-in engines that support it come first,
 * in the order given: they cost nothing and are deterministic. LLM models follow, ordered by
 * Thompson sampling on their acceptance: each draws from Beta(1 + accepted, 1 + rejected) on this
 * rule, with outcomes on other rules counting `poolWeight` as much, minus a penalty for its mean
 * cost and latency per proposal. A model with no record explores; one that is often rejected is
 * asked less and less, but never ruled out.
 */
export function rankModels(
  task: Task,
  models: readonly Model[],
  stats: SelectionStats,
  options: SelectionOptions,
): Choice[] {
  const rule = ruleOf(task);
  const costWeight = options.costWeight ?? 20;
  const latencyWeight = options.latencyWeight ?? 0.005;
  const pool = options.poolWeight ?? 0.25;
  const supported = models.filter((m) => m.supports(task));
  const builtins: Choice[] = supported
    .filter((m) => m.builtin)
    .map((model) => ({
      model,
      reason: `built-in engine ${model.id} supports ${rule.label}: no cost, deterministic, asked before any LLM`,
    }));
  const llms = supported
    .filter((m) => !m.builtin)
    .map((model) => {
      const { rule: onRule, others } = stats.outcomes(model.id, rule);
      const alpha = 1 + onRule.accepted + pool * others.accepted;
      const beta =
        1 + onRule.proposed - onRule.accepted + pool * (others.proposed - others.accepted);
      const sample = sampleBeta(alpha, beta, options.random);
      const record = stats.record(model.id);
      const cost = record.meanCostUsd ?? 0;
      const latency = (record.meanLatencyMs ?? 0) / 1000;
      const score = sample - costWeight * cost - latencyWeight * latency;
      const parts = [
        `Thompson sample ${sample.toFixed(3)} from ${describeOutcomes(onRule)} accepted on ${rule.label}`,
        `${describeOutcomes(others)} on other rules`,
        record.meanCostUsd === undefined
          ? 'no measured cost'
          : `mean cost $${record.meanCostUsd.toFixed(4)}`,
        record.meanLatencyMs === undefined
          ? 'no measured latency'
          : `mean latency ${(record.meanLatencyMs / 1000).toFixed(1)} s`,
      ];
      return { model, score, reason: `${parts.join(', ')}; score ${score.toFixed(3)}` };
    })
    .sort((a, b) => b.score - a.score);
  const ranked = llms.map((choice, index) => {
    const next = llms[index + 1];
    const versus = next ? ` (next: ${next.model.id} ${next.score.toFixed(3)})` : '';
    return { ...choice, reason: choice.reason + versus };
  });
  return [...builtins, ...ranked];
}
