import { InputError } from '../../core/index.js';
import { git } from '../../fixes/index.js';

/** A remote URL with any user name or password replaced, fit to print. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}

/** A repository on a GitHub host, as its remote URL names it. */
export interface GitHubRepo {
  host: string;
  owner: string;
  repo: string;
}

const NAME = '[A-Za-z0-9_.-]+';
const URL_FORMS = [
  // https://github.com/owner/repo(.git), http(s) with optional user and port
  new RegExp(`^https?://(?:[^/@]*@)?([^/:]+)(?::\\d+)?/(${NAME})/(${NAME}?)(?:\\.git)?/?$`),
  // ssh://git@github.com(:22)/owner/repo(.git), git://host/owner/repo
  new RegExp(`^(?:ssh|git)://(?:[^/@]*@)?([^/:]+)(?::\\d+)?/(${NAME})/(${NAME}?)(?:\\.git)?/?$`),
  // git@github.com:owner/repo(.git) (scp-like)
  new RegExp(`^(?:[^/@:]+@)?([^/:]+):(${NAME})/(${NAME}?)(?:\\.git)?/?$`),
];

/** Pure: the host, owner and repository a GitHub remote URL names; undefined for other URLs. */
export function parseGitHubRemote(url: string): GitHubRepo | undefined {
  for (const form of URL_FORMS) {
    const match = form.exec(url.trim());
    if (match?.[1] && match[2] && match[3]) {
      return { host: match[1].toLowerCase(), owner: match[2], repo: match[3] };
    }
  }
  return undefined;
}

/**
 * The URL git fetches from (`push: false`) or pushes to for a remote name. A remote given as a URL
 * or path is its own URL; a name that is neither a remote nor a path is an InputError.
 */
export async function remoteUrl(
  repoRoot: string,
  remote: string,
  options: { push: boolean },
): Promise<string> {
  if (remote.startsWith('-')) throw new InputError(`--push: "${remote}" is not a remote`);
  const args = ['remote', 'get-url', ...(options.push ? ['--push'] : []), remote];
  const named = await git(repoRoot, args);
  if (named.code === 0) return named.stdout.trim();
  if (/[:/\\]/.test(remote)) return remote;
  throw new InputError(
    `--push: no remote named "${remote}" in ${repoRoot} (see git remote -v); nothing was run`,
  );
}

/**
 * Pushes the branch to the remote with the remote's own credentials (git's credential helpers,
 * ssh keys): no token is handed to git. Never forced: a branch of that name on the remote that
 * is not an ancestor is refused by git and reported.
 */
export async function pushBranch(repoRoot: string, remote: string, branch: string): Promise<void> {
  const ref = `refs/heads/${branch}`;
  const pushed = await git(repoRoot, ['push', '--quiet', '--porcelain', remote, `${ref}:${ref}`]);
  if (pushed.code === 0) return;
  const lines = `${pushed.stderr}\n${pushed.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'Done' && !line.startsWith('To '));
  const why = redactUrl(
    lines.find((line) => /^(fatal|error|!)/.test(line)) ?? lines[0] ?? `exit ${pushed.code}`,
  );
  throw new InputError(
    `--push: git push to ${remote} failed: ${why}; the changes stay on branch ${branch}`,
  );
}
