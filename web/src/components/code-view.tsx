import { useEffect } from 'preact/hooks';
import { Alert } from './alert';
import { GradeBadge } from './grade';
import { TableHead } from './table-head';
import { useResource } from '../context';
import { formatTime } from '../format';
import { routeHref } from '../route';
import type { FileView, FindingItem } from '../types';

function InlineFinding({ repoId, finding }: { repoId: string; finding: FindingItem }) {
  return (
    <div class={`inline-finding inline-${finding.severity}`} role="note" data-rule={finding.ruleId}>
      <span class="marker" aria-hidden="true">
        ▲
      </span>{' '}
      <span class={`sev sev-${finding.severity}`}>{finding.severity}</span>{' '}
      <a href={routeHref(repoId, 'findings', { rule: finding.ruleId })}>
        <code>{finding.ruleId}</code>
      </a>
      : {finding.message}
    </div>
  );
}

/** Lines `first`..`last` of a file, marked: a finding's line, or a citation's range. */
interface Marked {
  first: number;
  last: number;
}

/** The file's lines, numbered, each followed by the findings that start on it. */
function Source({
  repoId,
  content,
  findings,
  marked,
}: {
  repoId: string;
  content: string;
  findings: readonly FindingItem[];
  marked: Marked | null;
}) {
  const byLine = new Map<number, FindingItem[]>();
  for (const f of findings) byLine.set(f.line, [...(byLine.get(f.line) ?? []), f]);
  const lines = content.endsWith('\n') ? content.slice(0, -1).split('\n') : content.split('\n');
  return (
    <div class="code" role="region" aria-label="Source" tabIndex={0}>
      {lines.map((text, i) => {
        const n = i + 1;
        const here = byLine.get(n);
        return (
          <div
            key={n}
            id={`L${n}`}
            class={`code-row${marked && n >= marked.first && n <= marked.last ? ' target' : ''}${here ? ' flagged' : ''}`}
          >
            <div class="code-line">
              <span class="ln" aria-hidden="true">
                {n}
              </span>
              <code>{text || ' '}</code>
            </div>
            {here?.map((f, k) => (
              <InlineFinding key={k} repoId={repoId} finding={f} />
            ))}
          </div>
        );
      })}
    </div>
  );
}

function Proposals({ repoId, proposals }: { repoId: string; proposals: FileView['proposals'] }) {
  if (proposals.length === 0)
    return <p class="muted">No improvement run has proposed a change to this file.</p>;
  return (
    <div class="scroll-x">
      <table>
        <TableHead columns={['Run', 'Rule', 'Line', 'Model', 'Outcome']} />
        <tbody>
          {proposals.map((p) => (
            <tr key={p.id}>
              <td>
                <a href={routeHref(repoId, 'run', { run: p.runId, change: p.id })}>run {p.runId}</a>
              </td>
              <td>
                <code>{p.ruleId}</code>
              </td>
              <td class="num">{p.line}</td>
              <td>{p.model}</td>
              <td>
                <span class={`status status-${p.status}`}>{p.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Why the file is not shown, and its findings as a list instead. */
function Unavailable({ repoId, data }: { repoId: string; data: FileView }) {
  return (
    <>
      <p class="notice" data-testid="unavailable">
        The file is not shown: {data.unavailable?.message ?? 'not available'}.
      </p>
      <ul class="finding-list">
        {data.findings.map((f, i) => (
          <li key={i}>
            <code>
              {f.file}:{f.line}
            </code>{' '}
            <InlineFinding repoId={repoId} finding={f} />
          </li>
        ))}
      </ul>
    </>
  );
}

function FileBody({
  repoId,
  data,
  marked,
}: {
  repoId: string;
  data: FileView;
  marked: Marked | null;
}) {
  const { scan, file, findings } = data;
  const elsewhere = data.commit && data.commit !== scan.commit ? data.commit : null;
  return (
    <>
      <p class="muted">
        {file.kind} file, scan {scan.id} of {formatTime(scan.at)}
        {scan.commit && (
          <>
            {' '}
            at <code>{scan.commit.slice(0, 12)}</code>
          </>
        )}
        ; {findings.length === 1 ? '1 finding' : `${findings.length} findings`}.
      </p>
      {elsewhere && (
        <p class="notice" data-testid="other-commit">
          Shown as it is at commit <code>{elsewhere.slice(0, 12)}</code> (the cited one), not at the
          scan's: the scan's findings are not listed, as their lines may have moved.
        </p>
      )}
      {data.content === null ? (
        <Unavailable repoId={repoId} data={data} />
      ) : (
        <Source repoId={repoId} content={data.content} findings={findings} marked={marked} />
      )}
      <section aria-labelledby="file-proposals-heading">
        <h3 id="file-proposals-heading">Changes proposed to this file</h3>
        <Proposals repoId={repoId} proposals={data.proposals} />
      </section>
    </>
  );
}

/**
 * One file of a scan as it was scanned, with its findings inline and the changes proposed to it;
 * or, for a citation, as it is at the cited commit with the cited lines marked.
 */
export function CodeView({ repoId, params }: { repoId: string; params: URLSearchParams }) {
  const id = encodeURIComponent(repoId);
  const path = params.get('path') ?? '';
  const scan = params.get('scan');
  const commit = params.get('commit');
  const line = Number(params.get('line')) || null;
  const end = Number(params.get('end')) || null;
  const marked = line ? { first: line, last: end && end > line ? end : line } : null;
  const query = new URLSearchParams({
    path,
    ...(scan ? { scan } : {}),
    ...(commit ? { commit } : {}),
  }).toString();
  const view = useResource(
    (api) => api.get<FileView>(`/api/repos/${id}/file?${query}`),
    [id, query],
  );
  const data = view.data;

  useEffect(() => {
    // A cited range is shown from its first line; a single line in the middle of the screen.
    if (data?.content != null && marked)
      document
        .getElementById(`L${marked.first}`)
        ?.scrollIntoView({ block: marked.last > marked.first ? 'start' : 'center' });
  }, [data, marked?.first, marked?.last]);

  return (
    <article class="code-view" aria-labelledby="code-heading">
      <p>
        <a href={routeHref(repoId)}>← Repository</a> ·{' '}
        <a href={routeHref(repoId, 'findings', { file: path })}>Findings in this file</a>
      </p>
      <header class="repo-header">
        <h2 id="code-heading">
          <code>{path}</code>
        </h2>
        {data && <GradeBadge grade={data.file.grade} score={data.file.score} />}
      </header>
      <Alert message={view.error} />
      {data ? (
        <FileBody repoId={repoId} data={data} marked={marked} />
      ) : (
        !view.error && <p class="muted">Loading…</p>
      )}
    </article>
  );
}
