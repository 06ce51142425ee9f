import { randomUUID } from 'node:crypto';
import { resolveConfig } from '../core/index.js';
import type { Store } from '../store/index.js';
import {
  runImprove,
  type ImproveDeps,
  type ImproveEvent,
  type ImproveOptions,
  type ImproveReport,
} from './improve/index.js';
import { parseAuthor } from './deliver/index.js';
import { promptRepoMaps } from './codebase/prompt-map.js';
import { setupModels } from './models.js';

/** Environment variables: the config's overrides and the API keys its models name. */
type Env = Readonly<Record<string, string | undefined>>;

/** Where a run happens and what its caller chose beyond the repository's own config. */
export interface RunSetup {
  /** The repository, or a folder inside one; its beast.config.json configures the run. */
  root: string;
  env: Env;
  /** Where worktrees and their locks live: beside the store's file. */
  stateDir: string;
  /**
   * Records the run, its proposals and every model call (the ledger), and holds the cached scans
   * and the acceptance the learned selection reads. Without it nothing is recorded or learned.
   */
  store?: Store;
  /** Names the run's calls in the ledger; a new id when not given. */
  runId?: string;
  /** `--model`: exactly these models, in this order; selection does not reorder them. */
  models?: readonly string[];
  /** `--budget`: the most this run may spend on model calls, in US dollars, over config. */
  budgetUsd?: number;
  onEvent?: (event: ImproveEvent) => void;
}

/**
 * Runs one improvement of a repository, wired from its config and the caller's choices: the models
 * with their budgets, cooldowns and ledger, the learned selection over the store, the number of
 * repair attempts, the warnings of setting the models up, and progress. `beast improve`, the API's
 * improve and refactor jobs (and a scheduler) all run through here, so a run's report depends on
 * its input only, not on who asked.
 */
export async function improveRepository(
  setup: RunSetup,
  options: ImproveOptions,
): Promise<ImproveReport> {
  const { config } = await resolveConfig(setup.root, setup.env);
  const models = await setupModels({
    config: config.models,
    env: setup.env,
    runId: setup.runId ?? `improve-${new Date().toISOString()}-${randomUUID().slice(0, 8)}`,
    ...(setup.store ? { store: setup.store } : {}),
    ...(setup.models ? { override: setup.models } : {}),
    ...(setup.budgetUsd !== undefined ? { budgetUsd: setup.budgetUsd } : {}),
  });
  // Only LLM prompts carry the repo map: the built-in engines never build the index.
  const maps = models.models.some((m) => !m.builtin)
    ? promptRepoMaps(setup.root, setup.store)
    : undefined;
  const deps: ImproveDeps = {
    models: models.models,
    stateDir: setup.stateDir,
    warnings: models.warnings,
    ...(setup.store ? { store: setup.store } : {}),
    ...(models.selection ? { selection: { stats: models.selection } } : {}),
    ...(config.models.repairAttempts !== undefined
      ? { repairAttempts: config.models.repairAttempts }
      : {}),
    ...(setup.onEvent ? { onEvent: setup.onEvent } : {}),
    ...(config.delivery.author ? { author: parseAuthor(config.delivery.author) } : {}),
    ...(maps ? { repoMap: (files: readonly string[]) => maps.mapFor(files) } : {}),
  };
  try {
    return await runImprove(setup.root, deps, options);
  } finally {
    await maps?.close();
    await models.close();
  }
}
