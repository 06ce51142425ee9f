import {
  ConfigError,
  holdSecrets,
  InputError,
  readSecret,
  rememberSecrets,
  resolveConfig,
} from '../../core/index.js';
import { git } from '../../fixes/index.js';
import type { ImproveReport } from '../improve/types.js';
import { applyBranch } from './apply.js';
import { defaultBranch, openPullRequest, type GitHubSettings } from './github.js';
import { pullRequestBody, pullRequestTitle } from './pr-body.js';
import { parseGitHubRemote, pushBranch, redactUrl, remoteUrl, type GitHubRepo } from './remote.js';
import type { DeliveryRequest, DeliveryResult } from './types.js';

/** The environment variable that points `--pr` at another API, over `delivery.github.apiUrl`. */
const API_URL_ENV = 'BEAST_GITHUB_API_URL';
const GITHUB_API = 'https://api.github.com';

/** Everything the delivery steps need, checked before the run so that a mistake costs no run. */
export interface DeliveryPlan {
  request: DeliveryRequest;
  repoRoot: string;
  /** The pull request's target; undefined: the repository's default branch, asked of the API. */
  github?: { settings: GitHubSettings; repo: GitHubRepo; base: string | undefined };
}

function isLoopback(host: string): boolean {
  return ['127.0.0.1', '[::1]', 'localhost'].includes(host);
}

/**
 * The API base URL, checked: `BEAST_GITHUB_API_URL` (set by whoever runs BEAST MODE) is taken as
 * is; one from beast.config.json, which the repository controls, must be the remote's own host,
 * so that a repository cannot send the user's token elsewhere. Plain http only to this machine.
 */
function resolveApiUrl(fromConfig: string, fromEnv: string | undefined, repo: GitHubRepo): string {
  const apiUrl = fromEnv ?? fromConfig;
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new ConfigError(`${API_URL_ENV}: "${apiUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new ConfigError(
      `--pr: the GitHub API URL ${url.origin} is not https; the token is never sent in the clear`,
    );
  }
  if (fromEnv !== undefined) return apiUrl;
  const expected = repo.host === 'github.com' ? 'api.github.com' : repo.host;
  if (url.hostname.toLowerCase() !== expected) {
    const hint =
      apiUrl === GITHUB_API
        ? `set delivery.github.apiUrl to https://${repo.host}/api/v3 for GitHub Enterprise`
        : `the token is only sent to the remote's own host (${API_URL_ENV} overrides)`;
    throw new ConfigError(
      `--pr: delivery.github.apiUrl points at ${url.host}, but the remote is on ${repo.host}; ${hint}`,
    );
  }
  return apiUrl;
}

