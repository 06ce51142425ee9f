import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/core/index.js';
import { seededRandom } from '../src/models/index.js';
import { runImprove, setupModels } from '../src/pipeline/index.js';
import { openStore } from '../src/store/index.js';
import { useLlmServers, type RecordedRequest, type Reply } from './helpers/llm-server.js';
import { git, makeRepo } from './helpers/repo.js';

/*
 * Selection learns from outcomes: two LLM endpoints, one whose answers pass the gate and one whose
 * answers are unusable, on fresh repositories that share one store. With no record the two are
 * asked first about equally; once outcomes are recorded, the good one is asked first.
 */

const FILES = 6;

function module(i: number): string {
  return `export function check${i}(x) {\n  if (x < 0) throw 'negative ${i}';\n  return x;\n}\n`;
}

/** A correct fix for whichever file the prompt is about. */
function goodAnswer(request: RecordedRequest): Reply {
  const prompt = JSON.stringify(request.body);
  const i = /src\/c(\d+)\.js/.exec(prompt)?.[1] ?? '0';
  return {
    kind: 'answer',
    text: [
      `TITLE: Throw an Error in check${i}`,
      `src/c${i}.js`,
      '<<<<<<< SEARCH',
      `  if (x < 0) throw 'negative ${i}';`,
      '=======',
      `  if (x < 0) throw new Error('negative ${i}');`,
      '>>>>>>> REPLACE',
    ].join('\n'),
  };
}

const { serve } = useLlmServers({ kind: 'answer', text: 'I would rather not.' });

async function fixture(good: string, bad: string): Promise<string> {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ type: 'module', scripts: { test: 'node --test test/' } }),
    'beast.config.json': JSON.stringify({
      models: {
        use: ['custom:bad', 'custom:good'],
        custom: {
          good: { baseUrl: good, model: 'g', price: { inputPerMillion: 1, outputPerMillion: 1 } },
          bad: { baseUrl: bad, model: 'b', price: { inputPerMillion: 1, outputPerMillion: 1 } },
        },
      },
    }),
  };
  for (let i = 0; i < FILES; i++) {
    files[`src/c${i}.js`] = module(i);
    files[`test/c${i}.test.js`] = [
      "import { test } from 'node:test';",
      "import assert from 'node:assert/strict';",
      `import { check${i} } from '../src/c${i}.js';`,
      `test('c${i}', () => assert.throws(() => check${i}(-1), /negative ${i}/));`,
      '',
    ].join('\n');
  }
  return makeRepo(files);
}

describe('learned selection', () => {
  it('shifts toward the model whose proposals are accepted', async () => {
    const good = await serve('openai');
    good.setFallback(goodAnswer);
    const bad = await serve('openai');
    const home = await mkdtemp(path.join(tmpdir(), 'beast-select-'));
    const store = await openStore(path.join(home, 'beast.db'));
    const random = seededRandom(1);
    const badFirst: number[] = [];
    try {
      for (let run = 0; run < 3; run++) {
        const repo = await fixture(good.baseUrl, bad.baseUrl);
        await writeFile(path.join(repo, '.gitignore'), 'node_modules\n');
        git(repo, 'add', '-A');
        git(repo, 'commit', '-qm', 'ignore');
        const { config } = await resolveConfig(repo, {});
        const setup = await setupModels({ config: config.models, env: {}, store });
        const before = bad.requests.length;
        const report = await runImprove(
          repo,
          {
            models: setup.models,
            stateDir: home,
            store,
            selection: { stats: setup.selection!, random },
          },
          { dryRun: true },
        ).finally(() => setup.close());
        expect(report.changes.filter((c) => c.status === 'accepted')).toHaveLength(FILES);
        badFirst.push(bad.requests.length - before);
      }
    } finally {
      await store.close();
    }
    // No record: the bad model is asked first for some findings; later runs ask it less.
    expect(badFirst[0]).toBeGreaterThanOrEqual(2);
    expect(badFirst[2]).toBeLessThan(badFirst[0]!);
    expect(badFirst[2]).toBeLessThanOrEqual(1);
  }, 240_000);
});
