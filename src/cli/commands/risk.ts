import type { Command } from 'commander';
import {
  formatRanking,
  rankLiveRisk,
  RISK_MODEL_NAME,
  type FileRisk,
  type RiskModel,
} from '../../analysis/index.js';
import { InputError } from '../../core/index.js';
import { defaultStorePath, latestRiskModel, openStore } from '../../store/index.js';
import { dbOption, EXIT, type CliIo } from '../io.js';
import { requireGit } from './train.js';

function formatFactor(f: FileRisk['factors'][number], heuristic: boolean): string {
  const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(2);
  if (heuristic) return `${f.feature}=${value}`;
  return `${f.feature}=${value} (${f.contribution >= 0 ? '+' : ''}${f.contribution.toFixed(2)})`;
}

/** Pure: the `beast risk` listing, headed by which ranking is used and why. */
export function formatRisk(model: RiskModel & { version: number }, files: FileRisk[]): string[] {
  const heuristic = model.kind === 'heuristic';
  const byModel = model.ranking.ranking === 'model';
  const lines = [`${RISK_MODEL_NAME} v${model.version}: ${formatRanking(model.ranking)}`];
  lines.push(
    heuristic
      ? '  risk: the churn x complexity score'
      : `  risk: probability of a defect in the next ${model.horizonDays} days (labels: ${model.labelling})`,
  );
  if (byModel)
    lines.push(
      `  feature importance: ${model.importance
        .slice(0, 5)
        .map((i) => `${i.feature} ${(i.importance * 100).toFixed(0)}%`)
        .join(', ')}`,
    );
  lines.push(
    `  ${'risk'.padStart(8)}  ${'lines'.padStart(6)}  file  [factors${byModel ? ', log-odds' : ''}]`,
  );
  for (const f of files) {
    const risk = heuristic ? String(Math.round(f.risk)) : f.risk.toFixed(3);
    lines.push(
      `  ${risk.padStart(8)}  ${String(f.lines).padStart(6)}  ${f.file}  [${f.factors.map((x) => formatFactor(x, !byModel)).join(', ')}]`,
    );
  }
  return lines;
}

export function registerRiskCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('risk')
    .description(
      'Files by predicted defect risk, with the factors behind each (run beast train first)',
    )
    .argument('[path]', 'repository or folder', '.')
    .option('-n, --top <n>', 'how many files to list', '20')
    .option('--json', 'print as JSON')
    .addOption(dbOption())
    .action(async (target: string, flags: { top: string; json?: boolean; db?: string }) => {
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top < 0)
        throw new InputError(`--top: expected a whole number, got "${flags.top}"`);
      const { root } = await requireGit(io, target);
      const store = await openStore(flags.db ?? defaultStorePath(io.env));
      const stored = await latestRiskModel(store, root, RISK_MODEL_NAME).finally(() =>
        store.close(),
      );
      if (!stored)
        throw new InputError(
          `no defect-risk model for ${root}; run \`beast train ${target}\` first`,
        );
      const model = { ...(stored.model as RiskModel), version: stored.version };
      const live = await rankLiveRisk(model, root);
      if (!live) throw new InputError(`${root} is not in a git repository with commits`);
      const files = live.files.slice(0, top);
      if (flags.json)
        io.stdout.write(
          `${JSON.stringify({ version: stored.version, kind: model.kind, ranking: model.ranking, files }, null, 2)}\n`,
        );
      else io.stdout.write(`${formatRisk(model, files).join('\n')}\n`);
      done(EXIT.ok);
    });
}
