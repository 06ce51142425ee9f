import type { TaskKindSpec } from './types.js';

/** The gate every code change passes: see `createGate` for what each check does. */
export const CODE_CHANGE_CHECKS: TaskKindSpec['checks'] = {
  quick: ['parse', 'rescan', 'idempotence', 'typecheck'],
  // Idempotence is a property of one change on its own, so only the per-change quick check has it.
  full: ['parse', 'rescan', 'typecheck', 'lint', 'tests'],
};

/** Fix what the scan found, most valuable first; the models' default wording. */
export const fixKind: TaskKindSpec = {
  kind: 'fix',
  summary: 'fix the findings of the scan, most valuable first',
  findWork: ({ findings }) => [...findings],
  task: (finding, repair) => ({ kind: 'fix', finding, ...(repair ? { repair } : {}) }),
  checks: CODE_CHANGE_CHECKS,
  delivery: { branchPrefix: 'improve', groupVerb: 'fix', validatedBy: 'beast improve' },
};
