import path from 'node:path';
import type { Command } from 'commander';
import { createColors } from 'picocolors';
import { formatRanking, orderByValue, RISK_MODEL_NAME } from '../../analysis/index.js';
import { InputError } from '../../core/index.js';
import { loadQualityReport, type QualityReport } from '../../pipeline/index.js';
import {
  acceptanceStats,
  defaultStorePath,
  latestScan,
  latestTestGenRun,
  listImproveRuns,
  listProposalOutcomes,
  openStore,
  scoreTrend,
  type AcceptanceStat,
  type ImproveRunSummary,
  type ProposalOutcome,
  type Store,
  type TestGenRunSummary,
} from '../../store/index.js';
import { dbOption, EXIT, type CliIo } from '../io.js';

const SPARK = '▁▂▃▄▅▆▇█';

interface Improvements {
  runs: ImproveRunSummary[];
  acceptance: AcceptanceStat[];
  /** The outcomes of the newest run's proposals. */
  latest: ProposalOutcome[];
}

async function readImprovements(store: Store, root: string, top: number): Promise<Improvements> {
  const runs = await listImproveRuns(store, root, Math.max(top, 1));
  const acceptance = await acceptanceStats(store, root);
  const latest = runs[0] ? await listProposalOutcomes(store, runs[0].id) : [];
  return { runs, acceptance, latest };
}

function runLines(runs: Improvements['runs']): string[] {
  return runs.map(
    (r) =>
      `  ${r.startedAt}  ${r.status.padEnd(13)} ${r.scoreBefore} → ${r.scoreAfter}  ${r.accepted} accepted, ${r.rejected} rejected, ${r.validations} validations${r.branch ? `  ${r.branch}` : ''}`,
  );
}

function acceptanceLines(acceptance: Improvements['acceptance']): string[] {
  return acceptance.map((a) => {
    const rule = a.task === 'fix' ? a.ruleId : `${a.task} ${a.ruleId}`;
    return `  ${a.model.padEnd(18)} ${rule.padEnd(30)} ${a.accepted}/${a.proposed} (${Math.round(a.rate * 100)}%)`;
  });
}

function evidenceLine(p: Improvements['latest'][number]): string {
  const verdict =
    p.status === 'accepted'
      ? `accepted ${p.commit?.slice(0, 8) ?? ''}`
      : `${p.status}${p.gate ? ` by ${p.gate}` : ''}: ${p.reason ?? ''}`;
  return `  ${p.file}:${p.line}  ${p.ruleId}  [${p.model}]  ${verdict}`;
}

/** Pure: the improvement section of `beast status`. */
export function formatImprovements(data: Improvements, top: number): string[] {
  if (data.runs.length === 0) return [];
  return [
    '',
    'Improvement runs',
    ...runLines(data.runs.slice(0, top)),
    '',
    'Acceptance by model, task and rule',
    ...acceptanceLines(data.acceptance),
    '',
    'Latest run: evidence',
    ...data.latest.slice(0, Math.max(top, 10)).map(evidenceLine),
  ];
}

function percentOf(c: { covered: number; total: number }): number {
  return c.total === 0 ? 100 : (c.covered / c.total) * 100;
}

/** Pure: `lines 41.2% → 63.0% (+21.8)`. */
function coverageChange(
  name: string,
  before: { covered: number; total: number },
  after: { covered: number; total: number },
): string {
  const delta = percentOf(after) - percentOf(before);
  return `${name} ${percentOf(before).toFixed(1)}% → ${percentOf(after).toFixed(1)}% (${delta >= 0 ? '+' : ''}${delta.toFixed(1)})`;
}

/** Pure: the coverage line of `beast status`, from the newest `beast tests` run that measured it. */
export function formatTestCoverage(run: TestGenRunSummary | undefined): string[] {
  if (!run) return [];
  const where = run.branch ? `, ${run.filesKept} test file(s) on ${run.branch}` : '';
  return [
    `  coverage ${coverageChange('lines', run.coverageBefore.lines, run.coverageAfter.lines)}, ${coverageChange('branches', run.coverageBefore.branches, run.coverageAfter.branches)}  (beast tests ${run.startedAt}: ${run.status}${where})`,
  ];
}

/** Pure: the quality report's factors (defect risk among them, once trained) and advice. */
export function formatQualityReport(report: QualityReport): string[] {
  const lines = [
    '',
    `Quality report: quality ${report.quality.toFixed(3)} (grade ${report.grade}), confidence ${report.confidence.toFixed(2)}`,
    `  ${'factor'.padEnd(16)} ${'value'.padStart(6)} ${'importance'.padStart(10)}`,
  ];
  for (const [name, f] of Object.entries(report.factors)) {
    lines.push(
      `  ${name.padEnd(16)} ${f.value.toFixed(3).padStart(6)} ${f.importance.toFixed(3).padStart(10)}`,
    );
  }
  const ranking = report.defectRiskRanking;
  if (ranking)
    lines.push(`  defect risk: ${RISK_MODEL_NAME} v${ranking.version}, ${formatRanking(ranking)}`);
  for (const r of report.recommendations) lines.push(`  - ${r.message}`);
  return lines;
}

