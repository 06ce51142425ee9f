import { formatDelta, formatScore, formatTime } from '../format';
import { routeHref } from '../route';
import type { ImprovementRun } from '../types';
import { TableHead } from './table-head';

// Runs recorded before the report measured only delivered changes may carry a score after that
// credits withheld ones, so the delta is shown only for runs that delivered (or would have).
const DELIVERED = new Set(['delivered', 'dry-run']);

function withheld(run: ImprovementRun): number {
  return run.changes.filter((c) => c.status === 'withheld').length;
}

/** Improvement runs with the score before and after, and each proposed change's fate. */
export function ImprovementRuns({
  repoId,
  runs,
}: {
  repoId: string;
  runs: readonly ImprovementRun[];
}) {
  if (runs.length === 0) return <p class="muted">No improvement runs yet.</p>;
  return (
    <ul class="runs">
      {runs.map((run) => (
        <li key={run.id}>
          <details>
            <summary>
              <span>{formatTime(run.startedAt)}</span>{' '}
              <span class={`status status-${run.status}`}>{run.status}</span>{' '}
              {DELIVERED.has(run.status) ? (
                <span>
                  score {formatScore(run.scoreBefore)} → {formatScore(run.scoreAfter)}{' '}
                  <b>{formatDelta(run.scoreBefore, run.scoreAfter)}</b>
                  {run.status === 'dry-run' && ' (as it would be)'}
                </span>
              ) : (
                <span>score {formatScore(run.scoreBefore)}, nothing delivered</span>
              )}{' '}
              <span class="accepted">{run.accepted} accepted</span>,{' '}
              <span class="withheld">{withheld(run)} withheld</span>,{' '}
              <span class="rejected">{run.rejected} rejected</span>
              {run.branch && (
                <>
                  {' '}
                  on <code>{run.branch}</code>
                </>
              )}
            </summary>
            {run.changes.length === 0 ? (
              <p class="muted">No changes proposed.</p>
            ) : (
              <table>
                <TableHead columns={['Rule', 'Where', 'Model', 'Outcome', 'Why']} />
                <tbody>
                  {run.changes.map((change, i) => (
                    <tr key={i}>
                      <td>
                        <code>{change.ruleId}</code>
                      </td>
                      <td>
                        <code>
                          {change.file}:{change.line}
                        </code>
                      </td>
                      <td>{change.model}</td>
                      <td>
                        <span class={`status status-${change.status}`}>{change.status}</span>
                      </td>
                      <td>{[change.gate, change.reason].filter(Boolean).join(': ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </details>
          <a class="run-link" href={routeHref(repoId, 'run', { run: run.id })}>
            Changes, evidence and diffs of this run
          </a>
        </li>
      ))}
    </ul>
  );
}
