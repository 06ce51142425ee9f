import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { configJsonSchema } from '../src/core/index.js';

it('the committed editor schema matches the config schema (run `npm run schema` to update)', async () => {
  const committed = JSON.parse(
    await readFile(new URL('../schema/beast.config.schema.json', import.meta.url), 'utf8'),
  );
  expect(committed).toEqual(configJsonSchema());
});
