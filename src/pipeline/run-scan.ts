import { scan, type AnalysisCache, type ScanOptions } from '../analysis/index.js';
import type { ScanReport } from '../core/index.js';
import { getCachedResults, putCachedResults, recordScan, type Store } from '../store/index.js';

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

/** The scan step of every pipeline: scan with the store as cache, then record the result. */
export async function runScan(
  target: string,
  options: ScanOptions & { store?: Store; record?: boolean; useCache?: boolean },
): Promise<ScanRun> {
  const { store, record = true, useCache = true, ...scanOptions } = options;
  const cache = store && useCache ? createStoreCache(store) : undefined;
  const report = await scan(target, { ...scanOptions, cache });
  const scanId = store && record ? await recordScan(store, report) : undefined;
  return { report, scanId };
}