async function currentBranch(repoRoot: string): Promise<string | undefined> {
  const head = await git(repoRoot, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return head.code === 0 ? head.stdout.trim() : undefined;
}

async function planPullRequest(
  setup: { root: string; env: Record<string, string | undefined> },
  repoRoot: string,
  request: DeliveryRequest & { push: string },
): Promise<NonNullable<DeliveryPlan['github']>> {
  const remote = request.push;
  const url = await remoteUrl(repoRoot, remote, { push: false });
  const repo = parseGitHubRemote(url);
  if (!repo) {
    throw new InputError(
      `--pr: remote ${remote} (${redactUrl(url)}) is not a GitHub repository URL (https://HOST/OWNER/REPO or git@HOST:OWNER/REPO)`,
    );
  }
  const { config } = await resolveConfig(setup.root, setup.env);
  const { tokenEnv, apiUrl, timeoutSeconds } = config.delivery.github;
  // The CLI moved the credentials it recognises out of the environment into memory; a token under
  // a name that does not look like one is moved now, before the repository's tests could inherit it.
  holdSecrets(setup.env, [tokenEnv]);
  const token = readSecret(setup.env, tokenEnv);
  if (token === undefined || token.trim() === '') {
    throw new ConfigError(
      `--pr: no GitHub token: set the environment variable ${tokenEnv} (named by delivery.github.tokenEnv)`,
    );
  }
  // Whatever echoes it trimmed (an API error message) is scrubbed before it is stored or printed.
  rememberSecrets([token.trim()]);
  const settings = {
    apiUrl: resolveApiUrl(apiUrl, setup.env[API_URL_ENV] || undefined, repo),
    token: token.trim(),
    timeoutMs: timeoutSeconds * 1000,
  };
  return { settings, repo, base: request.prBase ?? (await currentBranch(repoRoot)) };
}

/**
 * Checks a delivery request before the run: `--pr` needs `--push`, the remote exists, a GitHub
 * token is set for `--pr`, and the API URL may receive it. Throws a ConfigError or InputError.
 */
export async function prepareDelivery(
  setup: { root: string; env: Record<string, string | undefined> },
  request: DeliveryRequest,
): Promise<DeliveryPlan> {
  if (request.pr && request.push === undefined) {
    throw new ConfigError(
      '--pr needs --push REMOTE: the pull request is opened from the pushed branch',
    );
  }
  if (request.prBase !== undefined && !request.pr) {
    throw new ConfigError('--pr-base needs --pr');
  }
  const top = await git(setup.root, ['rev-parse', '--show-toplevel']);
  // Not a repository: the run itself says so, in its own words.
  if (top.code !== 0) return { request, repoRoot: setup.root };
  const repoRoot = top.stdout.trim();
  const plan: DeliveryPlan = { request, repoRoot };
  if (request.push === undefined) return plan;
  await remoteUrl(repoRoot, request.push, { push: true });
  if (request.pr)
    plan.github = await planPullRequest(setup, repoRoot, { ...request, push: request.push });
  return plan;
}

/** Whether the request asks for anything at all. */
export function wantsDelivery(request: DeliveryRequest): boolean {
  return request.apply === true || request.push !== undefined || request.pr === true;
}

function skippedBecause(report: ImproveReport, request: DeliveryRequest): string {
  const steps = [
    ...(request.push !== undefined ? ['push'] : []),
    ...(request.apply ? ['apply'] : []),
  ];
  return `nothing was delivered (${report.status}): nothing to ${steps.join(' or ')}`;
}

/**
 * Runs the delivery steps on a finished run's report, in order: push, pull request, apply (the
 * remote steps do not depend on the working tree). `result` is filled as steps complete, so a
 * step that throws leaves what the earlier ones did in it.
 */
export async function runDelivery(
  plan: DeliveryPlan,
  report: ImproveReport,
  result: DeliveryResult = {},
): Promise<DeliveryResult> {
  const { request, repoRoot } = plan;
  if (report.status !== 'delivered' || !report.branch || !report.head) {
    result.skipped = skippedBecause(report, request);
    return result;
  }
  const branch = report.branch;
  if (request.push !== undefined) {
    await pushBranch(repoRoot, request.push, branch);
    result.pushed = { remote: request.push, branch };
  }
  if (plan.github) {
    const { settings, repo } = plan.github;
    const base = plan.github.base ?? (await defaultBranch(settings, repo));
    const pr = await openPullRequest(settings, repo, {
      title: pullRequestTitle(report),
      body: pullRequestBody(report),
      head: branch,
      base,
    });
    result.pullRequest = { url: pr.url, number: pr.number, base, existing: pr.existing };
  }
  if (request.apply) {
    result.applied = await applyBranch(repoRoot, { branch, base: report.base, head: report.head });
  }
  return result;
}

/** The delivery steps' outcome as lines for a terminal. */
export function formatDelivery(result: DeliveryResult): string {
  const lines: string[] = [];
  if (result.skipped) lines.push(`Delivery   ${result.skipped}`);
  if (result.pushed) lines.push(`Pushed     ${result.pushed.branch} to ${result.pushed.remote}`);
  if (result.pullRequest) {
    const { url, base, existing } = result.pullRequest;
    lines.push(`Pull req.  ${url} (into ${base}${existing ? ', already open' : ''})`);
  }
  if (result.applied) {
    lines.push(
      `Applied    ${result.applied.length} file(s) to the working tree, unstaged: ${result.applied.join(', ')}`,
    );
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
