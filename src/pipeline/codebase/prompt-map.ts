import { describeError } from '../../core/index.js';
import { openStore, repositoryIdOf, type Store } from '../../store/index.js';
import { updateIndex } from './index-repo.js';
import { repoMap } from './search.js';

/** Tokens of repo map each LLM prompt carries. */
export const PROMPT_MAP_TOKENS = 1024;

/** The repo map of one run's prompts, and what became of building it. */
export interface PromptMaps {
  /**
   * The map personalised toward the files a prompt is about; empty, with the reason, when the
   * index could not be built (the prompts then go without a map and the run says why).
   */
  mapFor(focusFiles: readonly string[]): Promise<{ text: string; failure?: string }>;
  close(): Promise<void>;
}

/**
 * The repo map every LLM prompt of a run carries (fix, refactor and the kinds to come): the
 * codebase index of `root`, brought up to date once on first use, in the run's store or, without
 * one, in a private in-memory store. Building it never fails a run: a failure leaves the map empty
 * and is reported once.
 */
export function promptRepoMaps(root: string, store: Store | undefined): PromptMaps {
  let ready:
    Promise<{ store: Store; repoId: number; own: boolean } | { error: string }> | undefined;
  const prepare = () =>
    (ready ??= (async () => {
      const own = store === undefined;
      const target = store ?? (await openStore(':memory:'));
      try {
        const repoId = await repositoryIdOf(target, root);
        await updateIndex({ store: target, repoId, root });
        return { store: target, repoId, own };
      } catch (error) {
        if (own) await target.close();
        return {
          error: `no repo map in prompts: the codebase index failed (${describeError(error)})`,
        };
      }
    })());
  return {
    async mapFor(focusFiles) {
      const index = await prepare();
      if ('error' in index) return { text: '', failure: index.error };
      const text = await repoMap(index.store, {
        repoId: index.repoId,
        focusFiles,
        budgetTokens: PROMPT_MAP_TOKENS,
      });
      return { text };
    },
    async close() {
      const index = await ready;
      if (index && !('error' in index) && index.own) await index.store.close();
    },
  };
}
