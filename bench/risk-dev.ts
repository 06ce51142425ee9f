// npm run dev:risk [-- --write]
// The development protocol for the defect-risk model: every history in
// ../shared/datasets/git-history/ is cut at the first test snapshot that `npm run eval:risk` measures
// on, and evaluated at several earlier origins with the same time-ordered split. Nothing from the
// reported test window (labels or features) reaches these figures, so design changes to the model
// (features, priors, grids) are judged here and the reported test window is measured once after.
// --write records the table in docs/benchmarks.md.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evaluateHistory,
  formatChosen,
  formatFigure,
  parseNumstatLog,
  planSplit,
  type HistoryCommit,
} from '../src/analysis/index.js';
import { recordSection } from './record.js';

const DAY = 86_400;
const root = fileURLToPath(new URL('..', import.meta.url));
const datasets = path.join(root, '..', 'shared', 'datasets', 'git-history');
/** Origins: the history cut at the reported test start, then 90, 180 and 270 days before it. */
const SHIFTS_DAYS = [0, 90, 180, 270];

interface Tally {
  origins: number;
  model: number[];
  cc: number[];
  lr: number[];
}

function cutBefore(commits: readonly HistoryCommit[], time: number): HistoryCommit[] {
  return commits.filter((c) => c.time < time);
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;

const lines: string[] = [
  '| history | origin (days before test) | train / defective | test / defective | model | churn x complexity | logistic on lines added | chosen |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
];
const tallies = new Map<string, Tally>();
for (const file of (await readdir(datasets)).filter((f) => f.endsWith('.numstat.txt')).sort()) {
  const name = file.replace('.numstat.txt', '');
  // parseNumstatLog returns oldest first.
  const commits = parseNumstatLog(await readFile(path.join(datasets, file), 'utf8'));
  const reported = planSplit(commits);
  const testStart = reported?.testTimes[0];
  if (testStart === undefined) continue;
  const tally: Tally = { origins: 0, model: [], cc: [], lr: [] };
  tallies.set(name, tally);
  for (const shift of SHIFTS_DAYS) {
    const cut = cutBefore(commits, testStart - shift * DAY);
    const { evaluation: e } = evaluateHistory({ name, commits: cut });
    const auc = (m: { auc: number } | undefined) => formatFigure(m?.auc);
    lines.push(
      `| ${name} | ${shift} | ${e.train.rows} / ${e.train.positives} | ${e.test.rows} / ${e.test.positives} | ${e.sufficient ? auc(e.model) : '-'} | ${auc(e.churnComplexity)} | ${auc(e.logisticAdded)} | ${formatChosen(e)} |`,
    );
    if (!e.sufficient || !e.model || !e.churnComplexity || !e.logisticAdded) continue;
    tally.origins += 1;
    tally.model.push(e.model.auc);
    tally.cc.push(e.churnComplexity.auc);
    tally.lr.push(e.logisticAdded.auc);
  }
}
lines.push('');
for (const [name, t] of tallies) {
  if (t.origins === 0) {
    lines.push(`- ${name}: no origin with enough to learn from`);
    continue;
  }
  const wins = t.model.filter((m, i) => m > (t.cc[i] ?? 1) && m > (t.lr[i] ?? 1)).length;
  lines.push(
    `- ${name}: mean AUC over ${t.origins} origins: model ${formatFigure(mean(t.model))}, churn x complexity ${formatFigure(mean(t.cc))}, logistic on lines added ${formatFigure(mean(t.lr))}; above both at ${wins} of ${t.origins}`,
  );
}
console.log(lines.join('\n'));

if (process.argv.includes('--write'))
  await recordSection(
    'dev:risk',
    `\nMeasured ${new Date().toISOString().slice(0, 10)}.\n\n${lines.join('\n')}\n`,
  );
