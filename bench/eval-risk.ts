// npm run eval:risk [-- --write]
// Trains and evaluates the defect-risk model on every history in ../shared/datasets/git-history/
// (metadata only: labels are "touched by a bug-fix commit in the window") and on this project's own
// history (SZZ labels), with both baselines on the same time-ordered split; then measures mining a
// synthetic 10,000-commit repository. --write records the table in docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createFixMatcher,
  DEFAULT_GRID,
  evaluateHistory,
  findBugIntroductions,
  formatChosen,
  formatFigure,
  formatMargin,
  formatRanking,
  formatSelection,
  GBT_DEFAULTS,
  isPredictedFile,
  mineCodeMetrics,
  mineHistory,
  parseNumstatLog,
  planSplit,
  type CodeMetricsCost,
  type RiskEvaluation,
  type RiskMetrics,
  type RiskRanking,
} from '../src/analysis/index.js';
import { recordSection } from './record.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const datasets = path.join(root, '..', 'shared', 'datasets', 'git-history');
const write = process.argv.includes('--write');

async function evaluateDatasets(): Promise<RiskEvaluation[]> {
  const out: RiskEvaluation[] = [];
  for (const file of (await readdir(datasets)).filter((f) => f.endsWith('.numstat.txt')).sort()) {
    const commits = parseNumstatLog(await readFile(path.join(datasets, file), 'utf8'));
    out.push(evaluateHistory({ name: file.replace('.numstat.txt', ''), commits }).evaluation);
  }
  return out;
}

async function evaluateOwn(): Promise<{ evaluation: RiskEvaluation; metrics: CodeMetricsCost }> {
  const history = await mineHistory(root);
  const isFix = createFixMatcher();
  const include = isPredictedFile;
  const introductions = await findBugIntroductions(root, history.commits.filter(isFix), {
    include,
  });
  const plan = planSplit(history.commits);
  const times = plan ? [...plan.trainTimes, ...plan.testTimes] : [];
  const codeMetrics = await mineCodeMetrics(root, history.commits, times, { include });
  // The cost of the code metrics at every commit of this history, as if each were a snapshot.
  const every = history.commits.map((c) => c.time + 1);
  const { cost } = await mineCodeMetrics(root, history.commits, every, { include });
  const { evaluation } = evaluateHistory(
    { name: 'beast-mode (own)', commits: history.commits },
    { introductions, codeMetrics },
  );
  return { evaluation, metrics: cost };
}

