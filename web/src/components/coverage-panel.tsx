import { Alert } from './alert';
import { useResource } from '../context';
import { formatCoverage, formatTime } from '../format';
import { routeHref } from '../route';
import type { CoverageTotals, TestGenRun, TestGenRuns } from '../types';
import { TableHead } from './table-head';

/** The measures the panel compares: what a test raises first. */
const MEASURES = [
  ['lines', 'Lines'],
  ['branches', 'Branches'],
] as const;

/** Coverage before → after of one measure, as a table row. */
function MeasureRow({
  measure,
  label,
  before,
  after,
}: {
  measure: keyof CoverageTotals;
  label: string;
  before: CoverageTotals;
  after: CoverageTotals;
}) {
  return (
    <tr data-measure={measure}>
      <th scope="row">{label}</th>
      <td class="num before">{formatCoverage(before[measure])}</td>
      <td class="num after">{formatCoverage(after[measure])}</td>
    </tr>
  );
}

/** The suite's coverage before and after a run, measure by measure. */
export function CoverageTable({
  run,
  measures = MEASURES,
  caption,
}: {
  run: Pick<TestGenRun, 'coverageBefore' | 'coverageAfter'>;
  measures?: readonly (readonly [keyof CoverageTotals, string])[];
  caption?: string;
}) {
  return (
    <table class="coverage">
      {caption && <caption>{caption}</caption>}
      <TableHead columns={['Measure', ['Before', 'num'], ['After', 'num']]} />
      <tbody>
        {measures.map(([measure, label]) => (
          <MeasureRow
            key={measure}
            measure={measure}
            label={label}
            before={run.coverageBefore}
            after={run.coverageAfter}
          />
        ))}
      </tbody>
    </table>
  );
}

function RunRow({ repoId, run }: { repoId: string; run: TestGenRun }) {
  const measured = run.status !== 'not-run';
  return (
    <tr data-run-id={run.id}>
      <td>
        <a href={routeHref(repoId, 'tests', { run: run.id })}>{formatTime(run.startedAt)}</a>
      </td>
      <td>
        <span class={`status status-${run.status}`}>{run.status}</span>
        {run.reason && <span class="muted"> {run.reason}</span>}
      </td>
      <td class="num">
        {measured
          ? `${formatCoverage(run.coverageBefore.lines)} → ${formatCoverage(run.coverageAfter.lines)}`
          : '–'}
      </td>
      <td class="num">
        {measured
          ? `${formatCoverage(run.coverageBefore.branches)} → ${formatCoverage(run.coverageAfter.branches)}`
          : '–'}
      </td>
      <td class="num">
        {run.funnel.kept} of {run.funnel.generated}
      </td>
      <td>{run.branch ? <code>{run.branch}</code> : <span class="muted">none</span>}</td>
    </tr>
  );
}

/**
 * The repository's test coverage as its newest test-generation run measured it (line and branch,
 * before → after the kept tests), and its runs, each linking to its funnel and verdicts.
 * `version` changes when a run may have been recorded (a tests job finished).
 */
export function CoveragePanel({ repoId, version }: { repoId: string; version: number }) {
  const id = encodeURIComponent(repoId);
  const runs = useResource(
    (api) => api.get<TestGenRuns>(`/api/codebase/tests/runs?repo=${id}&limit=10`),
    [id, version],
  );
  const data = runs.data;
  return (
    <section aria-labelledby="coverage-heading" class="coverage-panel" data-testid="coverage-panel">
      <h3 id="coverage-heading">Test coverage</h3>
      <Alert message={runs.error} />
      {data && !data.latest && (
        <p class="muted">
          No coverage measured yet: generate tests to measure it with the repository's own runner.
        </p>
      )}
      {data?.latest && (
        <>
          <p>
            Measured by the run of{' '}
            <a href={routeHref(repoId, 'tests', { run: data.latest.id })}>
              {formatTime(data.latest.startedAt)}
            </a>{' '}
            (<span class={`status status-${data.latest.status}`}>{data.latest.status}</span>) with{' '}
            {data.latest.runner}
            {data.latest.branch && (
              <>
                ; kept tests on <code>{data.latest.branch}</code>
              </>
            )}
            .
          </p>
          <CoverageTable
            run={data.latest}
            caption="Coverage of the suite before and after the kept tests"
          />
        </>
      )}
      {data && data.runs.length > 0 && (
        <table class="test-runs">
          <caption>Test-generation runs</caption>
          <TableHead
            columns={[
              'Started',
              'Outcome',
              ['Lines', 'num'],
              ['Branches', 'num'],
              ['Kept of generated', 'num'],
              'Branch',
            ]}
          />
          <tbody>
            {data.runs.map((run) => (
              <RunRow key={run.id} repoId={repoId} run={run} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
