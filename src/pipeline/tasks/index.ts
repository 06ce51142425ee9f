import { InputError } from '../../core/index.js';
import { fixKind } from './fix.js';
import { refactorKind } from './refactor.js';
import type { TaskKindSpec } from './types.js';

export type { TaskKindSpec, WorkInput } from './types.js';

/** Every task kind a run can do, by name: one line per kind. */
export const TASK_KIND_REGISTRY: Readonly<Record<string, TaskKindSpec>> = {
  fix: fixKind,
  refactor: refactorKind,
};

/** The task kinds' names, in registry order. */
export const taskKindNames = (): string[] => Object.keys(TASK_KIND_REGISTRY);

/** The kind called `name`; an InputError naming the known kinds otherwise. */
export function taskKind(name: string): TaskKindSpec {
  const spec = Object.hasOwn(TASK_KIND_REGISTRY, name) ? TASK_KIND_REGISTRY[name] : undefined;
  if (!spec) {
    throw new InputError(`unknown task kind "${name}"; known: ${taskKindNames().join(', ')}`);
  }
  return spec;
}
