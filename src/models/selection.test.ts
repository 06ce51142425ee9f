import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/index.js';
import { rankModels, sampleBeta, seededRandom, SelectionStats } from './selection.js';
import type { Model, Task } from './types.js';

const finding: Finding = {
  ruleId: 'no-throw-literal',
  category: 'error-handling',
  severity: 'major',
  message: 'Throw an Error object',
  file: 'src/a.js',
  location: { line: 1, column: 1, endLine: 1, endColumn: 10 },
  effortMinutes: 2,
  fixability: 'suggestion',
};
const task = { kind: 'fix' as const, finding };

function model(id: string, builtin = false, supports = true): Model {
  return { id, builtin, supports: () => supports, propose: () => Promise.resolve([]) };
}

function firstChoices(stats: SelectionStats, models: Model[], draws: number, asked: Task = task) {
  const random = seededRandom(7);
  const counts = new Map<string, number>();
  for (let i = 0; i < draws; i++) {
    const first = rankModels(asked, models, stats, { random })[0]!.model.id;
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  return counts;
}

describe('sampleBeta', () => {
  it('has the mean of Beta(alpha, beta)', () => {
    const random = seededRandom(1);
    for (const [a, b] of [
      [1, 1],
      [8, 2],
      [0.5, 3],
      [30, 70],
    ] as const) {
      let sum = 0;
      for (let i = 0; i < 20_000; i++) sum += sampleBeta(a, b, random);
      expect(sum / 20_000).toBeCloseTo(a / (a + b), 2);
    }
  });
});

describe('rankModels', () => {
  it('puts built-in engines that support the task first, and leaves out the others', () => {
    const ranked = rankModels(
      task,
      [model('custom:a'), model('builtin:x', true), model('builtin:y', true, false)],
      new SelectionStats(),
      { random: seededRandom(3) },
    );
    expect(ranked.map((c) => c.model.id)).toEqual(['builtin:x', 'custom:a']);
    expect(ranked[0]!.reason).toMatch(/built-in engine builtin:x supports no-throw-literal/);
    expect(ranked[1]!.reason).toMatch(/Thompson sample .* from 0\/0 accepted on no-throw-literal/);
  });

  it('explores evenly without records and prefers the model whose proposals are accepted', () => {
    const models = [model('custom:good'), model('custom:bad')];
    const fresh = firstChoices(new SelectionStats(), models, 400);
    expect(fresh.get('custom:good')).toBeGreaterThan(150);
    expect(fresh.get('custom:bad')).toBeGreaterThan(150);

    const stats = new SelectionStats();
    stats.add('custom:good', { kind: 'fix', ruleId: 'no-throw-literal' }, 10, 9);
    stats.add('custom:bad', { kind: 'fix', ruleId: 'no-throw-literal' }, 10, 1);
    const learned = firstChoices(stats, models, 400);
    expect(learned.get('custom:good')).toBeGreaterThan(390);
  });

  it('weighs outcomes on the rule itself above those on other rules', () => {
    const models = [model('custom:general'), model('custom:specialist')];
    const stats = new SelectionStats();
    // The general model is accepted everywhere but here; the specialist only here.
    stats.add('custom:general', { kind: 'fix', ruleId: 'prefer-const' }, 40, 40);
    stats.add('custom:general', { kind: 'fix', ruleId: 'no-throw-literal' }, 4, 0);
    stats.add('custom:specialist', { kind: 'fix', ruleId: 'no-throw-literal' }, 4, 4);
    const counts = firstChoices(stats, models, 400);
    expect(counts.get('custom:specialist')).toBeGreaterThan(counts.get('custom:general') ?? 0);
  });

  it('learns each task kind apart: a model good at fixing a rule is not assumed good at refactoring it', () => {
    const models = [model('custom:fixer'), model('custom:refactorer')];
    const stats = new SelectionStats();
    stats.add('custom:fixer', { kind: 'fix', ruleId: 'no-throw-literal' }, 20, 20);
    stats.add('custom:fixer', { kind: 'refactor', ruleId: 'no-throw-literal' }, 20, 0);
    stats.add('custom:refactorer', { kind: 'fix', ruleId: 'no-throw-literal' }, 20, 0);
    stats.add('custom:refactorer', { kind: 'refactor', ruleId: 'no-throw-literal' }, 20, 20);
    const fixes = firstChoices(stats, models, 200);
    const refactors = firstChoices(stats, models, 200, { kind: 'refactor', finding });
    expect(fixes.get('custom:fixer')).toBeGreaterThan(190);
    expect(refactors.get('custom:refactorer')).toBeGreaterThan(190);
    const reason = rankModels({ kind: 'refactor', finding }, models, stats, {
      random: seededRandom(1),
    })[0]!.reason;
    expect(reason).toContain('20/20 accepted on refactor no-throw-literal');
  });

  it('penalises cost and latency between models that are accepted alike', () => {
    const models = [model('custom:dear'), model('custom:cheap')];
    const stats = new SelectionStats();
    for (const id of ['custom:dear', 'custom:cheap'])
      stats.add(id, { kind: 'fix', ruleId: 'no-throw-literal' }, 20, 15);
    stats.record('custom:dear').meanCostUsd = 0.02;
    stats.record('custom:cheap').meanCostUsd = 0.0005;
    stats.record('custom:dear').meanLatencyMs = 20_000;
    stats.record('custom:cheap').meanLatencyMs = 2_000;
    const counts = firstChoices(stats, models, 400);
    expect(counts.get('custom:cheap')).toBeGreaterThan(360);
  });
});
