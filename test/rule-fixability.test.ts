import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules, type Rule } from '../src/analysis/index.js';
import type { Finding, Fixability } from '../src/core/index.js';
import { CODEMODS_MODEL_ID } from '../src/models/builtin/codemods.js';
import { createBuiltinModels } from '../src/models/registry.js';
import { PROJECT_ROOT } from './helpers/repo.js';

const RULES = path.join(PROJECT_ROOT, 'src/analysis/rules');

/**
 * Whether a rule has a fix of its own. Its test file's `describeFixes` table proves at least one
 * case is fixed; the rule tests fail when a rule reports a fix it does not declare, so a rule
 * without that table has none.
 */
function hasOwnFix(rule: Rule): boolean {
  const test = path.join(RULES, `${rule.meta.id}.test.ts`);
  try {
    return readFileSync(test, 'utf8').includes('describeFixes(');
  } catch {
    return false;
  }
}

const engines = createBuiltinModels();

/** The built-in engines that say they can fix this rule's findings. */
function enginesFor(rule: Rule): string[] {
  const finding = { ruleId: rule.meta.id } as Finding;
  return engines.filter((m) => m.supports({ kind: 'fix', finding })).map((m) => m.id);
}

/** What the label must be: derived from the fixes that exist, not from the label. */
function truth(rule: Rule): Fixability {
  if (hasOwnFix(rule)) return 'safe-fix';
  return enginesFor(rule).length > 0 ? 'suggestion' : 'none';
}

describe('fixability labels', () => {
  it.each(allRules.map((r) => [r.meta.id, r] as const))(
    '%s says what can really be fixed',
    (_id, rule) => {
      expect(rule.meta.fixability).toBe(truth(rule));
      // The codemods engine is made of the rules' own fixes: exactly those rules.
      expect(enginesFor(rule).includes(CODEMODS_MODEL_ID)).toBe(hasOwnFix(rule));
    },
  );

  it('has rules of every label, max-params among the suggestions (builtin:ts-fixes)', () => {
    const byLabel = (label: Fixability) =>
      allRules.filter((r) => r.meta.fixability === label).map((r) => r.meta.id);
    expect(byLabel('safe-fix').length).toBeGreaterThanOrEqual(20);
    expect(byLabel('suggestion')).toContain('max-params');
    expect(enginesFor(allRules.find((r) => r.meta.id === 'max-params')!)).toEqual([
      'builtin:ts-fixes',
    ]);
    expect(byLabel('none')).toContain('no-explicit-any');
  });
});
