export type { FixTask, Model, ModelContext, Proposal, Task, TaskKind, Usage } from './types.js';
export { createBuiltinModels, resolveModels } from './registry.js';
export { CODEMOD_RULES, CODEMODS_MODEL_ID, createCodemodsModel } from './builtin/codemods.js';
export {
  createTsFixesModel,
  TS_FIX_MAPPINGS,
  TS_FIX_RULES,
  TS_FIXES_MODEL_ID,
  type TsFixGuard,
  type TsFixMapping,
  type TsFixesModelOptions,
} from './builtin/ts-fixes.js';
