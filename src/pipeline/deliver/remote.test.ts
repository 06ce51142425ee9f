import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/index.js';
import { parseAuthor } from './author.js';
import { parseGitHubRemote, redactUrl } from './remote.js';

describe('parseGitHubRemote', () => {
  const valid: [string, { host: string; owner: string; repo: string }][] = [
    ['https://github.com/owner/repo.git', { host: 'github.com', owner: 'owner', repo: 'repo' }],
    ['https://github.com/owner/repo', { host: 'github.com', owner: 'owner', repo: 'repo' }],
    ['https://github.com/owner/repo/', { host: 'github.com', owner: 'owner', repo: 'repo' }],
    ['https://x-access:abc@GitHub.com/o/r.git', { host: 'github.com', owner: 'o', repo: 'r' }],
    ['git@github.com:owner/my.repo.git', { host: 'github.com', owner: 'owner', repo: 'my.repo' }],
    ['ssh://git@ghe.corp:2222/team/app.git', { host: 'ghe.corp', owner: 'team', repo: 'app' }],
    ['https://ghe.corp:8443/team/app', { host: 'ghe.corp', owner: 'team', repo: 'app' }],
  ];
  for (const [url, expected] of valid) {
    it(`reads ${url}`, () => expect(parseGitHubRemote(url)).toEqual(expected));
  }
  const invalid = [
    '/srv/git/repo.git',
    'file:///srv/git/repo.git',
    '../sibling',
    'https://github.com/owner',
    'https://gitlab.example.com/group/sub/repo.git',
  ];
  for (const url of invalid) {
    it(`refuses ${url}`, () => expect(parseGitHubRemote(url)).toBeUndefined());
  }
});

describe('redactUrl', () => {
  it('hides the user and password of a URL, and leaves others alone', () => {
    expect(redactUrl('https://me:ghp_x@github.com/o/r.git')).toBe('https://***@github.com/o/r.git');
    expect(redactUrl('git@github.com:o/r.git')).toBe('git@github.com:o/r.git');
    expect(redactUrl('/srv/git/r.git')).toBe('/srv/git/r.git');
  });
});

describe('delivery config', () => {
  it('defaults to GITHUB_TOKEN, api.github.com and no author', () => {
    expect(parseConfig({}).config.delivery).toEqual({
      author: undefined,
      github: { tokenEnv: 'GITHUB_TOKEN', apiUrl: 'https://api.github.com', timeoutSeconds: 30 },
    });
  });
  it('takes an author and GitHub Enterprise settings', () => {
    const { config, errors } = parseConfig({
      delivery: {
        author: 'Pat Example <pat@example.com>',
        github: { tokenEnv: 'GHE_TOKEN', apiUrl: 'https://ghe.corp/api/v3' },
      },
    });
    expect(errors).toEqual([]);
    expect(config.delivery.github).toEqual({
      tokenEnv: 'GHE_TOKEN',
      apiUrl: 'https://ghe.corp/api/v3',
      timeoutSeconds: 30,
    });
    expect(parseAuthor(config.delivery.author ?? '')).toEqual({
      name: 'Pat Example',
      email: 'pat@example.com',
    });
  });
  const bad: [unknown, RegExp][] = [
    [{ author: 'Pat' }, /^delivery\.author: expected "Name <email>"/],
    [{ author: 'Pat <a b@c>' }, /^delivery\.author/],
    [{ github: { tokenEnv: 'X; rm -rf' } }, /^delivery\.github\.tokenEnv/],
    [{ github: { apiUrl: 'not a url' } }, /^delivery\.github\.apiUrl/],
    [{ github: { timeoutSeconds: 0 } }, /^delivery\.github\.timeoutSeconds/],
    [{ github: { token: 'ghp_inline' } }, /^delivery\.github/],
  ];
  for (const [delivery, error] of bad) {
    it(`refuses ${JSON.stringify(delivery)}`, () => {
      expect(parseConfig({ delivery }).errors[0]).toMatch(error);
    });
  }
});
