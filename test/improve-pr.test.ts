import { afterEach, describe, expect, it } from 'vitest';
import type { ImproveReport } from '../src/pipeline/index.js';
import { filesHolding, makeDeliveryFixture } from './helpers/delivery.js';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js';
import { beastAsync, git } from './helpers/repo.js';

/** A value shaped like a GitHub token, unique enough that finding it anywhere is a leak. */
const TOKEN = 'ghp_beastDeliveryTest0000SECRET9f3a1c7e';

let server: GitHubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Where the token must never be: output, the store and BEAST_HOME, the commits, git's config. */
async function leaks(
  output: string,
  places: { repo: string; bare: string; home: string },
): Promise<string[]> {
  const found: string[] = [];
  if (output.includes(TOKEN)) found.push('output');
  for (const file of await filesHolding(places.home, TOKEN)) found.push(`home:${file}`);
  for (const file of await filesHolding(`${places.repo}/.git`, TOKEN)) found.push(`.git:${file}`);
  for (const file of await filesHolding(places.bare, TOKEN)) found.push(`remote:${file}`);
  for (const dir of [places.repo, places.bare]) {
    if (git(dir, 'log', '--all', '-p', '--format=fuller').includes(TOKEN)) found.push(`log:${dir}`);
  }
  return found;
}

describe('beast improve --push --pr', () => {
  it('pushes the branch with the configured author and opens a pull request with the evidence', async () => {
    const fixture = await makeDeliveryFixture(1, {
      delivery: { author: 'Pat Example <pat@example.com>' },
    });
    const { repo, bare, home } = fixture;
    server = await startGitHubServer();
    const result = await beastAsync(['improve', repo, '--push', 'origin', '--pr', '--json'], {
      env: { BEAST_HOME: home, GITHUB_TOKEN: TOKEN, BEAST_GITHUB_API_URL: server.apiUrl },
    });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ImproveReport;
    expect(report.status).toBe('delivered');
    const branch = report.branch!;
    expect(report.delivery).toEqual({
      pushed: { remote: 'origin', branch },
      pullRequest: {
        url: 'https://github.com/owner/repo/pull/7',
        number: 7,
        base: 'main',
        existing: false,
      },
    });

    // The remote holds the branch as delivered, every commit by the configured author.
    expect(git(bare, 'rev-parse', `refs/heads/${branch}`).trim()).toBe(report.head);
    const people = git(bare, 'log', '--format=%an <%ae>|%cn <%ce>', `${report.base}..${branch}`)
      .trim()
      .split('\n');
    expect(people.length).toBe(report.outcomes.accepted.length);
    expect(new Set(people)).toEqual(
      new Set(['Pat Example <pat@example.com>|Pat Example <pat@example.com>']),
    );

    // One request, as GitHub's REST API wants it.
    expect(server.requests).toHaveLength(1);
    const [post] = server.requests;
    expect(post!.method).toBe('POST');
    expect(post!.url).toBe('/repos/owner/repo/pulls');
    expect(post!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(post!.headers.accept).toBe('application/vnd.github+json');
    expect(post!.headers['x-github-api-version']).toBe('2022-11-28');
    const body = post!.body!;
    expect(body.head).toBe(branch);
    expect(body.base).toBe('main');
    expect(body.title).toMatch(/^beast improve: \d+ validated changes \(/);

    // The body: each accepted change with its rule, place, model, checks and scores.
    const text = body.body as string;
    const accepted = report.changes.filter((c) => c.status === 'accepted');
    expect(accepted.length).toBeGreaterThan(1);
    for (const change of accepted) {
      const where = `\`${change.finding.file}:${change.finding.location.line}\``;
      expect(text).toContain(`**${change.finding.ruleId}** ${where}`);
      expect(text).toContain(`Model: ${change.model}`);
    }
    expect(text).toMatch(/; lint not run; tests passed \(\d+ tests executed, \d+ passed/);
    expect(text).toMatch(/Score: src\/mod0\.js [\d.]+ -> 100 \(\+[\d.]+\)/);
    expect(text).toContain(`Quality: ${report.before.score} ${report.before.grade} -> 100`);
    // A check that did not run is named, with why.
    const lint = report.checks.find((c) => c.name === 'lint')!;
    expect(lint.ran).toBe(false);
    expect(text).toContain(`## Checks that did not run\n\n- **lint**: ${lint.detail}`);

    // Without --apply the working tree is left as it was.
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(await leaks(result.stdout + result.stderr, fixture)).toEqual([]);
  }, 120_000);

  it('reports the pull request already open for the branch, into the remote default branch on a detached HEAD', async () => {
    const fixture = await makeDeliveryFixture(1);
    const { repo, home } = fixture;
    git(repo, 'checkout', '-q', '--detach');
    server = await startGitHubServer((request) => {
      if (request.method === 'GET' && request.url === '/repos/owner/repo') {
        return { status: 200, json: { default_branch: 'trunk' } };
      }
      if (request.method === 'POST') {
        return {
          status: 422,
          json: {
            message: 'Validation Failed',
            errors: [{ message: 'A pull request already exists for owner:x.' }],
          },
        };
      }
      if (request.method === 'GET') {
        return {
          status: 200,
          json: [{ number: 3, html_url: 'https://github.com/owner/repo/pull/3' }],
        };
      }
      return undefined;
    });
    const result = await beastAsync(['improve', repo, '--push', 'origin', '--pr', '-q'], {
      env: { BEAST_HOME: home, GITHUB_TOKEN: TOKEN, BEAST_GITHUB_API_URL: server.apiUrl },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Pull req.  https://github.com/owner/repo/pull/3 (into trunk, already open)',
    );
    const branch = /Pushed {5}(\S+) to origin/.exec(result.stdout)?.[1];
    expect(branch).toMatch(/^beast\/improve-/);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /repos/owner/repo',
      'POST /repos/owner/repo/pulls',
      `GET /repos/owner/repo/pulls?head=${encodeURIComponent(`owner:${branch}`)}&state=open`,
    ]);
    expect(server.requests[1]!.body!.base).toBe('trunk');
    expect(await leaks(result.stdout + result.stderr, fixture)).toEqual([]);
  }, 120_000);
});
