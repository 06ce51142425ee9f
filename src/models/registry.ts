import { InputError } from '../core/index.js';
import { createCodemodsModel } from './builtin/codemods.js';
import { createTsFixesModel } from './builtin/ts-fixes.js';
import type { Model } from './types.js';

/** The built-in engines, in order of preference: our codemods, then TypeScript's own fixes. */
export function createBuiltinModels(): Model[] {
  return [createCodemodsModel(), createTsFixesModel()];
}

/**
 * The models with the given `provider:model` ids, in the order given; all built-in models when
 * none are given. An unknown id is an error that lists the available ones.
 */
export function resolveModels(ids: readonly string[] | undefined): Model[] {
  const available = createBuiltinModels();
  if (!ids || ids.length === 0) return available;
  return ids.map((id) => {
    const model = available.find((m) => m.id === id);
    if (!model) {
      throw new InputError(
        `unknown model "${id}"; available: ${available.map((m) => m.id).join(', ')}`,
      );
    }
    return model;
  });
}
