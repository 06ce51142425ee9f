export type { FixTask, Model, ModelContext, Proposal, Task, TaskKind, Usage } from './types.js';
export { CODEMOD_RULES, CODEMODS_MODEL_ID, createCodemodsModel } from './builtin/codemods.js';
