import { useEffect } from 'preact/hooks';
import { Alert } from './alert';
import { DiffView } from './run-diff';
import { useResource } from '../context';
import { formatDelta, formatMs, formatScore, formatTime, formatUsd } from '../format';
import { fileHref, routeHref } from '../route';
import type { RunChange, RunDetail as Detail } from '../types';

const PAGE = 50;

function Checks({ checks }: { checks: RunChange['checks'] }) {
  if (checks.length === 0) return <p class="muted">No check ran on this change.</p>;
  return (
    <ul class="checks">
      {checks.map((check) => (
        <li key={check.name} class={check.ok ? 'accepted' : 'rejected'}>
          {check.ok ? '✓' : '✗'} {check.name}
          {check.detail && <span class="muted">: {check.detail}</span>}{' '}
          <span class="muted">({formatMs(check.durationMs)})</span>
        </li>
      ))}
    </ul>
  );
}

function ChangeTitle({ repoId, change }: { repoId: string; change: RunChange }) {
  return (
    <h4 id={`change-${change.id}-title`}>
      <span class={`status status-${change.status}`}>{change.status}</span>{' '}
      <a href={routeHref(repoId, 'findings', { rule: change.ruleId })}>
        <code>{change.ruleId}</code>
      </a>{' '}
      in{' '}
      <a href={fileHref(repoId, change.file, change.line)}>
        <code>
          {change.file}:{change.line}
        </code>
      </a>
    </h4>
  );
}

/** Who proposed the change, what it cost, where it was committed and what rejected it. */
function ChangeFacts({ change }: { change: RunChange }) {
  const verdict = [change.gate && `Rejected by ${change.gate}`, change.reason].filter(Boolean);
  return (
    <>
      <p class="muted">
        Model {change.model}
        {change.selection && ` (${change.selection})`}, {formatMs(change.durationMs)}
        {change.costUsd !== null && `, ${formatUsd(change.costUsd)}`}
        {change.commit && (
          <>
            , commit <code>{change.commit.slice(0, 12)}</code>
          </>
        )}
      </p>
      {verdict.length > 0 && <p class="rejected">{verdict.join(': ')}</p>}
    </>
  );
}

function Change({ repoId, change }: { repoId: string; change: RunChange }) {
  const scores = change.scores
    .map((s) => `${s.file}: ${formatScore(s.before)} → ${formatScore(s.after)}`)
    .join('; ');
  return (
    <section
      class="change"
      id={`change-${change.id}`}
      data-status={change.status}
      aria-labelledby={`change-${change.id}-title`}
    >
      <ChangeTitle repoId={repoId} change={change} />
      <p>
        {change.title}
        {change.message && <span class="muted"> — {change.message}</span>}
      </p>
      <ChangeFacts change={change} />
      <Checks checks={change.checks} />
      {scores && <p class="muted">{scores}</p>}
      <p class="muted">{change.diffNote ?? (change.diff ? '' : 'No diff kept.')}</p>
      {change.diff && <DiffView diff={change.diff} />}
    </section>
  );
}

/** The run's outcome, the commit it started from, the checks it could run and its warnings. */
function RunSummary({ run }: { run: Detail['run'] }) {
  return (
    <>
      <p>
        {formatTime(run.startedAt)}: <span class={`status status-${run.status}`}>{run.status}</span>
        {run.kind && ` (${run.kind})`}, score {formatScore(run.scoreBefore)} →{' '}
        {formatScore(run.scoreAfter)} <b>{formatDelta(run.scoreBefore, run.scoreAfter)}</b>,{' '}
        <span class="accepted">{run.accepted} accepted</span>,{' '}
        <span class="rejected">{run.rejected} rejected</span>, in {formatMs(run.durationMs)}.
      </p>
      <p class="muted">
        From <code>{run.baseCommit.slice(0, 12)}</code>
        {run.branch && (
          <>
            {' '}
            on branch <code>{run.branch}</code>
          </>
        )}
        {run.ordering && `; ${run.ordering}`}.
      </p>
      <h3>Checks</h3>
      <ul class="checks">
        {run.checks.map((check) => (
          <li key={check.name} class={check.ran ? '' : 'muted'}>
            <b>{check.name}</b> {check.ran ? 'ran' : 'not run'}: {check.detail}
          </li>
        ))}
      </ul>
      <ul class="warnings">
        {run.warnings.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
    </>
  );
}

function Changes(props: { repoId: string; data: Detail; offset: number; run: string | null }) {
  const { repoId, data, offset, run } = props;
  const to = (at: number) => routeHref(repoId, 'run', { run, offset: at });
  return (
    <>
      <h3>Changes</h3>
      {data.total === 0 && <p class="muted">No changes proposed.</p>}
      {data.changes.map((change) => (
        <Change key={change.id} repoId={repoId} change={change} />
      ))}
      <nav class="pager" aria-label="Pages">
        {offset > 0 && <a href={to(Math.max(0, offset - PAGE))}>← Previous changes</a>}
        {offset + data.changes.length < data.total && (
          <a href={to(offset + PAGE)}>Next changes →</a>
        )}
      </nav>
    </>
  );
}

/** An improvement run: the checks it could run, and each change with its evidence and diff. */
export function RunDetail({ repoId, params }: { repoId: string; params: URLSearchParams }) {
  const id = encodeURIComponent(repoId);
  const runId = encodeURIComponent(params.get('run') ?? '');
  const offset = Number(params.get('offset') ?? 0) || 0;
  const focus = params.get('change');
  const detail = useResource(
    (api) =>
      api.get<Detail>(`/api/repos/${id}/improvements/${runId}?limit=${PAGE}&offset=${offset}`),
    [id, runId, offset],
  );
  const data = detail.data;

  useEffect(() => {
    if (data && focus) document.getElementById(`change-${focus}`)?.scrollIntoView();
  }, [data, focus]);

  return (
    <article class="run-detail" aria-labelledby="run-heading">
      <p>
        <a href={routeHref(repoId)}>← Repository</a>
      </p>
      <h2 id="run-heading">Improvement run {params.get('run')}</h2>
      <Alert message={detail.error} />
      {data ? (
        <>
          <RunSummary run={data.run} />
          <Changes repoId={repoId} data={data} offset={offset} run={params.get('run')} />
        </>
      ) : (
        !detail.error && <p class="muted">Loading…</p>
      )}
    </article>
  );
}
