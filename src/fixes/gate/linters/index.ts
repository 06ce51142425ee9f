import { biome } from './biome.js';
import { eslint } from './eslint.js';
import { oxlint } from './oxlint.js';
import type { LinterName, LinterPlugin } from './types.js';
import { xo } from './xo.js';

/** Every linter the gate knows, by name, in the order they run. */
export const LINTERS: Readonly<Record<LinterName, LinterPlugin>> = { eslint, xo, oxlint, biome };

export { FATAL_RULE } from './report.js';
export type * from './types.js';
