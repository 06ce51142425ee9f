import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRules } from '../src/analysis/rule-config.js';
import { createRuleProfiles } from '../src/analysis/rule-profiles.js';
import { PRESETS } from '../src/core/presets.js';
import { parseConfig } from '../src/core/index.js';
import { describeModels } from '../src/models/index.js';
import { PROJECT_ROOT } from './helpers/repo.js';

describe('the README', () => {
  it('shows only configurations that the tool accepts', async () => {
    const readme = await readFile(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      const result = parseConfig(JSON.parse(example));
      expect(result.errors).toEqual([]);
      // Rule options too: each rule checks its own (an unknown option throws, naming it).
      expect(() => resolveRules(result.config.rules)).not.toThrow();
      // And in overrides, by the same checks a scan makes.
      expect(() => createRuleProfiles(result.config)).not.toThrow();
      const { extends: bases = [] } = JSON.parse(example) as { extends?: string | string[] };
      for (const name of [bases].flat())
        if (name.startsWith('beast:')) expect(Object.keys(PRESETS)).toContain(name);
      const models = result.config.models;
      if (models.use) {
        // Every id it names resolves, and its custom fallbacks exist.
        const entries = describeModels(models.use, { custom: models.custom, env: {} });
        expect(entries.map((e) => e.id)).toEqual(models.use);
      }
    }
  });
});
