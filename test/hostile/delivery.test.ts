import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filesHolding, makeDeliveryFixture } from '../helpers/delivery.js';
import {
  startGitHubServer,
  type GitHubReply,
  type GitHubRequest,
  type GitHubServer,
} from '../helpers/github-server.js';
import { beast, beastAsync, git } from '../helpers/repo.js';

const TOKEN = 'ghp_beastHostileDelivery0000SECRET4d2b8';

let server: GitHubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function beastBranches(repo: string): string[] {
  return git(repo, 'branch', '--list', 'beast/*', '--format=%(refname:short)')
    .split('\n')
    .filter(Boolean);
}

/** The one line a failed command prints, without the `beast: ` prefix. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!.replace(/^beast: /, '');
}

describe('delivery requests refused before any work', () => {
  const cases: {
    name: string;
    args: string[];
    env?: Record<string, string>;
    config?: Record<string, unknown>;
    remote?: 'local';
    error: string | RegExp;
  }[] = [
    {
      name: '--apply with --dry-run',
      args: ['--dry-run', '--apply'],
      error: '--apply cannot be used with --dry-run: a dry run keeps no branch',
    },
    {
      name: '--push and --pr with --dry-run',
      args: ['--dry-run', '--push', 'origin', '--pr'],
      error: '--push, --pr cannot be used with --dry-run: a dry run keeps no branch',
    },
    {
      name: '--pr without --push',
      args: ['--pr'],
      error: '--pr needs --push REMOTE: the pull request is opened from the pushed branch',
    },
    {
      name: 'a remote that does not exist',
      args: ['--push', 'upstream'],
      error: /^--push: no remote named "upstream" in .*\(see git remote -v\); nothing was run$/,
    },
    {
      name: 'a remote that looks like an option',
      args: ['--push=--mirror'],
      error: '--push: "--mirror" is not a remote',
    },
    {
      name: '--pr without a token',
      args: ['--push', 'origin', '--pr'],
      env: { GITHUB_TOKEN: '' },
      error:
        '--pr: no GitHub token: set the environment variable GITHUB_TOKEN (named by delivery.github.tokenEnv)',
    },
    {
      name: '--pr with the token variable the config names unset',
      args: ['--push', 'origin', '--pr'],
      config: { delivery: { github: { tokenEnv: 'BEAST_TEST_PR_TOKEN' } } },
      error:
        '--pr: no GitHub token: set the environment variable BEAST_TEST_PR_TOKEN (named by delivery.github.tokenEnv)',
    },
    {
      name: '--pr on a remote that is not on GitHub',
      args: ['--push', 'origin', '--pr'],
      remote: 'local',
      error: /^--pr: remote origin \(\/.*\) is not a GitHub repository URL/,
    },
    {
      name: "an API URL in the repository's config that is not the remote's host",
      args: ['--push', 'origin', '--pr'],
      config: { delivery: { github: { apiUrl: 'https://collector.example.net/api/v3' } } },
      env: { BEAST_GITHUB_API_URL: '' },
      error:
        "--pr: delivery.github.apiUrl points at collector.example.net, but the remote is on github.com; the token is only sent to the remote's own host (BEAST_GITHUB_API_URL overrides)",
    },
    {
      name: 'an API URL over plain http to another machine',
      args: ['--push', 'origin', '--pr'],
      env: { BEAST_GITHUB_API_URL: 'http://github.example.net/api/v3' },
      error:
        '--pr: the GitHub API URL http://github.example.net is not https; the token is never sent in the clear',
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} (exit 2, one line, no branch, no request)`, async () => {
      const { repo, bare, home } = await makeDeliveryFixture(1, c.config);
      if (c.remote === 'local') git(repo, 'remote', 'set-url', 'origin', bare);
      server = await startGitHubServer();
      const result = beast(['improve', repo, ...c.args], {
        env: {
          BEAST_HOME: home,
          GITHUB_TOKEN: TOKEN,
          BEAST_GITHUB_API_URL: server.apiUrl,
          ...c.env,
        },
      });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const line = oneLine(result.stderr);
      if (typeof c.error === 'string') expect(line).toBe(c.error);
      else expect(line).toMatch(c.error);
      expect(line).not.toContain(TOKEN);
      expect(beastBranches(repo)).toEqual([]);
      expect(server.requests).toEqual([]);
      expect(git(repo, 'status', '--porcelain')).toBe('');
    }, 60_000);
  }

  it('lets BEAST_GITHUB_API_URL, set by whoever runs beast, point elsewhere', async () => {
    // The same refusal as above for the config's URL is lifted by the environment: the request
    // reaches the local server (and is answered with a 404, reported as such).
    const { repo, home } = await makeDeliveryFixture(1, {
      delivery: { github: { apiUrl: 'https://collector.example.net/api/v3' } },
    });
    server = await startGitHubServer(() => ({ status: 404, json: { message: 'Not Found' } }));
    const result = await beastAsync(['improve', repo, '--push', 'origin', '--pr', '-q'], {
      env: { BEAST_HOME: home, GITHUB_TOKEN: TOKEN, BEAST_GITHUB_API_URL: server.apiUrl },
    });
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(
      '--pr: GitHub answered 404, owner/repo was not found, or the token cannot see it (Not Found)',
    );
    expect(server.requests.map((r) => r.url)).toEqual(['/repos/owner/repo/pulls']);
  }, 120_000);
});

describe('delivery steps that fail after the run', () => {
  it('refuses --apply when touched files have staged or unstaged changes, listing them', async () => {
    const { repo, home } = await makeDeliveryFixture(2);
    await writeFile(path.join(repo, 'src/mod0.js'), 'export const mine = 1;\n');
    await writeFile(path.join(repo, 'src/mod1.js'), 'export const staged = 1;\n');
    git(repo, 'add', 'src/mod1.js');
    await writeFile(path.join(repo, 'src/mod1.js'), git(repo, 'show', 'HEAD:src/mod1.js'));
    const before = git(repo, 'status', '--porcelain');
    const result = beast(['improve', repo, '--apply', '-q'], { env: { BEAST_HOME: home } });
    expect(result.code).toBe(2);
    const [branch] = beastBranches(repo);
    expect(oneLine(result.stderr)).toBe(
      `--apply: not applied: 2 touched file(s) have uncommitted changes: src/mod0.js, src/mod1.js; nothing in the working tree was changed; the changes stay on branch ${branch}`,
    );
    // The report was printed: the branch is delivered, nothing is lost.
    expect(result.stdout).toContain(`changes delivered on branch ${branch}`);
    expect(await readFile(path.join(repo, 'src/mod0.js'), 'utf8')).toBe('export const mine = 1;\n');
    expect(git(repo, 'status', '--porcelain')).toBe(before);
    expect(git(repo, 'diff', '--cached')).toContain('export const staged = 1;');
  }, 120_000);

  it('refuses --apply when HEAD moved during the run, after pushing and opening the pull request', async () => {
    const { repo, bare, home } = await makeDeliveryFixture(1);
    // The API is asked between the run and the apply: the user commits just then.
    server = await startGitHubServer((request) => {
      if (request.method === 'POST') git(repo, 'commit', '-q', '--allow-empty', '-m', 'meanwhile');
      return undefined;
    });
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    const result = await beastAsync(
      ['improve', repo, '--push', 'origin', '--pr', '--apply', '-q'],
      { env: { BEAST_HOME: home, GITHUB_TOKEN: TOKEN, BEAST_GITHUB_API_URL: server.apiUrl } },
    );
    expect(result.code).toBe(2);
    const moved = git(repo, 'rev-parse', 'HEAD').trim();
    const [branch] = beastBranches(repo);
    expect(oneLine(result.stderr)).toBe(
      `--apply: not applied: HEAD moved since the run started (from ${base.slice(0, 12)} to ${moved.slice(0, 12)}); nothing in the working tree was changed; the changes stay on branch ${branch}`,
    );
    expect(result.stdout).toContain('Pull req.  https://github.com/owner/repo/pull/7 (into main)');
    expect(git(bare, 'rev-parse', `refs/heads/${branch}`)).toBe(git(repo, 'rev-parse', branch!));
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 120_000);

  const apiFailures: {
    name: string;
    reply?: (request: GitHubRequest) => GitHubReply | undefined;
    config?: Record<string, unknown>;
    closedPort?: true;
    error: string | RegExp;
  }[] = [
    {
      name: 'an answer that is not JSON',
      reply: () => ({ status: 201, text: '<html>Welcome to the captive portal</html>' }),
      error: /^--pr: the GitHub API at 127\.0\.0\.1:\d+ answered 201 with a body that is not JSON$/,
    },
    {
      name: 'a created answer without the pull request',
      reply: () => ({ status: 201, json: { ok: true } }),
      error: /answered 201 without a pull request's html_url and number$/,
    },
    {
      name: 'an API that never answers',
      reply: () => ({ hang: true }),
      config: { delivery: { github: { timeoutSeconds: 1 } } },
      error: /^--pr: the GitHub API at 127\.0\.0\.1:\d+ did not answer within 1s$/,
    },
    {
      name: 'an API that is not there',
      closedPort: true,
      error: /^--pr: the GitHub API at 127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)$/,
    },
    {
      name: 'a 401 that echoes the token',
      reply: () => ({ status: 401, json: { message: `Bad credentials: ${TOKEN}` } }),
      error:
        '--pr: GitHub answered 401, the token was refused (expired or wrong?) (Bad credentials: [REDACTED:api-key])',
    },
    {
      name: 'a 403',
      reply: () => ({ status: 403, json: { message: 'Resource not accessible by integration' } }),
      error:
        '--pr: GitHub answered 403, the token may not open pull requests on owner/repo (Resource not accessible by integration)',
    },
    {
      name: 'a 422 with no pull request open for the branch',
      reply: (request) =>
        request.method === 'POST'
          ? {
              status: 422,
              json: {
                message: 'Validation Failed',
                errors: [{ message: 'No commits between main and x' }],
              },
            }
          : undefined,
      error: '--pr: GitHub answered 422 (Validation Failed: No commits between main and x)',
    },
  ];
  for (const c of apiFailures) {
    it(`reports ${c.name} in one line (exit 2), the branch pushed and the token kept out`, async () => {
      const { repo, bare, home } = await makeDeliveryFixture(1, c.config);
      server = await startGitHubServer(c.reply);
      const apiUrl = c.closedPort ? await closedPortUrl() : server.apiUrl;
      const result = await beastAsync(['improve', repo, '--push', 'origin', '--pr', '--json'], {
        env: { BEAST_HOME: home, GITHUB_TOKEN: TOKEN, BEAST_GITHUB_API_URL: apiUrl },
      });
      expect(result.code).toBe(2);
      const line = oneLine(result.stderr);
      if (typeof c.error === 'string') expect(line).toBe(c.error);
      else expect(line).toMatch(c.error);
      // The JSON report is printed with what was done: the branch is on the remote.
      const report = JSON.parse(result.stdout) as { branch: string; delivery: unknown };
      expect(report.delivery).toEqual({ pushed: { remote: 'origin', branch: report.branch } });
      expect(git(bare, 'branch', '--list', report.branch).trim()).toBe(report.branch);
      expect(result.stdout + result.stderr).not.toContain(TOKEN);
      expect(await filesHolding(home, TOKEN)).toEqual([]);
    }, 120_000);
  }

  it('pushes, applies and asks nothing when the run delivered nothing', async () => {
    const { repo, bare, home } = await makeDeliveryFixture(0);
    await writeFile(path.join(repo, 'src.js'), 'export const clean = 1;\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'clean code');
    server = await startGitHubServer();
    const result = await beastAsync(
      ['improve', repo, '--push', 'origin', '--pr', '--apply', '-q'],
      { env: { BEAST_HOME: home, GITHUB_TOKEN: TOKEN, BEAST_GITHUB_API_URL: server.apiUrl } },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Delivery   nothing was delivered (nothing-to-do): nothing to push or apply',
    );
    expect(server.requests).toEqual([]);
    expect(git(bare, 'branch', '--list').trim()).toBe('');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 120_000);

  it('reports a failed push in one line and asks no API', async () => {
    const { repo, home } = await makeDeliveryFixture(1);
    git(repo, 'config', 'remote.origin.pushurl', '/nonexistent/remote.git');
    server = await startGitHubServer();
    const result = await beastAsync(['improve', repo, '--push', 'origin', '--pr', '-q'], {
      env: { BEAST_HOME: home, GITHUB_TOKEN: TOKEN, BEAST_GITHUB_API_URL: server.apiUrl },
    });
    expect(result.code).toBe(2);
    const [branch] = beastBranches(repo);
    expect(oneLine(result.stderr)).toMatch(
      new RegExp(
        `^--push: git push to origin failed: fatal: '/nonexistent/remote.git' does not appear to be a git repository; the changes stay on branch ${branch}$`,
      ),
    );
    expect(server.requests).toEqual([]);
  }, 120_000);
});

describe('the token and git', () => {
  it('is kept from git push even under a name that does not look secret', async () => {
    const fixture = await makeDeliveryFixture(1, {
      delivery: { github: { tokenEnv: 'PR_BEAST' } },
    });
    const { repo, home } = fixture;
    // The remote's receive-pack is a probe that records what its environment holds, then pushes.
    const probe = path.join(home, 'probe.txt');
    const receivePack = path.join(home, 'receive-pack.sh');
    await writeFile(
      receivePack,
      `#!/bin/sh\nprintf '%s\\n' "\${PR_BEAST:-absent}" >> '${probe}'\nexec git receive-pack "$@"\n`,
      { mode: 0o755 },
    );
    git(repo, 'config', 'remote.origin.receivepack', receivePack);
    server = await startGitHubServer();
    const result = await beastAsync(['improve', repo, '--push', 'origin', '--pr', '-q'], {
      env: { BEAST_HOME: home, PR_BEAST: TOKEN, BEAST_GITHUB_API_URL: server.apiUrl },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await readFile(probe, 'utf8')).toBe('absent\n');
    // The API still got it, in its header.
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  }, 120_000);
});

/** The URL of a port on 127.0.0.1 that nothing listens on (it did a moment ago). */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
