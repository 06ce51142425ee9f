// Writes schema/beast.config.schema.json from the zod schema; a test keeps the two in sync.
import { writeFile } from 'node:fs/promises';
import { configJsonSchema } from '../src/core/index.js';

const target = new URL('../schema/beast.config.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
