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

function Change({ repoId, change }: { repoId: string; change: RunChange }) {
  return (
    <section
      class="change"
      id={`change-${change.id}`}
      data-status={change.status}
      aria-labelledby={`change-${change.id}-title`}
    >
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
      <p>
        {change.title}
        {change.message && <span class="muted"> — {change.message}</span>}
      </p>
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
      {(change.gate || change.reason) && (
        <p class="rejected">
          {[change.gate && `Rejected by ${change.gate}`, change.reason].filter(Boolean).join(': ')}
        </p>
      )}
      <Checks checks={change.checks} />
      {change.scores.length > 0 && (
        <p class="muted">
          {change.scores
            .map((s) => `${s.file}: ${formatScore(s.before)} → ${formatScore(s.after)}`)
            .join('; ')}
        </p>
      )}
      {change.diffNote && <p class="muted">{change.diffNote}</p>}
      {change.diff ? (
        <DiffView diff={change.diff} />
      ) : (
        !change.diffNote && <p class="muted">No diff kept.</p>
      )}
    </section>
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
      {!data ? (
        !detail.error && <p class="muted">Loading…</p>
      ) : (
        <>
          <p>
            {formatTime(data.run.startedAt)}:{' '}
            <span class={`status status-${data.run.status}`}>{data.run.status}</span>
            {data.run.kind && ` (${data.run.kind})`}, score {formatScore(data.run.scoreBefore)} →{' '}
            {formatScore(data.run.scoreAfter)}{' '}
            <b>{formatDelta(data.run.scoreBefore, data.run.scoreAfter)}</b>,{' '}
            <span class="accepted">{data.run.accepted} accepted</span>,{' '}
            <span class="rejected">{data.run.rejected} rejected</span>, in{' '}
            {formatMs(data.run.durationMs)}.
          </p>
          <p class="muted">
            From <code>{data.run.baseCommit.slice(0, 12)}</code>
            {data.run.branch && (
              <>
                {' '}
                on branch <code>{data.run.branch}</code>
              </>
            )}
            {data.run.ordering && `; ${data.run.ordering}`}.
          </p>
          {data.run.checks.length > 0 && (
            <>
              <h3>Checks</h3>
              <ul class="checks">
                {data.run.checks.map((check) => (
                  <li key={check.name} class={check.ran ? '' : 'muted'}>
                    <b>{check.name}</b> {check.ran ? 'ran' : 'not run'}: {check.detail}
                  </li>
                ))}
              </ul>
            </>
          )}
          {data.run.warnings.length > 0 && (
            <ul class="warnings">
              {data.run.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          )}
          <h3>Changes</h3>
          {data.total === 0 && <p class="muted">No changes proposed.</p>}
          {data.changes.map((change) => (
            <Change key={change.id} repoId={repoId} change={change} />
          ))}
          <nav class="pager" aria-label="Pages">
            {offset > 0 && (
              <a
                href={routeHref(repoId, 'run', {
                  run: params.get('run'),
                  offset: Math.max(0, offset - PAGE),
                })}
              >
                ← Previous changes
              </a>
            )}
            {offset + data.changes.length < data.total && (
              <a href={routeHref(repoId, 'run', { run: params.get('run'), offset: offset + PAGE })}>
                Next changes →
              </a>
            )}
          </nav>
        </>
      )}
    </article>
  );
}
