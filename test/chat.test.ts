import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Answer } from '../src/pipeline/index.js';
import { useLlmServers, type LlmServer, type WireProtocol } from './helpers/llm-server.js';
import { beastAsync, git, makeRepo } from './helpers/repo.js';
import { client, startServe, stopServers } from './helpers/serve.js';

/*
 * `beast ask` and `POST /api/codebase/chat` end to end: the built CLI and server, the real store
 * and index over a real git repository, and local servers speaking the OpenAI and Anthropic
 * protocols. Nothing of ours is replaced.
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

const GOOD = 'add returns the sum of its arguments [src/math.ts:2-4]:\n```ts\nreturn a + b;\n```';
const FABRICATED = 'add returns the sum, see [src/math.ts:90-99].';

const { serve } = useLlmServers({ kind: 'status', status: 500 });
afterEach(stopServers);

async function chatRepo(server: LlmServer, protocol: WireProtocol): Promise<string> {
  const config = {
    models: {
      use: ['custom:local'],
      custom: {
        local: { protocol, baseUrl: server.baseUrl, model: 'local-model', timeoutMs: 5000 },
      },
    },
  };
  return makeRepo({
    'src/math.ts': MATH,
    'src/main.ts': MAIN,
    'beast.config.json': JSON.stringify(config, null, 2),
  });
}

interface AskJson {
  sessionId: number;
  messageId: number;
  answer: Answer;
}

async function ask(home: string, ...args: string[]) {
  const result = await beastAsync(['ask', ...args], { env: { BEAST_HOME: home } });
  return {
    ...result,
    json:
      args.includes('--json') && result.code < 2
        ? (JSON.parse(result.stdout) as AskJson)
        : undefined,
  };
}

const home = () => mkdtemp(path.join(tmpdir(), 'beast-chat-home-'));

/** The text of every message the server was sent in its `n`th request. */
function promptOf(server: LlmServer, n: number): string {
  return JSON.stringify(server.requests[n]?.body);
}

