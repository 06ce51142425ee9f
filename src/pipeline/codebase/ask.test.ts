import { describe, expect, it } from 'vitest';
import { useLlmServers, type LlmServer } from '../../../test/helpers/llm-server.js';
import { git, makeRepo } from '../../../test/helpers/repo.js';
import { commitReader, findUsages } from '../../analysis/index.js';
import type { LlmModel } from '../../models/index.js';
import { openStore } from '../../store/index.js';
import { setupModels } from '../models.js';
import {
  answerQuestion,
  buildAskPrompt,
  contentWords,
  excerptsOf,
  relevantHits,
  type AnswerOptions,
} from './ask.js';
import type { SearchHit } from './types.js';

/*
 * Answers from retrieval hits built here (the index's search is another part's work), with the
 * real citation checker over a real git commit and real LLM servers on 127.0.0.1.
 */

const MATH = [
  '/** Adds two numbers. */',
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '',
  '/** Subtracts b from a. */',
  'export function subtract(a: number, b: number): number {',
  '  return a - b;',
  '}',
  '',
].join('\n');

const MAIN = ["import { add } from './math.js';", '', 'export const total = add(1, 2);', ''].join(
  '\n',
);

function hit(name: string, startLine: number, endLine: number, doc: string): SearchHit {
  return {
    symbol: {
      id: startLine,
      rank: 0.1,
      file: 'src/math.ts',
      name,
      qualifiedName: name,
      kind: 'function',
      exported: true,
      signature: `export function ${name}(a: number, b: number): number`,
      doc,
      startLine,
      endLine,
      references: [],
    },
    score: 1,
    location: `src/math.ts:${startLine}-${endLine}`,
    snippet: MATH.split('\n')
      .slice(startLine - 1, endLine)
      .join('\n'),
  };
}

const HITS = [hit('add', 2, 4, 'Adds two numbers.'), hit('subtract', 7, 9, 'Subtracts b from a.')];

const { serve } = useLlmServers({ kind: 'status', status: 500 });

async function repo() {
  const root = await makeRepo({ 'src/math.ts': MATH, 'src/main.ts': MAIN });
  return { root, commit: git(root, 'rev-parse', 'HEAD').trim() };
}

async function llm(server: LlmServer, protocol: 'openai' | 'anthropic'): Promise<LlmModel[]> {
  const setup = await setupModels({
    config: {
      use: ['custom:local'],
      custom: {
        local: { protocol, baseUrl: server.baseUrl, model: 'local-model', timeoutMs: 5000 },
      },
    },
    env: {},
    store: await openStore(':memory:'),
  });
  return setup.models as LlmModel[];
}

async function options(extra: Partial<AnswerOptions>): Promise<AnswerOptions> {
  const { root, commit } = await repo();
  return {
    question: 'How does add work?',
    hits: HITS,
    map: 'src/math.ts: add, subtract',
    commit,
    read: commitReader(root, commit),
    usages: (name) => findUsages(root, commit, name, 10),
    models: [],
    ...extra,
  };
}

/** The prompt text the server received in its `n`th request. */
function promptOf(server: LlmServer, n: number): string {
  return JSON.stringify(server.requests[n]?.body);
}

describe('relevance', () => {
  it('splits code words and drops words that name no code', () => {
    expect(contentWords('How does parseCitations handle snake_case_names?')).toEqual([
      'parse',
      'citations',
      'handle',
      'snake',
      'case',
      'names',
    ]);
  });

  it.each([
    ['the name', 'What does add compute?', ['add']],
    ['a stem of the doc', 'Where do we subtract numbers?', ['add', 'subtract']],
    ['nothing', 'How is the weather in Paris?', []],
    ['only generic words', 'What does this function do?', []],
  ])('keeps hits that share %s with the question', (_, question, names) => {
    expect(relevantHits(question, HITS).map((h) => h.symbol.name)).toEqual(names);
  });
});

