import path from 'node:path';
import { InputError } from '../../core/index.js';
import { readGitInfo, SHALLOW_CLONE, type GitInfo } from '../git.js';
import {
  CODE_METRICS,
  featureNames,
  isPredictedFile,
  mineCodeMetrics,
  mineHistory,
  type CodeMetricsAt,
  type CodeMetricsCost,
  type History,
} from '../history/index.js';
import { checkFeatures, rankFileRisk, type FileRisk, type RiskModel } from './model.js';

/** Predicted files under the scanned folder (paths are relative to the repository's top level). */
export function includeUnder(git: Pick<GitInfo, 'prefix'>): (file: string) => boolean {
  return (file) => file.startsWith(git.prefix) && isPredictedFile(file);
}

/** Whether a model was trained with the scanner's code metrics among its features. */
export function usesCodeMetrics(features: readonly string[]): boolean {
  return CODE_METRICS.every((name) => features.includes(name));
}

/**
 * A repository whose history cannot be mined: a shallow clone's truncated history would make every
 * file look new and rarely changed.
 */
export class MissingHistoryError extends InputError {
  constructor(root: string) {
    super(`defect risk is mined from history, and ${root} is a ${SHALLOW_CLONE}`);
  }
}

/** The live ranking of a repository's files and what computing it cost. */
export interface LiveRisk {
  files: FileRisk[];
  /** The scanned folder relative to the repository's top level ('' or ending in '/'). */
  prefix: string;
  history: History;
  /** Undefined when the model does not use code metrics. */
  codeMetrics: CodeMetricsCost | undefined;
}

/**
 * Mines the history of the git repository holding `root` and ranks the files under it by the
 * stored model's chosen ranking, with the code metrics of the newest commit when the model was
 * trained with them. Paths are relative to `root`'s repository top level; undefined when `root`
 * is not in git. Throws `StaleModelError` for a model this version cannot use and
 * `MissingHistoryError` for a shallow clone.
 */
export async function rankLiveRisk(model: RiskModel, root: string): Promise<LiveRisk | undefined> {
  // A stale model is refused before the history is mined.
  const withCode = usesCodeMetrics(model.features);
  checkFeatures(
    model,
    featureNames(withCode ? { codeMetrics: { names: [...CODE_METRICS], values: new Map() } } : {}),
  );
  const git = await readGitInfo(root);
  if (!git?.commit) return undefined;
  if (git.shallow) throw new MissingHistoryError(root);
  const history = { ...(await mineHistory(git.toplevel)), name: path.basename(root) };
  const include = includeUnder(git);
  const time = (history.commits[history.commits.length - 1]?.time ?? 0) + 1;
  let codeMetrics: (CodeMetricsAt & { cost: CodeMetricsCost }) | undefined;
  if (withCode)
    codeMetrics = await mineCodeMetrics(git.toplevel, history.commits, [time], { include });
  const files = rankFileRisk(model, history, { time, include, codeMetrics });
  return { files, prefix: git.prefix, history, codeMetrics: codeMetrics?.cost };
}