describe('beast ask', () => {
  it('answers from the index with citations that hold (OpenAI protocol)', async () => {
    const server = await serve('openai', { kind: 'answer', text: GOOD });
    const repo = await chatRepo(server, 'openai');
    const { code, json, stderr } = await ask(await home(), 'How does add work?', repo, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(json?.answer).toMatchObject({
      mode: 'grounded',
      failed: 0,
      repaired: false,
      model: 'custom:local',
      text: GOOD,
    });
    expect(json?.answer.commit).toBe(git(repo, 'rev-parse', 'HEAD').trim());
    expect(json?.answer.citations).toMatchObject([
      { file: 'src/math.ts', startLine: 2, endLine: 4, ok: true },
    ]);
    // The model saw the indexed declaration, labelled and numbered as it is at the commit.
    expect(server.requests).toHaveLength(1);
    expect(promptOf(server, 0)).toContain(
      '--- src/math.ts:2-4 (function add)\\n2 | export function add',
    );
  });

  it('catches a fabricated citation and repairs it once (Anthropic protocol)', async () => {
    const server = await serve(
      'anthropic',
      { kind: 'answer', text: FABRICATED },
      { kind: 'answer', text: GOOD },
    );
    const repo = await chatRepo(server, 'anthropic');
    const { code, json } = await ask(await home(), 'How does add work?', repo, '--json');
    expect(code).toBe(0);
    expect(json?.answer).toMatchObject({ mode: 'grounded', repaired: true, failed: 0, text: GOOD });
    expect(server.requests).toHaveLength(2);
    expect(promptOf(server, 1)).toContain('[src/math.ts:90-99]: file has 9 lines');
  });

  it('marks a citation that still fails after the repair, says so, and exits 1', async () => {
    const server = await serve(
      'openai',
      { kind: 'answer', text: FABRICATED },
      { kind: 'answer', text: FABRICATED },
    );
    const repo = await chatRepo(server, 'openai');
    const { code, stdout } = await ask(await home(), 'How does add work?', repo);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'add returns the sum, see [src/math.ts:90-99 (citation not found: file has 9 lines)].',
    );
    expect(stdout).toContain('Citations: 1 of 1 FAILED against the indexed commit');
    expect(stdout).toContain('  FAILED  src/math.ts:90-99: file has 9 lines');
    expect(stdout).toContain('after one repair of its citations');
    expect(server.requests).toHaveLength(2);
  });

  it('says it does not know, asking no model, when nothing relevant is indexed', async () => {
    const server = await serve('openai', { kind: 'answer', text: GOOD });
    const repo = await chatRepo(server, 'openai');
    const { code, json } = await ask(await home(), 'How is the weather in Paris?', repo, '--json');
    expect(code).toBe(0);
    expect(json?.answer).toMatchObject({ mode: 'unknown', citations: [], failed: 0 });
    expect(json?.answer.text).toMatch(/^I don't know/);
    expect(server.requests).toHaveLength(0);
  });

  it('answers offline with the best declarations, labelled extractive, citations checked', async () => {
    const server = await serve('openai', { kind: 'answer', text: GOOD });
    const repo = await chatRepo(server, 'openai');
    const { code, stdout } = await ask(await home(), 'How does add work?', repo, '--offline');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Extractive answer, no language model used \(offline\)/);
    expect(stdout).toContain('## add (function) [src/math.ts:2-4]');
    expect(stdout).toContain(
      "Referred to by (the index's reference graph):\n- `total` [src/main.ts:3]",
    );
    expect(stdout).toMatch(/Extractive answer \(no language model\) at commit [0-9a-f]{12}\./);
    expect(stdout).toMatch(/Citations: \d+ checked against the indexed commit, all hold\./);
    expect(server.requests).toHaveLength(0);
  });

  it('keeps a conversation: a follow-up in the session is asked with what came before', async () => {
    const server = await serve(
      'openai',
      { kind: 'answer', text: GOOD },
      { kind: 'answer', text: GOOD.replace('the sum of its arguments', 'a + b') },
    );
    const repo = await chatRepo(server, 'openai');
    const dir = await home();
    const first = await ask(dir, 'How does add work?', repo, '--json');
    const sessionId = String(first.json?.sessionId);
    const second = await ask(
      dir,
      'And what does it return?',
      repo,
      '--session',
      sessionId,
      '--json',
    );
    expect(second.code).toBe(0);
    expect(second.json?.sessionId).toBe(first.json?.sessionId);
    expect(promptOf(server, 1)).toContain(
      'Earlier in this conversation:\\nUser: How does add work?\\n\\nAssistant: add returns the sum',
    );
    expect(promptOf(server, 0)).not.toContain('Earlier in this conversation');

    const unknown = await ask(dir, 'How does add work?', repo, '--session', '999999');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no chat session 999999/);
  });
});

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split(/\n\n+/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

describe('POST /api/codebase/chat', () => {
  it('streams session, retrieval, text, citations and done over HTTP, and keeps the session', async () => {
    const server = await serve(
      'anthropic',
      { kind: 'answer', text: FABRICATED },
      { kind: 'answer', text: GOOD },
    );
    const repo = await chatRepo(server, 'anthropic');
    const beast = await startServe(await home());
    const token = /API token (\S+)/.exec(beast.lines[1] ?? '')?.[1] ?? '';
    const call = client(beast, token);
    const registered = (await (await call('POST', '/api/repos', { path: repo })).json()) as {
      repo: { id: number };
    };

    const refused = await fetch(new URL('/api/codebase/chat', beast.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ repo: registered.repo.id, question: 'How does add work?' }),
    });
    expect(refused.status).toBe(401);

    const response = await call('POST', '/api/codebase/chat', {
      repo: registered.repo.id,
      question: 'How does add work?',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = parseSse(await response.text());
    const names = events.map((e) => e.event);
    const firstText = names.indexOf('text');
    expect(names.slice(0, 2)).toEqual(['session', 'retrieval']);
    expect(firstText).toBe(2);
    expect(names.slice(firstText, -2).every((n) => n === 'text')).toBe(true);
    expect(names.slice(-2)).toEqual(['citations', 'done']);
    expect(events[1]?.data.hits).toContainEqual({
      location: 'src/math.ts:2-4',
      qualifiedName: 'add',
    });
    // The first answer streamed, then its repair.
    const attempts = events.filter((e) => e.event === 'text').map((e) => e.data.attempt);
    expect(attempts[0]).toBe(1);
    expect(attempts.at(-1)).toBe(2);
    const repaired = events
      .filter((e) => e.event === 'text' && e.data.attempt === 2)
      .map((e) => e.data.delta)
      .join('');
    expect(repaired).toBe(GOOD);
    const done = events.at(-1)?.data as { answer: Answer; messageId: number };
    expect(done.answer).toMatchObject({ mode: 'grounded', repaired: true, failed: 0, text: GOOD });

    const sessionId = events[0]?.data.sessionId as number;
    const stored = await call('GET', `/api/codebase/chat/${sessionId}`);
    expect(stored.status).toBe(200);
    const { messages } = (await stored.json()) as {
      messages: { id: number; role: string; text: string; citations?: unknown[] }[];
    };
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'How does add work?'],
      ['assistant', GOOD],
    ]);
    expect(messages[1]?.id).toBe(done.messageId);
    expect(messages[1]?.citations).toMatchObject([
      { file: 'src/math.ts', startLine: 2, endLine: 4, ok: true },
    ]);
    expect((await call('GET', '/api/codebase/chat/999999')).status).toBe(404);

    // A change committed after the first question is indexed before the next one is answered.
    await writeFile(path.join(repo, 'src/math.ts'), `// moved down\n${MATH}`);
    git(repo, 'commit', '-qam', 'move add down a line');
    server.enqueue({ kind: 'answer', text: GOOD });
    const again = await call('POST', '/api/codebase/chat', {
      repo: registered.repo.id,
      question: 'How does add work?',
      sessionId,
    });
    const next = parseSse(await again.text());
    expect(next[0]).toEqual({ event: 'session', data: { sessionId } });
    expect(next[1]?.data.hits).toContainEqual({
      location: 'src/math.ts:3-5',
      qualifiedName: 'add',
    });
    expect(promptOf(server, 2)).toContain('--- src/math.ts:3-5 (function add)');
    expect(promptOf(server, 2)).toContain('User: How does add work?');
  });
});
