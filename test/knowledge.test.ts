import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeHarnesses, harness, json, register } from '../src/server/testing.js';
import { beastAsync, git, makeRepo } from './helpers/repo.js';

/* `beast knowledge` as a user runs it (the built bin) and GET /api/knowledge on the real app. */

const FILES = {
  'package.json': JSON.stringify({ name: 'kb', main: 'src/api.js' }, null, 2),
  'src/api.js': [
    "import { request } from 'node:https';",
    '',
    '/** Calls the service. */',
    'export function callService(path) {',
    '  const url = process.env.SERVICE_URL;',
    '  return request(url + path);',
    '}',
    '',
  ].join('\n'),
  'src/util.js': "export function pad(s) {\n  return ' ' + s;\n}\n",
  'test/api.test.js': "import { callService } from '../src/api.js';\ncallService('/x');\n",
};

interface Exported {
  commit: string;
  facts: {
    module: string;
    kind: string;
    text: string;
    commit: string;
    citations: { ref: string }[];
  }[];
  stats?: Record<string, number>;
}

async function home(): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-know-home-'));
  return { BEAST_HOME: dir };
}

describe('beast knowledge (built bin)', () => {
  it('extracts, then keeps and refreshes, and exports JSON and Markdown with citations', async () => {
    const repo = await makeRepo(FILES);
    const env = await home();
    const db: string[] = [];
    const first = await beastAsync(['knowledge', repo, ...db], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /facts; kept 0, refreshed 0, stale dropped 0, new \d+; read 4 of 4 files/,
    );
    expect(first.stdout).toMatch(/facts by kind: .*config 1/);

    await writeFile(
      path.join(repo, 'src/api.js'),
      FILES['src/api.js'].replace('SERVICE_URL;', "SERVICE_URL ?? 'http://localhost';"),
    );
    git(repo, 'commit', '-qam', 'default url');
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const second = await beastAsync(['knowledge', repo, '--json', ...db], { env });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/refreshed 1, stale dropped 0, new 0; read 1 of 4 files/);
    const data = JSON.parse(second.stdout) as Exported;
    expect(data.commit).toBe(head);
    const config = data.facts.find((f) => f.kind === 'config');
    expect(config).toMatchObject({ module: 'src/api.js', commit: head });
    expect(config?.citations.map((c) => c.ref)).toEqual(['src/api.js:5-5']);
    expect(data.facts.find((f) => f.kind === 'test')?.citations[0]?.ref).toBe(
      'test/api.test.js:1-1',
    );

    const md = await beastAsync(['knowledge', repo, '--markdown', '--search', 'https', ...db], {
      env,
    });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('## src/api.js');
    expect(md.stdout).toMatch(
      /network: `request` from `node:https` \[src\/api\.js:6-6\] @ [0-9a-f]{12}/,
    );

    const one = await beastAsync(['knowledge', repo, '--module', 'src/util.js', ...db], { env });
    expect(one.stdout).toContain('src/util.js  api: exports `pad`');
    expect(one.stdout).not.toContain('src/api.js  ');
  });

  it('refuses bad input with one line and exit 2', async () => {
    const env = await home();
    const repo = await makeRepo(FILES);
    const both = await beastAsync(['knowledge', repo, '--json', '--markdown'], { env });
    expect(both.code).toBe(2);
    expect(both.stderr.trim().split('\n')).toHaveLength(1);
    expect(both.stderr).toMatch(/choose one output format/);
    const plain = await mkdtemp(path.join(tmpdir(), 'beast-know-plain-'));
    const outside = await beastAsync(['knowledge', plain], { env });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/not in a git repository/);
    const noLlm = await beastAsync(['knowledge', repo, '--llm'], { env });
    expect(noLlm.code).toBe(2);
    expect(noLlm.stderr).toMatch(/--llm: no LLM model is configured/);
  });
});

afterEach(closeHarnesses);

describe('GET /api/knowledge', () => {
  it("returns a registered repository's facts as JSON or Markdown, searchable, with citations", async () => {
    const h = await harness({ start: false });
    const repo = await makeRepo(FILES);
    const id = await register(h, repo);
    const all = await h.call('GET', `/api/knowledge?repo=${id}`);
    expect(all.status, await all.clone().text()).toBe(200);
    const data = await json<Exported>(all);
    expect(data.commit).toBe(git(repo, 'rev-parse', 'HEAD').trim());
    expect(data.facts.some((f) => f.kind === 'entry-point' && f.module === '')).toBe(true);

    const found = await json<Exported>(
      await h.call('GET', `/api/knowledge?repo=${encodeURIComponent(repo)}&q=service%20url`),
    );
    expect(found.facts.map((f) => f.text)).toEqual([
      'reads environment variable `SERVICE_URL` (`process.env.SERVICE_URL`)',
    ]);

    const md = await h.call('GET', `/api/knowledge?repo=${id}&module=src/util.js&format=markdown`);
    expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
    const text = await md.text();
    expect(text).toContain('[src/util.js:1-1]');
    expect(text).not.toContain('src/api.js');

    const unknown = await h.call('GET', '/api/knowledge?repo=999');
    expect(unknown.status).toBe(404);
    const bad = await h.call('GET', `/api/knowledge?repo=${id}&format=xml`);
    expect(bad.status).toBe(400);
  });
});
