import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useLlmServers } from '../../../test/helpers/llm-server.js';
import { git, makeRepo } from '../../../test/helpers/repo.js';
import {
  repositoryIdOf,
  openStore,
  searchKnowledge,
  type KnowledgeFact,
  type Store,
} from '../../store/index.js';
import { exportKnowledge, knowledgeLlm, knowledgeMarkdown, updateKnowledge } from './knowledge.js';

const FILES = {
  'package.json': JSON.stringify(
    { name: 'demo', description: 'A demo of loading settings.', main: 'src/load.js' },
    null,
    2,
  ),
  'README.md':
    '# demo\n\nLoads settings from the environment.\n\n## Loading\n\nCall `loadSettings` first.\n',
  'src/load.js': [
    '/** Loads the settings. */',
    "import { readFile } from 'node:fs/promises';",
    "import { twice } from './math.js';",
    '',
    'export function loadSettings(dir) {',
    '  const token = process.env.DEMO_TOKEN;',
    "  if (!token) throw new Error('no token');",
    "  return readFile(dir + '/settings.json', 'utf8');",
    '}',
    '',
    'export const port = twice(4000);',
    '',
  ].join('\n'),
  'src/math.js': 'export function twice(n) {\n  return n * 2;\n}\n',
  'test/load.test.js': "import { loadSettings } from '../src/load.js';\nloadSettings('.');\n",
};

let store: Store;
beforeEach(async () => {
  store = await openStore(path.join(await mkdtemp(path.join(tmpdir(), 'beast-know-')), 'b.db'));
});
afterEach(() => store.close());

async function run(repo: string, llm?: Parameters<typeof updateKnowledge>[0]['llm']) {
  const repoId = await repositoryIdOf(store, repo);
  const stats = await updateKnowledge({ store, repoId, root: repo, ...(llm ? { llm } : {}) });
  return { stats, repoId, facts: await searchKnowledge(store, repoId) };
}

const find = (facts: KnowledgeFact[], module: string, kind: string, text: RegExp) =>
  facts.find((f) => f.module === module && f.kind === kind && text.test(f.text));

describe('updateKnowledge', () => {
  it('extracts every kind of fact from the HEAD commit, each citing lines at it', async () => {
    const repo = await makeRepo(FILES);
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    // An uncommitted change is not knowledge: the tree of HEAD is read.
    await writeFile(path.join(repo, 'src/math.js'), 'export const nope = 1;\n');
    const { stats, facts } = await run(repo);
    expect(stats).toMatchObject({ commit: head, kept: 0, refreshed: 0, dropped: 0 });
    expect(stats.added).toBe(facts.length);
    expect(find(facts, 'src/math.js', 'api', /twice/)).toBeDefined();
    expect(find(facts, 'src/math.js', 'api', /nope/)).toBeUndefined();
    expect(find(facts, 'src/load.js', 'purpose', /^Loads the settings\.$/)?.citations).toEqual([
      { file: 'src/load.js', startLine: 1, endLine: 1 },
    ]);
    expect(find(facts, 'src/load.js', 'config', /DEMO_TOKEN/)?.citations[0]?.startLine).toBe(6);
    expect(find(facts, 'src/load.js', 'config', /settings\.json/)).toBeDefined();
    expect(find(facts, 'src/load.js', 'error', /throws `Error`: "no token"/)).toBeDefined();
    expect(find(facts, 'src/load.js', 'side-effect', /filesystem read: `readFile`/)).toBeDefined();
    expect(find(facts, 'src/load.js', 'dependency', /module `src\/math\.js`/)).toBeDefined();
    expect(find(facts, 'src/load.js', 'test', /test\/load\.test\.js/)?.citations).toEqual([
      { file: 'test/load.test.js', startLine: 1, endLine: 1 },
    ]);
    expect(find(facts, 'src/load.js', 'purpose', /README\.md, section "Loading"/)).toBeDefined();
    expect(find(facts, '', 'entry-point', /src\/load\.js/)).toBeDefined();
    expect(find(facts, '', 'purpose', /Loads settings from the environment/)).toBeDefined();
    expect(facts.every((f) => f.commit === head && f.status === 'fresh')).toBe(true);
  });

  it('keeps unchanged facts without reading their files, and refreshes a fact whose cited line changed', async () => {
    const repo = await makeRepo(FILES);
    const first = await run(repo);
    const again = await run(repo);
    expect(again.stats).toMatchObject({ read: 0, added: 0, refreshed: 0, dropped: 0 });

    const changed = FILES['src/load.js'].replace('DEMO_TOKEN;', 'DEMO_TOKEN ?? "";');
    await writeFile(path.join(repo, 'src/load.js'), changed);
    git(repo, 'commit', '-qam', 'default token');
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const second = await run(repo);
    // load.js is read again (and the README, which names modules' exports): nothing else.
    expect(second.stats.read).toBe(2);
    expect(second.stats).toMatchObject({ commit: head, refreshed: 1, added: 0, dropped: 0 });
    expect(second.stats.kept).toBeGreaterThan(5);
    const before = find(first.facts, 'src/load.js', 'config', /DEMO_TOKEN/)!;
    const after = find(second.facts, 'src/load.js', 'config', /DEMO_TOKEN/)!;
    expect(after.id).toBe(before.id);
    expect(after.hash).not.toBe(before.hash);
    expect(second.facts.every((f) => f.commit === head)).toBe(true);
    expect(second.facts).toHaveLength(first.facts.length);

    // The thrown error goes away: that fact is dropped.
    await writeFile(
      path.join(repo, 'src/load.js'),
      changed.replace("  if (!token) throw new Error('no token');\n", ''),
    );
    git(repo, 'commit', '-qam', 'no check');
    const third = await run(repo);
    expect(third.stats.dropped).toBe(1);
    expect(find(third.facts, 'src/load.js', 'error', /no token/)).toBeUndefined();
  });

  it('drops the facts of a deleted module and of the tests that covered it', async () => {
    const repo = await makeRepo(FILES);
    await run(repo);
    git(repo, 'rm', '-q', 'src/math.js');
    git(repo, 'commit', '-qm', 'inline math');
    const { stats, facts } = await run(repo);
    expect(facts.some((f) => f.module === 'src/math.js')).toBe(false);
    expect(stats.dropped).toBeGreaterThanOrEqual(2); // its api fact, load.js's import of it
    expect(find(facts, 'src/load.js', 'dependency', /math/)).toBeUndefined();
  });

  it('finds facts by full-text search and exports them with their citations', async () => {
    const repo = await makeRepo(FILES);
    const { repoId, stats } = await run(repo);
    const hits = await searchKnowledge(store, repoId, { query: 'demoToken' });
    expect(hits.map((h) => h.text)).toEqual([
      'reads environment variable `DEMO_TOKEN` (`process.env.DEMO_TOKEN`)',
    ]);
    expect(await searchKnowledge(store, repoId, { query: 'nothing-like-this' })).toEqual([]);
    const data = exportKnowledge(hits, { repository: repo, commit: stats.commit });
    expect(data.facts[0]?.citations[0]?.ref).toBe('src/load.js:6-6');
    expect(knowledgeMarkdown(data)).toContain(`[src/load.js:6-6] @ ${stats.commit.slice(0, 12)}`);
  });

  it('refuses a folder outside git with one clear error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'beast-know-plain-'));
    await expect(run(dir)).rejects.toThrow(/not in a git repository/);
  });
});