/** Builds a repository of `count` commits over 500 files with git fast-import, then mines it. */
async function measureMining(
  count: number,
): Promise<{ ms: number; commits: number; files: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-mine-'));
  try {
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    const parts: string[] = [];
    const start = 1_600_000_000;
    for (let k = 0; k < count; k++) {
      const files = [k % 500, (k * 7) % 500].map((f) => `src/dir${f % 20}/file${f}.ts`);
      const message = k % 5 === 0 ? `fix: bug ${k}` : `feat: change ${k}`;
      parts.push(
        `commit refs/heads/main\ncommitter A <a${k % 13}@example.com> ${start + k * 600} +0000\ndata ${message.length}\n${message}\n`,
      );
      for (const f of files) {
        const body = `export const v${k} = ${k};\n`.repeat(1 + (k % 5));
        parts.push(`M 644 inline ${f}\ndata ${Buffer.byteLength(body)}\n${body}`);
      }
      parts.push('\n');
    }
    execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: parts.join('') });
    const t0 = performance.now();
    const history = await mineHistory(dir);
    const ms = performance.now() - t0;
    return {
      ms,
      commits: history.commits.length,
      files: new Set(history.commits.flatMap((c) => c.files.map((f) => f.path))).size,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function row(
  e: RiskEvaluation,
  method: string,
  m: RiskMetrics | undefined,
  first: boolean,
  ranking: RiskRanking,
): string {
  const info = first
    ? [
        e.name,
        String(e.commits),
        String(e.fixCommits),
        e.labelling,
        `${e.train.rows} / ${e.train.positives}`,
        `${e.test.rows} / ${e.test.positives}`,
      ]
    : ['', '', '', '', '', ''];
  const figures = m
    ? [m.auc, m.prAuc, m.brier, m.recallAt20].map(formatFigure)
    : ['-', '-', '-', '-'];
  const kept = e.ranking.ranking === ranking ? 'kept' : '';
  return `| ${[...info, method, ...figures, first ? formatChosen(e) : '', kept].join(' | ')} |`;
}

/** How the hyperparameters are chosen, from the grid and defaults the evaluation uses. */
function selectionText(): string[] {
  const g = DEFAULT_GRID;
  const d = GBT_DEFAULTS;
  const candidates = g.rounds.length * g.maxDepth.length * g.learningRate.length * g.prior.length;
  return [
    'The model: gradient-boosted trees that start either from the base rate or from a prior, a logistic',
    'fit on log(1 + churn x complexity), and learn corrections to it.',
    `Model selection uses the training snapshots alone: the last three validate ${candidates} candidates`,
    `(rounds ${g.rounds.join(', ')} x depth ${g.maxDepth.join(', ')} x learning rate ${g.learningRate.join(', ')} x prior or not; min leaf ${d.minLeaf}, subsample ${d.subsample})`,
    'fitted on the training snapshots whose label windows close before the first of them (labels known',
    'by then). The one-standard-error rule picks the simplest candidate (the prior first, then the',
    'least boosting) whose validation AUC is within one standard error (Hanley-McNeil) of the best;',
    'it is refitted on all training rows and measured once on the test snapshots. With fewer than 10',
    'defective rows to fit on or 5 to validate on, no model can be validated and the heuristic',
    'ranking is used. "chosen": rounds / depth / learning rate / prior (validation AUC).',
  ];
}

/** Which ranking `beast train` would keep for this history, and why, with every AUC. */
function verdict(e: RiskEvaluation): string {
  return `${e.name}: ${formatRanking(e.ranking)}`;
}

const own = await evaluateOwn();
const evaluations = [...(await evaluateDatasets()), own.evaluation];
const mining = await measureMining(10_000);
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}.`,
  'Time-ordered split: three test snapshots 30 days apart in the last closed 90-day window, up to twelve',
  'training snapshots whose label windows close before the first test snapshot. "defective" counts rows',
  '(file, snapshot) labelled defect-prone. Brier of churn x complexity: its score mapped to a probability',
  'by a logistic fit on the training rows. Recall@20%: files in order of score until 20% of all lines.',
  'The datasets are metadata only (no source): their features are history only and churn x complexity',
  "uses line counts. A live repository (own) adds the scanner's code metrics of each file at each",
  'snapshot commit (cognitive and cyclomatic totals, max nesting, code lines, maintainability,',
  'functions), and churn x complexity uses the cognitive total.',
  ...selectionText(),
  '',
  '"kept" marks the ranking `beast train` keeps for live risk: whichever measured the best AUC on the',
  'test snapshots (the most recent closed window), a tie going to the simpler ranking; without a',
  'trained model, churn x complexity.',
  '',
  '| history | commits | fix commits | labels | train rows / defective | test rows / defective | method | AUC | PR-AUC | Brier | recall@20% | chosen | kept |',
  '| --- | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | --- |',
  ...evaluations.flatMap((e) => [
    row(e, e.sufficient ? 'gradient-boosted trees' : 'model (not trained)', e.model, true, 'model'),
    row(e, 'churn x complexity', e.churnComplexity, false, 'churn-complexity'),
    row(e, 'logistic on lines added', e.logisticAdded, false, 'logistic-added'),
  ]),
  '',
  ...evaluations.map((e) => `- ${verdict(e)}`),
  ...evaluations.flatMap((e) =>
    e.margins
      ? [
          `- ${e.name}: AUC difference ${formatMargin('churn x complexity', e.margins.churnComplexity)}; ${formatMargin('logistic on lines added', e.margins.logisticAdded)}`,
        ]
      : [],
  ),
  ...evaluations.flatMap((e) =>
    e.selection && e.sufficient ? [`- ${e.name}: ${formatSelection(e.selection)}`] : [],
  ),
  `- code metrics on this repository's history: ${own.metrics.files} file snapshots at ${own.metrics.snapshots} commits (every commit; ${own.metrics.blobs} distinct blobs parsed and measured) in ${(own.metrics.ms / 1000).toFixed(2)} s`,
  `- mining: ${mining.commits} commits (${mining.files} files) read with \`git log --numstat\` and parsed in ${(mining.ms / 1000).toFixed(2)} s`,
];
console.log(lines.join('\n'));

if (write) await recordSection('eval:risk', `\n${lines.join('\n')}\n`);