/** Pure: a sparkline of scores on a 0-100 scale. */
export function sparkline(values: readonly number[]): string {
  return values
    .map((v) => SPARK[Math.min(SPARK.length - 1, Math.floor((v / 100) * SPARK.length))])
    .join('');
}

export function registerStatusCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('status')
    .description('Latest score and grade, trend, hotspots and top findings, from the database')
    .argument('[path]', 'repository or folder', '.')
    .option('--json', 'print as JSON')
    .option('-n, --top <n>', 'how many hotspots and findings to show', '5')
    .addOption(dbOption())
    .action(async (target: string, flags: { json?: boolean; top: string; db?: string }) => {
      const root = path.resolve(io.cwd, target);
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top < 0)
        throw new InputError(`--top: expected a whole number, got "${flags.top}"`);
      const dbFile = path.resolve(io.cwd, flags.db ?? defaultStorePath(io.env));
      const store = await openStore(dbFile);
      try {
        const latest = await latestScan(store, root);
        const improvements = await readImprovements(store, root, top);
        const tests = await latestTestGenRun(store, root);
        if (!latest && improvements.runs.length === 0 && !tests)
          throw new InputError(
            `no scans recorded for ${root} in ${dbFile}; run \`beast scan ${target}\` first`,
          );
        if (!latest) {
          if (flags.json) io.stdout.write(`${JSON.stringify({ improvements, tests }, null, 2)}\n`);
          else
            io.stdout.write(
              `${[root, ...formatTestCoverage(tests), ...formatImprovements(improvements, top)].join('\n')}\n`,
            );
          done(EXIT.ok);
          return;
        }
        const trend = await scoreTrend(store, root, 20);
        const previous = trend.length >= 2 ? trend[trend.length - 2] : undefined;
        const delta = previous
          ? Math.round((latest.scan.score.score - previous.score) * 10) / 10
          : undefined;
        const findings = orderByValue(latest, undefined, { includeTests: true }).slice(0, top);
        const hotspots = latest.hotspots.slice(0, top);
        const quality = await loadQualityReport(store, root);
        if (flags.json) {
          io.stdout.write(
            `${JSON.stringify({ scan: latest.scan, trend, delta, quality, hotspots, findings, improvements, tests }, null, 2)}\n`,
          );
          done(EXIT.ok);
          return;
        }
        const c = createColors(Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined);
        const s = latest.scan;
        const change =
          delta === undefined
            ? 'first scan'
            : delta === 0
              ? 'unchanged'
              : `${delta > 0 ? '+' : ''}${delta} since previous scan`;
        const lines = [
          `${c.bold(root)}`,
          `  grade ${c.bold(s.score.grade)}  score ${s.score.score}  (${change})`,
          `  last scan ${s.startedAt}${s.commit ? ` at ${s.commit.slice(0, 10)}` : ''}${s.dirty ? ' (dirty)' : ''}: ${s.files} files, ${s.findings} findings, ${s.debtMinutes} min of debt`,
          `  trend over ${trend.length} scan(s): ${sparkline(trend.map((t) => t.score))}  ${trend.map((t) => t.score).join(' → ')}`,
          ...formatTestCoverage(tests),
          // Where the history lives, so it can be found, backed up or removed.
          `  store ${dbFile}`,
        ];
        if (s.hotspotsUnavailable)
          lines.push('', `${c.bold('Hotspots')}: not computed: ${s.hotspotsUnavailable}`);
        else if (hotspots.length > 0) {
          lines.push('', c.bold('Hotspots (changes × complexity)'));
          for (const h of hotspots)
            lines.push(
              `  ${String(h.risk).padStart(6)}  ${h.file}  (${h.changes} changes, complexity ${h.complexity})`,
            );
        }
        if (findings.length > 0) {
          lines.push('', c.bold('Top findings'));
          for (const f of findings) {
            lines.push(
              `  ${f.severity.padEnd(8)} ${f.file}:${f.location.line}  ${f.ruleId}  ${f.message}`,
            );
          }
        }
        if (quality) lines.push(...formatQualityReport(quality));
        lines.push(...formatImprovements(improvements, top));
        io.stdout.write(`${lines.join('\n')}\n`);
        done(EXIT.ok);
      } finally {
        await store.close();
      }
    });
}