const { serve } = useLlmServers({ kind: 'status', status: 500 });

describe('LLM-written facts', () => {
  async function llmRepo(baseUrl: string) {
    const config = {
      models: {
        use: ['custom:local'],
        custom: { local: { baseUrl, model: 'm', apiKeyEnv: 'LOCAL_KEY', timeoutMs: 5000 } },
      },
    };
    return makeRepo({ ...FILES, 'beast.config.json': JSON.stringify(config) });
  }

  it('keeps a summary whose identifiers exist, drops one naming a missing function, and counts it', async () => {
    const server = await serve('openai');
    server.setFallback((request) => {
      const prompt = JSON.stringify(request.body);
      if (prompt.includes('src/load.js'))
        return {
          kind: 'answer',
          text: 'Reads settings: `loadSettings` checks `DEMO_TOKEN` with `readFile`.',
        };
      return { kind: 'answer', text: 'Doubles numbers with `twice` and `tripleIt`.' };
    });
    const repo = await llmRepo(server.baseUrl);
    const env = { LOCAL_KEY: 'k' };
    const setup = await knowledgeLlm({ root: repo, store, env });
    expect(setup?.model).toBe('custom:local');
    try {
      const { stats, facts } = await run(repo, setup!.llm);
      expect(stats.llm).toMatchObject({ written: 1, dropped: 1 });
      expect(stats.llm?.reasons).toEqual(['src/math.js: unknown-identifier tripleIt']);
      const summary = facts.find((f) => f.source === 'llm');
      expect(summary).toMatchObject({ module: 'src/load.js', kind: 'purpose', status: 'fresh' });
      expect(facts.filter((f) => f.source === 'llm')).toHaveLength(1);

      // The module changes and no LLM is asked: its summary is kept, marked stale.
      await writeFile(
        path.join(repo, 'src/load.js'),
        FILES['src/load.js'].replace('twice(4000)', 'twice(4001)'),
      );
      git(repo, 'commit', '-qam', 'more');
      const later = await run(repo);
      expect(later.stats.stale).toBe(1);
      expect(later.facts.find((f) => f.source === 'llm')?.status).toBe('stale');
    } finally {
      await setup?.close();
    }
  });
});
