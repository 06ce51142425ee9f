import { useEffect, useState } from 'preact/hooks';
import { ApiError, FINISHED, followJob, type JobUpdate } from '../api';
import { errorText, useSession } from '../context';
import { changeOutcome, describeProgress, describeResult, formatTime } from '../format';
import type { Job } from '../types';
import { TableHead } from './table-head';

interface Live {
  job: Job;
  progress: string;
  /** Changes an improve run has decided so far. */
  accepted: number;
  rejected: number;
}

/**
 * Follows a job's event stream while it runs and shows its progress in a live region; calls
 * `onFinished` with the final job once, so the page can reload what the job changed.
 */
export function LiveJob({ job, onFinished }: { job: Job; onFinished: (job: Job) => void }) {
  const { api, unauthorized } = useSession();
  const [live, setLive] = useState<Live>({
    job,
    progress: describeProgress(job.progress),
    accepted: 0,
    rejected: 0,
  });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (FINISHED.has(job.status)) return undefined;
    const abort = new AbortController();
    const apply = (update: JobUpdate): void =>
      setLive((prev) => {
        if (update.type === 'progress') {
          const outcome = changeOutcome(update.progress);
          return {
            ...prev,
            job: { ...prev.job, status: 'running' },
            progress: describeProgress(update.progress),
            accepted: prev.accepted + (outcome === 'accepted' ? 1 : 0),
            rejected: prev.rejected + (outcome === 'rejected' ? 1 : 0),
          };
        }
        if (update.type === 'status' && update.job)
          return {
            ...prev,
            job: update.job,
            progress: describeProgress(update.job.progress) || prev.progress,
          };
        if (update.type === 'status')
          return { ...prev, job: { ...prev.job, status: update.status as Job['status'] } };
        return { ...prev, job: update.job };
      });
    followJob(api, job.id, apply, abort.signal).then(
      (final) => {
        setLive((prev) => ({ ...prev, job: final }));
        onFinished(final);
      },
      (cause: unknown) => {
        if (abort.signal.aborted) return;
        if (cause instanceof ApiError && cause.status === 401) return unauthorized();
        setError(errorText(cause));
      },
    );
    return () => abort.abort();
    // Only a new job id starts a new stream; onFinished may be a fresh closure on every render.
  }, [api, job.id]);

  const { status } = live.job;
  return (
    <div
      class={`job job-${status}`}
      data-testid="job"
      data-job-id={live.job.id}
      data-status={status}
    >
      <span class="job-kind">{live.job.kind}</span> <span class="job-status">{status}</span>
      {!FINISHED.has(status) && <progress aria-label={`${live.job.kind} in progress`} />}
      {FINISHED.has(status) ? (
        <span class="job-progress"> {describeResult(live.job.result)}</span>
      ) : (
        live.progress && <span class="job-progress"> {live.progress}</span>
      )}
      {!FINISHED.has(status) && live.accepted + live.rejected > 0 && (
        <span>
          {' '}
          (<span class="accepted">{live.accepted} accepted</span>,{' '}
          <span class="rejected">{live.rejected} rejected</span> so far)
        </span>
      )}
      {status === 'failed' && live.job.error !== null && (
        <span class="error"> {errorText(jobErrorMessage(live.job.error))}</span>
      )}
      {error && <span class="error"> lost the event stream: {error}</span>}
    </div>
  );
}

function jobErrorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && 'message' in error)
    return String((error as { message: unknown }).message);
  return JSON.stringify(error);
}

/** The repository's recent jobs, newest first. */
export function JobTable({ jobs }: { jobs: readonly Job[] }) {
  if (jobs.length === 0) return <p class="muted">No jobs yet.</p>;
  return (
    <table>
      <caption>Recent jobs</caption>
      <TableHead columns={['Job', 'Kind', 'Status', 'Created', 'Finished']} />
      <tbody>
        {jobs.map((job) => (
          <tr key={job.id}>
            <td>{job.id}</td>
            <td>{job.kind}</td>
            <td>
              <span class={`status status-${job.status}`}>{job.status}</span>
            </td>
            <td>{formatTime(job.createdAt)}</td>
            <td>{formatTime(job.finishedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
