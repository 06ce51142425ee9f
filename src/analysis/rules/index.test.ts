import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CATEGORIES, SEVERITIES } from '../../core/index.js';
import {
  allRuleMetas,
  allRules,
  fileRules,
  findRule,
  PARSE_ERROR_META,
  repositoryRules,
} from './index.js';
import { runRule } from './testing.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Files in this folder that are infrastructure, not rules. */
const INFRASTRUCTURE = new Set([
  'index.ts',
  'types.ts',
  'engine.ts',
  'testing.ts',
  'ast-utils.ts',
  'fix-utils.ts',
  'scope.ts',
  'scope-builder.ts',
  'scope-visitors.ts',
  'function-metric.ts',
  'options.ts',
]);

describe('rule registry', () => {
  it('has at least 30 file rules', () => {
    expect(fileRules.length).toBeGreaterThanOrEqual(30);
  });

  it('has unique ids, parse-error included', () => {
    const ids = allRuleMetas.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('registers every rule file, and every rule has its own file exporting it', async () => {
    const files = readdirSync(here).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !INFRASTRUCTURE.has(f),
    );
    const ids = allRuleMetas.map((m) => m.id);
    expect(files.map((f) => f.slice(0, -3)).sort()).toEqual([...ids].sort());
    for (const rule of allRules) {
      const specifier = `./${rule.meta.id}.js`;
      const module = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
      expect(Object.values(module), rule.meta.id).toContain(rule);
    }
  });

  it('has a test file with valid and invalid cases for every file rule', () => {
    for (const rule of fileRules) {
      const test = readFileSync(path.join(here, `${rule.meta.id}.test.ts`), 'utf8');
      expect(test, rule.meta.id).toContain('describeRule(');
    }
  });

  it('covers every category', () => {
    const covered = new Set(allRuleMetas.map((m) => m.category));
    expect([...CATEGORIES].filter((c) => !covered.has(c))).toEqual([]);
    const byFileRules = new Set(fileRules.map((r) => r.meta.category));
    const local = CATEGORIES.filter((c) => c !== 'duplication' && c !== 'parse');
    expect(local.filter((c) => !byFileRules.has(c))).toEqual([]);
  });

  it.each(allRuleMetas.map((m) => [m.id, m] as const))('%s has complete metadata', (id, meta) => {
    expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(CATEGORIES).toContain(meta.category);
    expect(SEVERITIES).toContain(meta.severity);
    expect(['safe-fix', 'suggestion', 'none']).toContain(meta.fixability);
    expect(Number.isInteger(meta.effortMinutes) && meta.effortMinutes > 0).toBe(true);
    expect(meta.description).toMatch(/^\S.*\.$/);
    expect(meta.description.length).toBeLessThanOrEqual(160);
    expect(meta.description).not.toContain('\n');
    expect(meta.docs.length).toBeGreaterThan(60);
    expect(meta.docs).toMatch(/\.$/);
    if (meta.eslint !== undefined) expect(meta.eslint).toMatch(/^(@?[a-z-]+\/)?[a-z-]+$/);
  });

  it.each(allRules.filter((r) => r.options).map((r) => [r.meta.id, r] as const))(
    '%s declares each option once, with its default and a description',
    (id, rule) => {
      for (const [name, schema] of Object.entries(rule.options!.shape) as [string, z.ZodType][]) {
        expect(schema.def.type, `${id}.${name} has a default`).toBe('default');
        expect(schema.description, `${id}.${name}`).toMatch(/^\S.*\.$/);
      }
    },
  );

  it('finds rules by id', () => {
    expect(findRule('no-explicit-any')).toBe(
      fileRules.find((r) => r.meta.id === 'no-explicit-any'),
    );
    expect(findRule('duplicated-code')).toBe(
      repositoryRules.find((r) => r.meta.id === 'duplicated-code'),
    );
    expect(findRule('no-such-rule')).toBeUndefined();
    expect(findRule(PARSE_ERROR_META.id)).toBeUndefined();
  });

  it('runs every file rule on empty files and on a realistic file without throwing', () => {
    const realistic = readFileSync(path.join(here, 'scope.ts'), 'utf8');
    for (const rule of fileRules) {
      expect(runRule(rule, '')).toEqual([]);
      for (const finding of runRule(rule, realistic, { file: 'scope.ts' })) {
        expect(finding.ruleId).toBe(rule.meta.id);
      }
    }
  });
});
