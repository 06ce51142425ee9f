import { InputError, redactSecrets } from '../../core/index.js';
import type { GitHubRepo } from './remote.js';

/** Where and how the GitHub REST API is called; `token` is only ever sent in a header. */
export interface GitHubSettings {
  apiUrl: string;
  token: string;
  timeoutMs: number;
}

/** A pull request as the API describes it (the fields used). */
export interface PullRequest {
  url: string;
  number: number;
}

interface Answer {
  status: number;
  body: unknown;
}

const API_VERSION = '2022-11-28';

function describeHost(apiUrl: string): string {
  return new URL(apiUrl).host;
}

/** One request; a network failure, a timeout or a body that is not JSON is an InputError. */
async function call(
  settings: GitHubSettings,
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
): Promise<Answer> {
  const where = `the GitHub API at ${describeHost(settings.apiUrl)}`;
  let response: Response;
  try {
    response = await fetch(`${settings.apiUrl.replace(/\/+$/, '')}${route}`, {
      method,
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${settings.token}`,
        'X-GitHub-Api-Version': API_VERSION,
        'User-Agent': 'beast-mode',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      // A redirect could carry the token to another host: reported instead of followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    const why = timedOut
      ? `did not answer within ${settings.timeoutMs / 1000}s`
      : `could not be reached (${networkReason(error)})`;
    throw new InputError(`--pr: ${where} ${why}`, { cause: error });
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 300 && response.status < 400) {
    throw new InputError(
      `--pr: ${where} answered ${response.status} (a redirect, not followed); check delivery.github.apiUrl`,
    );
  }
  try {
    return {
      status: response.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  } catch {
    throw new InputError(`--pr: ${where} answered ${response.status} with a body that is not JSON`);
  }
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** The API's own words for a failure: its `message`, and the first of its `errors`. */
function apiMessage(body: unknown): string {
  if (typeof body !== 'object' || body === null) return 'no message';
  const { message, errors } = body as { message?: unknown; errors?: unknown };
  const first = Array.isArray(errors)
    ? (errors[0] as { message?: unknown } | undefined)
    : undefined;
  const detail = typeof first?.message === 'string' ? `: ${first.message}` : '';
  const text = `${typeof message === 'string' ? message.split('\n')[0] : 'no message'}${detail}`;
  // An API (or a proxy in front of it) may echo the request's token back.
  return redactSecrets(text);
}

function failure(status: number, body: unknown, repo: GitHubRepo): InputError {
  const name = `${repo.owner}/${repo.repo}`;
  const hint: Record<number, string> = {
    401: 'the token was refused (expired or wrong?)',
    403: `the token may not open pull requests on ${name}`,
    404: `${name} was not found, or the token cannot see it`,
  };
  return new InputError(
    `--pr: GitHub answered ${status}${hint[status] ? `, ${hint[status]}` : ''} (${apiMessage(body)})`,
  );
}

function asPullRequest(body: unknown, status: number, apiUrl: string): PullRequest {
  const { html_url: url, number } = (body ?? {}) as { html_url?: unknown; number?: unknown };
  if (typeof url !== 'string' || typeof number !== 'number') {
    throw new InputError(
      `--pr: the GitHub API at ${describeHost(apiUrl)} answered ${status} without a pull request's html_url and number`,
    );
  }
  return { url, number };
}

/** The repository's default branch (`GET /repos/{owner}/{repo}`). */
export async function defaultBranch(settings: GitHubSettings, repo: GitHubRepo): Promise<string> {
  const answer = await call(settings, 'GET', `/repos/${repo.owner}/${repo.repo}`);
  if (answer.status !== 200) throw failure(answer.status, answer.body, repo);
  const branch = (answer.body as { default_branch?: unknown } | undefined)?.default_branch;
  if (typeof branch !== 'string') {
    throw new InputError(`--pr: GitHub did not name ${repo.owner}/${repo.repo}'s default branch`);
  }
  return branch;
}

/** The open pull request from `branch`, if there is one. */
async function findOpen(
  settings: GitHubSettings,
  repo: GitHubRepo,
  branch: string,
): Promise<PullRequest | undefined> {
  const head = encodeURIComponent(`${repo.owner}:${branch}`);
  const route = `/repos/${repo.owner}/${repo.repo}/pulls?head=${head}&state=open`;
  const answer = await call(settings, 'GET', route);
  if (answer.status !== 200 || !Array.isArray(answer.body) || answer.body.length === 0) {
    return undefined;
  }
  return asPullRequest(answer.body[0], answer.status, settings.apiUrl);
}

/**
 * Opens a pull request (`POST /repos/{owner}/{repo}/pulls`). When GitHub answers 422 because one
 * is already open for the branch, that one is returned with `existing: true`.
 */
export async function openPullRequest(
  settings: GitHubSettings,
  repo: GitHubRepo,
  pr: { title: string; body: string; head: string; base: string },
): Promise<PullRequest & { existing: boolean }> {
  const answer = await call(settings, 'POST', `/repos/${repo.owner}/${repo.repo}/pulls`, pr);
  if (answer.status === 201) {
    return { ...asPullRequest(answer.body, answer.status, settings.apiUrl), existing: false };
  }
  if (answer.status === 422) {
    const open = await findOpen(settings, repo, pr.head);
    if (open) return { ...open, existing: true };
  }
  throw failure(answer.status, answer.body, repo);
}
