import path from 'node:path';
import type { Command } from 'commander';
import {
  createFixMatcher,
  findBugIntroductions,
  formatEvaluation,
  includeUnder,
  mineCodeMetrics,
  MissingHistoryError,
  mineHistory,
  planSplit,
  readGitInfo,
  trainRiskModel,
  type CodeMetricsCost,
  type GitInfo,
  type History,
  type RiskModel,
} from '../../analysis/index.js';
import { InputError } from '../../core/index.js';
import { defaultStorePath, openStore, saveRiskModel } from '../../store/index.js';
import { dbOption, EXIT, requireFolder, type CliIo } from '../io.js';

export interface RiskFlags {
  fixPattern?: string[];
  db?: string;
}

/**
 * The git facts of a target, or an input error when it is not in a git repository with commits or
 * is a shallow clone, whose truncated history would make every file look new and rarely changed.
 */
export async function requireGit(
  io: CliIo,
  target: string,
): Promise<{ root: string; git: GitInfo }> {
  const root = await requireFolder(io, target);
  const git = await readGitInfo(root);
  if (!git?.commit) throw new InputError(`${root} is not in a git repository with commits`);
  if (git.shallow) throw new MissingHistoryError(root);
  return { root, git };
}

export { includeUnder };

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1)
    throw new InputError(`--horizon: expected days, got "${value}"`);
  return days;
}

const iso = (t: number | undefined) =>
  t === undefined ? undefined : new Date(t * 1000).toISOString();

async function train(
  git: GitInfo,
  history: History,
  flags: RiskFlags & { labelling: string; horizon: string },
): Promise<{ model: RiskModel; codeMetrics: CodeMetricsCost }> {
  const fixPatterns = flags.fixPattern;
  const include = includeUnder(git);
  const isFix = createFixMatcher(fixPatterns);
  const introductions =
    flags.labelling === 'szz'
      ? await findBugIntroductions(git.toplevel, history.commits.filter(isFix), { include })
      : undefined;
  const horizonDays = parseDays(flags.horizon);
  // The scanner's metrics of each file at each snapshot, from the snapshot commit's tree.
  const plan = planSplit(history.commits, { horizonDays });
  const times = plan ? [...plan.trainTimes, ...plan.testTimes] : [];
  const codeMetrics = await mineCodeMetrics(git.toplevel, history.commits, times, { include });
  const model = trainRiskModel(history, {
    fixPatterns,
    include,
    introductions,
    horizonDays,
    codeMetrics,
  });
  return { model, codeMetrics: codeMetrics.cost };
}

const costLine = (c: CodeMetricsCost) =>
  `  code metrics: ${c.files} files at ${c.snapshots} snapshot commits (${c.blobs} distinct blobs analysed) in ${Math.round(c.ms)} ms`;

export function registerTrainCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('train')
    .description('Train and evaluate the defect-risk model on the repository history and store it')
    .argument('[path]', 'repository or folder', '.')
    .option('--labelling <how>', 'szz (blame the lines fixes changed) or fix-touch', 'szz')
    .option(
      '--fix-pattern <regex...>',
      'commit-message patterns of bug fixes (replace the defaults)',
    )
    .option('--horizon <days>', 'the prediction window', '90')
    .option('--json', 'print the evaluation as JSON')
    .option('--no-store', 'do not record the model')
    .addOption(dbOption())
    .action(
      async (
        target: string,
        flags: RiskFlags & { labelling: string; horizon: string; json?: boolean; store: boolean },
      ) => {
        if (flags.labelling !== 'szz' && flags.labelling !== 'fix-touch')
          throw new InputError(`--labelling: expected szz or fix-touch, got "${flags.labelling}"`);
        const { root, git } = await requireGit(io, target);
        const started = performance.now();
        const history = { ...(await mineHistory(git.toplevel)), name: path.basename(root) };
        const mined = performance.now() - started;
        const { model, codeMetrics } = await train(git, history, flags);
        let version: number | undefined;
        if (flags.store) {
          const store = await openStore(flags.db ?? defaultStorePath(io.env));
          try {
            ({ version } = await saveRiskModel(store, root, {
              name: model.name,
              commit: git.commit,
              kind: model.kind,
              labelling: model.labelling,
              trainedFrom: iso(model.trainedFrom),
              trainedTo: iso(model.trainedTo),
              features: model.features,
              metrics: model.evaluation,
              model,
            }));
          } finally {
            await store.close();
          }
        }
        if (flags.json) {
          io.stdout.write(
            `${JSON.stringify({ version, kind: model.kind, ranking: model.ranking, evaluation: model.evaluation, importance: model.importance, codeMetrics }, null, 2)}\n`,
          );
        } else {
          const lines = [
            ...formatEvaluation(model.evaluation),
            `  mined ${history.commits.length} commits in ${Math.round(mined)} ms`,
            costLine(codeMetrics),
            model.kind === 'gbt'
              ? `  top features: ${model.importance
                  .slice(0, 5)
                  .map((i) => `${i.feature} ${(i.importance * 100).toFixed(0)}%`)
                  .join(
                    ', ',
                  )}${model.ranking.ranking === 'model' ? '' : ' (the model is stored but not used for ranking)'}`
              : '',
            version === undefined
              ? '  not stored (--no-store)'
              : `  stored as ${model.name} version ${version}`,
          ];
          io.stdout.write(`${lines.filter(Boolean).join('\n')}\n`);
        }
        done(EXIT.ok);
      },
    );
}
