import { useEffect, useState } from 'preact/hooks';
import { Alert } from './alert';
import { ApiError, FINISHED } from '../api';
import { errorText, useResource, useSession } from '../context';
import { formatScore, formatTime, plural } from '../format';
import { fileHref, routeHref } from '../route';
import type { ImprovementRun, Job, RepoDetail as Detail, RepoSummary } from '../types';
import { CountTable } from './count-table';
import { CoveragePanel } from './coverage-panel';
import { ImproveButton, type ImproveChoice } from './forms';
import { GradeBadge } from './grade';
import { ImprovementRuns } from './improvement-runs';
import { JobTable, LiveJob } from './jobs';
import { ScoreChart } from './score-chart';
import { TableHead } from './table-head';
import { TestsButton, type TestsChoice } from './tests-form';

type JobKind = 'scan' | 'improve';

/** One repository: its latest scan, trend, hotspots, improvement runs and jobs. */
export function RepoDetail({
  repoId,
  summary,
  onChanged,
}: {
  repoId: string;
  /** The repository's line in the list, which also counts the files scanned. */
  summary: RepoSummary | undefined;
  onChanged: () => void;
}) {
  const { api, unauthorized } = useSession();
  const id = encodeURIComponent(repoId);
  const detail = useResource((a) => a.get<Detail>(`/api/repos/${id}`), [id]);
  const runs = useResource(
    (a) => a.get<{ runs: ImprovementRun[] }>(`/api/repos/${id}/improvements`).then((r) => r.runs),
    [id],
  );
  const jobs = useResource(
    (a) => a.get<{ jobs: Job[] }>(`/api/jobs?repo=${id}&limit=10`).then((r) => r.jobs),
    [id],
  );
  const [active, setActive] = useState<Job[]>([]);
  const [startError, setStartError] = useState<string | null>(null);
  // Bumped when a job ends: a tests job records a run the coverage panel then shows.
  const [finishedJobs, setFinishedJobs] = useState(0);

  // Jobs that were already running when the page opened are followed too.
  useEffect(() => {
    const running = (jobs.data ?? []).filter((job) => !FINISHED.has(job.status));
    if (running.length === 0) return;
    setActive((prev) => [...prev, ...running.filter((j) => !prev.some((p) => p.id === j.id))]);
  }, [jobs.data]);

  /** Queues a job (its route and body) and follows it. */
  const queue = async (route: string, body: Record<string, unknown>): Promise<void> => {
    setStartError(null);
    try {
      const { job } = await api.post<{ job: Job }>(route, {
        repo: detail.data?.repo.id ?? repoId,
        ...body,
      });
      setActive((prev) => [job, ...prev.filter((p) => p.id !== job.id)]);
    } catch (cause) {
      if (cause instanceof ApiError && cause.status === 401) return unauthorized();
      setStartError(errorText(cause));
    }
  };
  const start = (kind: JobKind, options?: ImproveChoice): Promise<void> =>
    queue(`/api/self-improvement/${kind}`, options ? { options } : {});
  const startTests = (choice: TestsChoice): Promise<void> =>
    queue('/api/codebase/tests/generate', { ...choice });

  const finished = (final: Job): void => {
    setActive((prev) => prev.map((job) => (job.id === final.id ? final : job)));
    detail.reload();
    runs.reload();
    jobs.reload();
    setFinishedJobs((n) => n + 1);
    onChanged();
  };

  const busy = active.some((job) => !FINISHED.has(job.status));
  // Jobs still running, and the newest finished one for its outcome; the table lists the rest.
  const newestFinished = active.find((job) => FINISHED.has(job.status));
  const shown = active.filter((job) => !FINISHED.has(job.status) || job === newestFinished);
  const data = detail.data;
  if (detail.error) return <Alert message={detail.error} />;
  if (!data) return <p class="muted">Loading…</p>;
  const { repo, latest } = data;

  return (
    <article class="repo-detail" aria-labelledby="repo-heading">
      <header class="repo-header">
        <div>
          <h2 id="repo-heading">{repo.name}</h2>
          <p class="muted">
            <code>{repo.root}</code>
          </p>
        </div>
        {latest && <GradeBadge grade={latest.grade} score={latest.score} />}
      </header>

      <div class="actions">
        <button type="button" onClick={() => void start('scan')} disabled={busy}>
          Scan now
        </button>
        {(['fix', 'refactor'] as const).map((kind) => (
          <ImproveButton
            key={kind}
            kind={kind}
            repo={repo}
            disabled={busy}
            onStart={(choice) => void start('improve', choice)}
          />
        ))}
        <TestsButton repo={repo} disabled={busy} onStart={(choice) => void startTests(choice)} />
      </div>
      <Alert message={startError} />
      <div role="status" aria-live="polite" class="live-jobs">
        {shown.map((job) => (
          <LiveJob key={job.id} job={job} onFinished={finished} />
        ))}
      </div>

      {!latest ? (
        <p class="muted">Not scanned yet: start a scan to see its grade and trend.</p>
      ) : (
        <>
          <p>{describeScan(latest, summary)}</p>
          <ScoreChart trend={data.trend} />
          <div class="grid">
            <table>
              <caption>Score components</caption>
              <tbody>
                {Object.entries(latest.components).map(([name, value]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td class="num">{formatScore(value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <CountTable
              caption="Findings by category"
              label="Category"
              counts={latest.findingsByCategory}
            />
            <CountTable
              caption="Findings by severity"
              label="Severity"
              counts={latest.findingsBySeverity}
            />
          </div>
          <section aria-labelledby="hotspots-heading">
            <h3 id="hotspots-heading">Hotspots</h3>
            <HotspotTable hotspots={data.hotspots} unavailable={data.hotspotsUnavailable} />
          </section>
          <section aria-labelledby="findings-heading">
            <h3 id="findings-heading">Top findings</h3>
            <p>
              <a href={routeHref(repoId, 'findings')}>Browse all findings</a>
            </p>
            <FindingTable repoId={repoId} findings={latest.topFindings} />
          </section>
        </>
      )}

      <CoveragePanel repoId={repoId} version={finishedJobs} />

      <section aria-labelledby="runs-heading">
        <h3 id="runs-heading">Improvement runs</h3>
        <Alert message={runs.error} />
        {runs.data && <ImprovementRuns repoId={repoId} runs={runs.data} />}
      </section>
      <section aria-labelledby="jobs-heading">
        <h3 id="jobs-heading">Jobs</h3>
        <Alert message={jobs.error} />
        {jobs.data && <JobTable jobs={jobs.data} />}
      </section>
    </article>
  );
}

function describeScan(latest: NonNullable<Detail['latest']>, summary: RepoSummary | undefined) {
  const findings = Object.values(latest.findingsBySeverity).reduce((a, b) => a + b, 0);
  const files =
    summary?.latest?.scanId === latest.scanId ? `${plural(summary.latest.files, 'file')}, ` : '';
  return (
    `Last scanned ${formatTime(latest.at)}: score ${formatScore(latest.score)}, ` +
    `grade ${latest.grade}, ${files}${plural(findings, 'finding')}.`
  );
}

function HotspotTable({
  hotspots,
  unavailable,
}: {
  hotspots: Detail['hotspots'];
  unavailable: Detail['hotspotsUnavailable'];
}) {
  if (unavailable) return <p class="muted">Hotspots were not computed: {unavailable}.</p>;
  if (hotspots.length === 0) return <p class="muted">No hotspots: the history is too short.</p>;
  return (
    <table>
      <TableHead
        columns={['File', ['Commits', 'num'], ['Complexity', 'num'], ['Hotspot score', 'num']]}
      />
      <tbody>
        {hotspots.map((h) => (
          <tr key={h.path}>
            <td>
              <code>{h.path}</code>
            </td>
            <td class="num">{h.commits}</td>
            <td class="num">{h.complexity}</td>
            <td class="num">{formatScore(h.score)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FindingTable({
  repoId,
  findings,
}: {
  repoId: string;
  findings: NonNullable<Detail['latest']>['topFindings'];
}) {
  if (findings.length === 0) return <p class="muted">No findings.</p>;
  return (
    <table>
      <TableHead columns={['Severity', 'Rule', 'Where', 'Message']} />
      <tbody>
        {findings.map((f, i) => (
          <tr key={i}>
            <td>
              <span class={`sev sev-${f.severity}`}>{f.severity}</span>
            </td>
            <td>
              <code>{f.ruleId}</code>
            </td>
            <td>
              <a href={fileHref(repoId, f.file, f.line)}>
                <code>
                  {f.file}:{f.line}
                </code>
              </a>
            </td>
            <td>{f.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
