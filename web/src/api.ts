import { readSse, type SseEvent } from './sse';
import type { Job } from './types';

/** An error answer from the API: `{ error: { code, message } }` and its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  events(path: string, signal?: AbortSignal): AsyncGenerator<SseEvent>;
  /** POSTs `body` and reads the answer as server-sent events (EventSource can only GET). */
  stream(path: string, body: unknown, signal?: AbortSignal): AsyncGenerator<SseEvent>;
}

async function* eventsOf(response: Response): AsyncGenerator<SseEvent> {
  if (!response.body) throw new ApiError(response.status, 'no_body', 'The event stream is empty');
  yield* readSse(response.body);
}

/** The API's error answer as an ApiError. */
export async function toApiError(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON (a proxy's error page, say): the status line is all there is.
  }
  return new ApiError(response.status, code, message);
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A client of the BEAST MODE HTTP API for the dashboard: the browser sends the session cookie
 * (HttpOnly, so the page never holds the token) and every change carries the session's CSRF token.
 * If another tab logged in again since, the server names the CSRF token wrong: it is read once more
 * from `GET /api/session` and the request retried. `baseUrl` is for callers elsewhere (tests, say).
 */
export function createApi(csrfToken: string, baseUrl = ''): Api {
  let csrf = csrfToken;
  const send = (path: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (MUTATING.has(init.method ?? 'GET')) headers.set('X-CSRF-Token', csrf);
    return fetch(baseUrl + path, { ...init, headers, credentials: 'same-origin' });
  };
  const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
    let response = await send(path, init);
    if (response.status === 403 && MUTATING.has(init.method ?? 'GET')) {
      const error = await toApiError(response.clone());
      const read = error.code === 'csrf' ? await fetch(`${baseUrl}/api/session`) : undefined;
      const { session } = read?.ok
        ? ((await read.json()) as { session: { csrfToken: string } | null })
        : { session: null };
      if (session) {
        csrf = session.csrfToken;
        response = await send(path, init);
      }
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  };
  return {
    async get<T>(path: string) {
      return (await (await request(path)).json()) as T;
    },
    async post<T>(path: string, body: unknown) {
      const response = await request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as T;
    },
    // The cookie goes with the stream's request as with any other: no token in its URL or headers.
    async *events(path: string, signal?: AbortSignal) {
      yield* eventsOf(await request(path, { headers: { Accept: 'text/event-stream' }, signal }));
    },
    async *stream(path: string, body: unknown, signal?: AbortSignal) {
      yield* eventsOf(
        await request(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
          body: JSON.stringify(body),
          signal,
        }),
      );
    },
  };
}

export const FINISHED: ReadonlySet<Job['status']> = new Set([
  'succeeded',
  'failed',
  'interrupted',
  'cancelled',
]);

/** What a job event stream tells: progress as it comes, then the final job. */
export type JobUpdate =
  | { type: 'progress'; progress: unknown }
  /** `job` when the server sends the whole job with its new status, as `beast serve` does. */
  | { type: 'status'; status: string; job?: Job }
  | { type: 'done'; job: Job };

/** An event's data as JSON, or the text itself when it is not JSON. */
export function parseData(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

/** Turns one event of `/api/jobs/:id/events` into an update; unknown events are ignored. */
export function toJobUpdate(event: SseEvent): JobUpdate | null {
  const value = parseData(event.data);
  switch (event.event) {
    case 'progress':
      return { type: 'progress', progress: value };
    case 'status': {
      if (typeof value !== 'object' || value === null || !('status' in value))
        return { type: 'status', status: String(value) };
      const status = String((value as { status: unknown }).status);
      return 'id' in value
        ? { type: 'status', status, job: value as Job }
        : { type: 'status', status };
    }
    case 'done': {
      const job =
        typeof value === 'object' && value !== null && 'job' in value
          ? (value as { job: Job }).job
          : (value as Job);
      return { type: 'done', job };
    }
    default:
      return null;
  }
}

/**
 * Follows a job's event stream until it is done and returns the final job. When the stream ends
 * without a `done` event (a proxy cut it, the server restarted), the job is read once more instead.
 */
export async function followJob(
  api: Api,
  jobId: Job['id'],
  onUpdate: (update: JobUpdate) => void,
  signal?: AbortSignal,
): Promise<Job> {
  const id = encodeURIComponent(String(jobId));
  for await (const event of api.events(`/api/jobs/${id}/events`, signal)) {
    const update = toJobUpdate(event);
    if (!update) continue;
    onUpdate(update);
    if (update.type === 'done') return update.job;
  }
  const { job } = await api.get<{ job: Job }>(`/api/jobs/${id}`);
  return job;
}
