// Writes schema/beast.config.schema.json from the zod schemas of the config and of every rule's
// options; a test keeps the file in sync.
import { writeFile } from 'node:fs/promises';
import { ruleSchemas } from '../src/analysis/index.js';
import { configJsonSchema } from '../src/core/index.js';

const target = new URL('../schema/beast.config.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(configJsonSchema(ruleSchemas()), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
