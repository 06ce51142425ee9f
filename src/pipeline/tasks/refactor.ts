import type { Category, Finding } from '../../core/index.js';
import { CODE_CHANGE_CHECKS } from './fix.js';
import type { TaskKindSpec } from './types.js';

/** The findings a refactoring answers: code too complex, too long or repeated, ... */
const RESTRUCTURING: ReadonlySet<Category> = new Set(['complexity', 'size', 'duplication']);

/** ... and control flow nested deeper than it needs to be, whose fix is a restructuring. */
const RESTRUCTURING_RULES: ReadonlySet<string> = new Set([
  'prefer-early-return',
  'no-lonely-if',
  'no-useless-else-after-return',
]);

const restructures = (f: Finding): boolean =>
  RESTRUCTURING.has(f.category) || RESTRUCTURING_RULES.has(f.ruleId);

const BRIEF = {
  role: `You refactor code that a code-quality scanner flagged as too complex, too long or duplicated, in a
TypeScript or JavaScript repository. Restructure it so the measure falls within the threshold: extract
well-named functions, flatten nesting with early returns, group parameters, remove repetition. Keep the
behaviour exactly, keep exported names and signatures unless the finding is about them, keep the
surrounding style, and never touch unrelated code.`,
  ask: 'Refactor the flagged code. Reply with edit blocks only, in the format above.',
};

/**
 * Restructure code without changing what it does. Works on the complexity, size and duplication
 * findings and on needless nesting, unless the run names rules (`--rule`): then on those.
 */
export const refactorKind: TaskKindSpec = {
  kind: 'refactor',
  summary: 'restructure code flagged as too complex, too long or duplicated, keeping behaviour',
  findWork: ({ findings, options }) =>
    options.rules ? [...findings] : findings.filter(restructures),
  task: (finding, repair) => ({
    kind: 'refactor',
    finding,
    brief: BRIEF,
    ...(repair ? { repair } : {}),
  }),
  checks: CODE_CHANGE_CHECKS,
  delivery: {
    branchPrefix: 'refactor',
    groupVerb: 'refactor',
    validatedBy: 'beast improve --task refactor',
  },
};
