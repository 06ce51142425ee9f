export type { FixTask, Model, ModelContext, Proposal, Task, TaskKind, Usage } from './types.js';
