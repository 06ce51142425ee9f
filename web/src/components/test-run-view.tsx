import { Alert } from './alert';
import { CoverageTable } from './coverage-panel';
import { useResource } from '../context';
import { formatCoverage, formatMs, formatTime } from '../format';
import { fileHref, routeHref } from '../route';
import { FUNNEL_STAGES, type FunnelStage, type TestGenRunDetail, type TestVerdict } from '../types';
import { TableHead } from './table-head';

type Run = TestGenRunDetail['run'];

const STAGE_LABELS: Record<FunnelStage, string> = {
  generated: 'Generated',
  built: 'Built',
  passed: 'Passed',
  stable: 'Stable',
  useful: 'Useful',
  kept: 'Kept',
};

/** Test cases that reached each stage of the gate, each bar as wide as its share of generated. */
function Funnel({ funnel }: { funnel: Run['funnel'] }) {
  const generated = funnel.generated;
  return (
    <ol class="funnel" aria-label="Test gate funnel">
      {FUNNEL_STAGES.map((stage) => (
        <li key={stage} data-stage={stage}>
          <span class="funnel-stage">{STAGE_LABELS[stage]}</span>
          <span class="funnel-count num">{funnel[stage]}</span>
          <span
            class="funnel-bar"
            aria-hidden="true"
            style={{ width: generated > 0 ? `${(funnel[stage] / generated) * 100}%` : '0' }}
          />
        </li>
      ))}
    </ol>
  );
}

function FileTable({ repoId, files }: { repoId: string; files: Run['files'] }) {
  if (files.length === 0) return <p class="muted">No file was worked on.</p>;
  return (
    <table class="file-coverage">
      <caption>Coverage of each file worked on</caption>
      <TableHead
        columns={[
          'File',
          ['Lines before', 'num'],
          ['Lines after', 'num'],
          ['Branches before', 'num'],
          ['Branches after', 'num'],
        ]}
      />
      <tbody>
        {files.map((f) => (
          <tr key={f.file} data-file={f.file}>
            <td>
              <a href={fileHref(repoId, f.file)}>
                <code>{f.file}</code>
              </a>
            </td>
            <td class="num lines-before">{formatCoverage(f.before?.lines)}</td>
            <td class="num lines-after">{formatCoverage(f.after?.lines)}</td>
            <td class="num branches-before">{formatCoverage(f.before?.branches)}</td>
            <td class="num branches-after">{formatCoverage(f.after?.branches)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Verdict({ verdict }: { verdict: TestVerdict }) {
  return verdict.kept ? (
    <span class="status status-accepted">kept</span>
  ) : (
    <span class="status status-rejected">stopped after {verdict.stage}</span>
  );
}

function VerdictTable({ verdicts }: { verdicts: TestVerdict[] }) {
  if (verdicts.length === 0) return <p class="muted">No test file was generated.</p>;
  return (
    <table class="verdicts">
      <caption>The gate's verdict on each generated test file</caption>
      <TableHead
        columns={[
          'Test file',
          'Tests',
          'Model',
          'Verdict',
          'Why',
          ['Cases kept', 'num'],
          ['Mutants killed', 'num'],
        ]}
      />
      <tbody>
        {verdicts.map((v, i) => (
          <tr key={i} data-verdict={v.kept ? 'kept' : 'rejected'} data-file={v.file}>
            <td>
              <code>{v.file}</code>
            </td>
            <td>
              <code>{v.target}</code>
            </td>
            <td>
              {v.model}
              {v.attempt > 1 && <span class="muted"> (attempt {v.attempt})</span>}
            </td>
            <td>
              <Verdict verdict={v} />
            </td>
            <td class="reason">{v.reason ?? ''}</td>
            <td class="num">
              {v.funnel.kept} of {v.funnel.generated}
            </td>
            <td class="num">
              {v.mutants.tried > 0 ? `${v.mutants.killedOnlyByNew} of ${v.mutants.tried}` : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Summary({ run }: { run: Run }) {
  return (
    <>
      <p>
        {formatTime(run.startedAt)}: <span class={`status status-${run.status}`}>{run.status}</span>
        {run.reason && <> ({run.reason})</>}, in {formatMs(run.durationMs)}.
      </p>
      <p class="muted">
        From <code>{run.baseCommit.slice(0, 12)}</code>
        {run.branch ? (
          <>
            ; kept tests committed on branch <code data-testid="test-branch">{run.branch}</code>
          </>
        ) : (
          '; no branch'
        )}
        . Runner: {run.runner}. Coverage: {run.coverageHow}.
      </p>
    </>
  );
}

/** A test-generation run: its funnel, coverage before and after per file, and the gate's verdicts. */
export function TestRunView({ repoId, params }: { repoId: string; params: URLSearchParams }) {
  const runId = encodeURIComponent(params.get('run') ?? '');
  const detail = useResource(
    (api) => api.get<TestGenRunDetail>(`/api/codebase/tests/runs/${runId}`),
    [runId],
  );
  const run = detail.data?.run;
  return (
    <article class="test-run" aria-labelledby="test-run-heading">
      <p>
        <a href={routeHref(repoId)}>← Repository</a>
      </p>
      <h2 id="test-run-heading">Test-generation run {params.get('run')}</h2>
      <Alert message={detail.error} />
      {run ? (
        <>
          <Summary run={run} />
          <CoverageTable
            run={run}
            caption="Coverage of the suite"
            measures={[
              ['lines', 'Lines'],
              ['branches', 'Branches'],
              ['statements', 'Statements'],
              ['functions', 'Functions'],
            ]}
          />
          <h3>Funnel</h3>
          <Funnel funnel={run.funnel} />
          <h3>Files</h3>
          <FileTable repoId={repoId} files={run.files} />
          <h3>Verdicts</h3>
          <VerdictTable verdicts={run.verdicts} />
          {run.skipped.length > 0 && (
            <>
              <h3>Checks not run</h3>
              <ul class="warnings">
                {run.skipped.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            </>
          )}
          {run.warnings.length > 0 && (
            <ul class="warnings">
              {run.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          )}
        </>
      ) : (
        !detail.error && <p class="muted">Loading…</p>
      )}
    </article>
  );
}
