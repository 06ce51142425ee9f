import type { Store } from '../../store/index.js';
import type { IndexStats } from './types.js';

export interface UpdateIndexOptions {
  store: Store;
  repoId: number;
  /** The repository's root; files are read from the tree of its HEAD commit. */
  root: string;
  signal?: AbortSignal;
}

/**
 * Brings the repository's index up to date with its HEAD commit: only files whose content changed
 * are parsed again; the reference graph and its ranks are recomputed.
 */
export function updateIndex(_options: UpdateIndexOptions): Promise<IndexStats> {
  return Promise.reject(new Error('updateIndex: being built (issue 16)'));
}
