import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ruleSchemas } from '../src/analysis/index.js';
import { configJsonSchema } from '../src/core/index.js';

const committed = async () =>
  JSON.parse(
    await readFile(new URL('../schema/beast.config.schema.json', import.meta.url), 'utf8'),
  ) as {
    properties: { rules: { properties: Record<string, { anyOf: Record<string, unknown>[] }> } };
  };

describe('the editor schema', () => {
  it('matches the config schema and the rules’ option schemas (run `npm run schema` to update)', async () => {
    expect(await committed()).toEqual(configJsonSchema(ruleSchemas()));
  });

  it('describes each rule’s options with their types and defaults', async () => {
    const rules = (await committed()).properties.rules.properties;
    const object = rules['max-params']!.anyOf.find((s) => s.type === 'object') as {
      properties: {
        options: { properties: Record<string, unknown>; additionalProperties: boolean };
      };
    };
    expect(object.properties.options).toMatchObject({
      additionalProperties: false,
      properties: { threshold: { type: 'integer', default: 4, minimum: 0 } },
    });
    expect(Object.keys(rules)).toContain('no-debugger');
  });
});
