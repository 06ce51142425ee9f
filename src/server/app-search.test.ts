import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, makeRepo } from '../../test/helpers/repo.js';
import { closeHarnesses, harness, json, register } from './testing.js';

afterEach(closeHarnesses);

const FILES = {
  'src/math.ts':
    '/** Doubles a number. */\nexport function double(n: number): number {\n  return n * 2;\n}\n',
  'src/text.ts':
    "/** Reverses a string. */\nexport const reverse = (s: string) => s.split('').reverse().join('');\n",
};

interface Result {
  mode: string;
  notice?: string;
  commit: string | null;
  hits: { qualifiedName: string; kind: string; location: string; snippet: string }[];
}

describe('GET /api/codebase/search', () => {
  it('indexes the registered repository at HEAD and returns ranked hits, following new commits', async () => {
    const h = await harness({ start: false });
    const repo = await makeRepo(FILES);
    const id = await register(h, repo);
    const response = await h.call('GET', `/api/codebase/search?repo=${id}&q=reverse%20a%20string`);
    expect(response.status).toBe(200);
    const result = await json<Result>(response);
    expect(result).toMatchObject({
      mode: 'bm25+graph',
      notice: 'no embedding model configured: ranked by BM25 and the reference graph',
      commit: git(repo, 'rev-parse', 'HEAD').trim(),
    });
    expect(result.hits[0]).toMatchObject({
      qualifiedName: 'reverse',
      kind: 'function',
      location: 'src/text.ts:2-2',
    });

    await writeFile(
      path.join(repo, 'src/math.ts'),
      '/** Halves a number. */\nexport function halve(n: number): number {\n  return n / 2;\n}\n',
    );
    git(repo, 'commit', '-qam', 'halve');
    const byPath = await json<Result>(
      await h.call(
        'GET',
        `/api/codebase/search?repo=${encodeURIComponent(repo)}&q=halves&kind=function,method`,
      ),
    );
    expect(byPath.hits.map((hit) => hit.qualifiedName)).toEqual(['halve']);
  });

  it('refuses an all-stopword query, an unknown kind and an unregistered repository', async () => {
    const h = await harness({ start: false });
    const id = await register(h, await makeRepo(FILES));
    const stop = await h.call('GET', `/api/codebase/search?repo=${id}&q=the%20of`);
    expect(stop.status).toBe(400);
    expect(await json(stop)).toMatchObject({
      error: { message: expect.stringMatching(/common words/) },
    });
    const kind = await h.call('GET', `/api/codebase/search?repo=${id}&q=double&kind=module`);
    expect(kind.status).toBe(400);
    expect((await h.call('GET', `/api/codebase/search?repo=999&q=double`)).status).toBe(404);
  });
});