describe('prompt', () => {
  it('labels each excerpt with its location and numbers its lines', async () => {
    const { root, commit } = await repo();
    const excerpts = await excerptsOf(HITS, commitReader(root, commit));
    const request = buildAskPrompt({
      question: 'How does add work?',
      excerpts,
      map: 'MAP',
      history: [
        { role: 'user', text: 'Earlier question' },
        { role: 'assistant', text: 'Earlier answer' },
      ],
      commit,
    });
    expect(request.prompt).toContain('--- src/math.ts:2-4 (function add)\n2 | export function add');
    expect(request.prompt).toContain('4 | }');
    expect(request.prompt).toContain('User: Earlier question\n\nAssistant: Earlier answer');
    expect(request.prompt.indexOf('MAP')).toBeLessThan(
      request.prompt.indexOf('Question: How does add work?'),
    );
    expect(request.system).toMatch(/\[path:start-end\]/);
    expect(request.system).toMatch(/I don't know/);
    expect(request.purpose).toEqual({ task: 'ask' });
  });
});

const GOOD = 'It returns the sum [src/math.ts:2-4]:\n```ts\nreturn a + b;\n```';
const FABRICATED = 'It returns the sum, see [src/math.ts:90-99].';

describe('answerQuestion', () => {
  it('streams a grounded answer whose citations hold (OpenAI protocol)', async () => {
    const server = await serve('openai', { kind: 'answer', text: GOOD });
    const deltas: string[] = [];
    const answer = await answerQuestion(
      await options({ models: await llm(server, 'openai'), onText: (d) => deltas.push(d) }),
    );
    expect(answer).toMatchObject({
      mode: 'grounded',
      failed: 0,
      repaired: false,
      model: 'custom:local',
      text: GOOD,
    });
    expect(answer.citations).toMatchObject([
      { file: 'src/math.ts', startLine: 2, endLine: 4, ok: true, quoted: 'return a + b;' },
    ]);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(GOOD);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body.stream).toBe(true);
    expect(promptOf(server, 0)).toContain('src/math.ts:2-4');
  });

  it('catches a fabricated citation and repairs it once (Anthropic protocol)', async () => {
    const server = await serve(
      'anthropic',
      { kind: 'answer', text: FABRICATED },
      { kind: 'answer', text: GOOD },
    );
    const attempts: number[] = [];
    const answer = await answerQuestion(
      await options({ models: await llm(server, 'anthropic'), onText: (_, a) => attempts.push(a) }),
    );
    expect(answer).toMatchObject({ mode: 'grounded', repaired: true, failed: 0, text: GOOD });
    expect(server.requests).toHaveLength(2);
    expect(promptOf(server, 1)).toContain('[src/math.ts:90-99]: file has 9 lines');
    expect(attempts[0]).toBe(1);
    expect(attempts.at(-1)).toBe(2);
  });

  it('marks citations that still fail after the one repair', async () => {
    const server = await serve(
      'openai',
      { kind: 'answer', text: FABRICATED },
      { kind: 'answer', text: FABRICATED },
    );
    const answer = await answerQuestion(await options({ models: await llm(server, 'openai') }));
    expect(answer).toMatchObject({ mode: 'grounded', repaired: true, failed: 1 });
    expect(answer.text).toBe(
      'It returns the sum, see [src/math.ts:90-99 (citation not found: file has 9 lines)].',
    );
    expect(answer.citations[0]).toMatchObject({ ok: false, reason: 'out-of-range' });
    expect(server.requests).toHaveLength(2);
  });

  it('asks again when an answer cites nothing', async () => {
    const server = await serve(
      'openai',
      { kind: 'answer', text: 'It adds.' },
      { kind: 'answer', text: GOOD },
    );
    const answer = await answerQuestion(await options({ models: await llm(server, 'openai') }));
    expect(answer).toMatchObject({ repaired: true, failed: 0, text: GOOD });
    expect(promptOf(server, 1)).toContain('the answer cites no lines at all');
  });

  it('says it does not know, asking no model, when nothing relevant was retrieved', async () => {
    const server = await serve('openai', { kind: 'answer', text: GOOD });
    const deltas: string[] = [];
    const answer = await answerQuestion(
      await options({
        question: 'How is the weather in Paris?',
        models: await llm(server, 'openai'),
        onText: (d) => deltas.push(d),
      }),
    );
    expect(answer).toMatchObject({ mode: 'unknown', citations: [], failed: 0 });
    expect(answer.text).toMatch(/^I don't know/);
    expect(deltas).toEqual([answer.text]);
    expect(server.requests).toHaveLength(0);
  });

  it('answers offline with the best declarations, labelled extractive, every citation holding', async () => {
    const answer = await answerQuestion(await options({ offlineReason: 'offline' }));
    expect(answer.mode).toBe('extractive');
    expect(answer.model).toBeUndefined();
    expect(answer.text).toMatch(/^Extractive answer, no language model used \(offline\)/);
    expect(answer.text).toContain('## add (function) [src/math.ts:2-4]');
    expect(answer.text).toContain('Adds two numbers.');
    expect(answer.text).toContain("- [src/main.ts:1] `import { add } from './math.js';`");
    expect(answer.text).toContain('- [src/main.ts:3] `export const total = add(1, 2);`');
    expect(answer.failed).toBe(0);
    expect(answer.citations.length).toBeGreaterThanOrEqual(4);
    expect(answer.citations.every((c) => c.ok)).toBe(true);
    // The code cited is quoted, so the checker compared it with the commit's lines.
    expect(answer.citations.filter((c) => c.quoted !== undefined).length).toBeGreaterThan(0);
  });
});
