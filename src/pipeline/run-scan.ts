import path from 'node:path';
import {
  loadRepositoryBaseline,
  scan,
  type AnalysisCache,
  type LoadedBaseline,
  type NodeScriptRunner,
  type ScanOptions,
} from '../analysis/index.js';
import { sandboxWarnings } from '../fixes/index.js';
import { describeError, type ScanReport } from '../core/index.js';
import { updateIndex } from './codebase/index.js';
import { createLintConfigRunner } from './lint-config-runner.js';
import {
  getCachedResults,
  putCachedResults,
  recordScan,
  repositoryIdOf,
  type Store,
} from '../store/index.js';

/** A cache of per-file analyses kept in the store. */
export function createStoreCache(store: Store): AnalysisCache {
  return {
    get: (keys) => getCachedResults(store, [...keys]),
    set: (entries) => putCachedResults(store, [...entries]),
  };
}

export interface ScanRun {
  report: ScanReport;
  /** Id of the recorded scan, or undefined when nothing was recorded. */
  scanId: number | undefined;
}

/** A cache that is read but never written: `--stdin` content must leave no trace in the store. */
function readOnly(cache: AnalysisCache): AnalysisCache {
  return { get: (keys) => cache.get(keys), set: async () => {} };
}

function scanCache(
  store: Store | undefined,
  useCache: boolean,
  stdin: boolean,
): AnalysisCache | undefined {
  if (!store || !useCache) return undefined;
  const cache = createStoreCache(store);
  return stdin ? readOnly(cache) : cache;
}

/**
 * The scan step of every pipeline: scan with the store as cache, then record the result. A
 * partial scan (`select`) is never recorded: the latest recorded scan of a repository, which
 * `beast status`, the API and improve read, always covers all of its files.
 *
 * The scan is compared with `baseline`, by default the repository's own `.beast/baseline.json`
 * when it has one (read before scanning: a broken one fails before anything is recorded); `false`
 * compares with none.
 */
export async function runScan(
  target: string,
  options: Omit<ScanOptions, 'baseline'> & {
    store?: Store;
    record?: boolean;
    useCache?: boolean;
    baseline?: LoadedBaseline | false;
  },
): Promise<ScanRun> {
  const { store, record = true, useCache = true, baseline, ...scanOptions } = options;
  const compared =
    baseline === false
      ? undefined
      : (baseline ?? (await loadRepositoryBaseline(path.resolve(target))));
  const cache = scanCache(store, useCache, scanOptions.select?.stdin !== undefined);
  let ranConfigCode = false;
  const runner = createLintConfigRunner();
  const lintConfig = scanOptions.lintConfig ?? {
    runScript: (request: Parameters<NodeScriptRunner>[0]) => {
      ranConfigCode = true;
      return runner(request);
    },
  };
  const scanned = await scan(target, {
    ...scanOptions,
    cache,
    lintConfig,
    baseline: compared,
  });
  // The repository's config code ran: where that was without a sandbox, the report says so.
  const report = ranConfigCode
    ? { ...scanned, warnings: [...scanned.warnings, ...sandboxWarnings()] }
    : scanned;
  const scanId =
    store && record && report.selection === undefined ? await recordScan(store, report) : undefined;
  if (store === undefined || scanId === undefined) return { report, scanId };
  // The codebase index follows the scan (cheap when HEAD is unchanged); it never fails the scan.
  const failed = await refreshCodeIndex(store, report.repo.root);
  return {
    report: failed ? { ...report, warnings: [...report.warnings, failed] } : report,
    scanId,
  };
}

/** Brings the codebase index up to date; a warning line when that failed. */
async function refreshCodeIndex(store: Store, root: string): Promise<string | undefined> {
  try {
    await updateIndex({ store, repoId: await repositoryIdOf(store, root), root });
    return undefined;
  } catch (error) {
    return `codebase index not updated: ${describeError(error)}`;
  }
}
