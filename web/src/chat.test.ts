/// <reference types="node" />
// The test runs in Node (vitest), with a real HTTP server: Node's types, for this file only.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from './api';
import { applyChatEvent, ask, newTurn, toChatEvent, turnsOf, type ChatEvent } from './chat';
import type { ChatAnswer } from './types';

const answer: ChatAnswer = {
  text: 'See [src/cart.js:3-9].',
  mode: 'extractive',
  citations: [{ file: 'src/cart.js', startLine: 3, endLine: 9, ok: true, index: 4 }],
  repaired: false,
  failed: 0,
  commit: 'a'.repeat(40),
};

describe('toChatEvent', () => {
  const cases: { event: string; data: string; parsed: ChatEvent | null }[] = [
    { event: 'session', data: '{"sessionId":"s1"}', parsed: { type: 'session', sessionId: 's1' } },
    { event: 'session', data: '{"sessionId":7}', parsed: { type: 'session', sessionId: '7' } },
    {
      event: 'retrieval',
      data: '{"hits":[{"location":"a.ts:1-2","qualifiedName":"f"}]}',
      parsed: { type: 'retrieval', hits: [{ location: 'a.ts:1-2', qualifiedName: 'f' }] },
    },
    {
      event: 'text',
      data: '{"delta":"Hel"}',
      parsed: { type: 'text', delta: 'Hel', attempt: 1 },
    },
    {
      event: 'text',
      data: '{"delta":"Re","attempt":2}',
      parsed: { type: 'text', delta: 'Re', attempt: 2 },
    },
    {
      event: 'citations',
      data: '{"citations":[]}',
      parsed: { type: 'citations', citations: [] },
    },
    {
      event: 'done',
      data: JSON.stringify({ answer, messageId: 12 }),
      parsed: { type: 'done', answer, messageId: 12 },
    },
    {
      event: 'error',
      data: '{"message":"no index"}',
      parsed: { type: 'error', message: 'no index' },
    },
    { event: 'error', data: 'plain words', parsed: { type: 'error', message: 'plain words' } },
    { event: 'text', data: 'not json', parsed: null },
    { event: 'text', data: '{"delta":3}', parsed: null },
    { event: 'done', data: '{}', parsed: null },
    { event: 'message', data: '{}', parsed: null },
  ];
  for (const c of cases) {
    it(`${c.event} ${c.data}`, () => {
      expect(toChatEvent({ event: c.event, data: c.data })).toEqual(c.parsed);
    });
  }
});

describe('applyChatEvent', () => {
  it('accumulates deltas, then takes the final answer (a repair may rewrite the text)', () => {
    const events: ChatEvent[] = [
      { type: 'session', sessionId: 's' },
      { type: 'retrieval', hits: [{ location: 'src/cart.js:3-9', qualifiedName: 'total' }] },
      { type: 'text', delta: 'See [src/ca', attempt: 1 },
      { type: 'text', delta: 'rt.js:3-90].', attempt: 1 },
    ];
    const first = events.reduce(applyChatEvent, newTurn('where are totals?'));
    expect(first).toMatchObject({ text: 'See [src/cart.js:3-90].', streaming: true });
    // The repair starts the text over.
    const repair: ChatEvent[] = [
      { type: 'text', delta: 'See [src/', attempt: 2 },
      { type: 'text', delta: 'cart.js:3-9].', attempt: 2 },
    ];
    const streamed = repair.reduce(applyChatEvent, first);
    expect(streamed).toMatchObject({ text: 'See [src/cart.js:3-9].', attempt: 2, streaming: true });
    expect(streamed.retrieved).toHaveLength(1);
    const done = applyChatEvent(streamed, { type: 'done', answer, messageId: 1 });
    expect(done).toMatchObject({ text: answer.text, answer, streaming: false, error: null });
    const failed = applyChatEvent(streamed, { type: 'error', message: 'boom' });
    expect(failed).toMatchObject({ error: 'boom', streaming: false, answer: null });
  });
});

/*
 * The SSE-over-POST client against a real HTTP server on 127.0.0.1: the request carries the CSRF
 * header and the JSON body, the stream arrives in pieces cut anywhere, and a CSRF token another tab
 * rotated is read again and the question sent once more.
 */
describe('ask over a real HTTP stream', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  const bodyOf = async (request: IncomingMessage): Promise<string> => {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    return text;
  };

  async function serve(
    handle: Parameters<typeof createServer>[1] & {},
  ): Promise<{ url: string; seen: { csrf?: string; body: string; accept?: string }[] }> {
    const seen: { csrf?: string; body: string; accept?: string }[] = [];
    server = createServer((request, response) => {
      void bodyOf(request).then((body) => {
        if (request.url === '/api/codebase/chat')
          seen.push({
            csrf: request.headers['x-csrf-token'] as string | undefined,
            accept: request.headers.accept,
            body,
          });
        handle(request, response);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
  }

  const STREAM = [
    'event: session\ndata: {"sessionId":"s1"}\n\n',
    ': keep-alive\n\n',
    'event: retrieval\ndata: {"hits":[{"location":"src/cart.js:3-9","qualifiedName":"total"}]}\n\n',
    `event: text\ndata: ${JSON.stringify({ delta: 'See [src/' })}\n\n`,
    `event: text\ndata: ${JSON.stringify({ delta: 'cart.js:3-9].' })}\n\n`,
    `event: citations\ndata: ${JSON.stringify({ citations: answer.citations })}\n\n`,
    `event: done\ndata: ${JSON.stringify({ answer, messageId: 5 })}\n\n`,
  ].join('');

  it('posts the question with the CSRF token and reads the events as they come', async () => {
    const { url, seen } = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      // Cut into pieces of 7 bytes, each sent on its own.
      const bytes = Buffer.from(STREAM);
      let at = 0;
      const next = (): void => {
        if (at >= bytes.length) return void response.end();
        response.write(bytes.subarray(at, (at += 7)));
        setImmediate(next);
      };
      next();
    });
    const events: ChatEvent[] = [];
    await ask(
      createApi('token-1', url),
      { repo: '1', question: 'where are totals?', sessionId: 4 },
      (e) => events.push(e),
    );
    expect(seen).toEqual([
      {
        csrf: 'token-1',
        accept: 'text/event-stream',
        body: JSON.stringify({ repo: '1', question: 'where are totals?', sessionId: 4 }),
      },
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'session',
      'retrieval',
      'text',
      'text',
      'citations',
      'done',
    ]);
    const turn = events.reduce(applyChatEvent, newTurn('where are totals?'));
    expect(turn).toMatchObject({ text: answer.text, streaming: false, answer });
  });

  it('reads a rotated CSRF token and asks again; a stream cut short ends with an error', async () => {
    const { url, seen } = await serve((request, response) => {
      if (request.url === '/api/session') {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        return void response.end(JSON.stringify({ session: { csrfToken: 'token-2' } }));
      }
      if (request.headers['x-csrf-token'] !== 'token-2') {
        response.writeHead(403, { 'Content-Type': 'application/json' });
        return void response.end(JSON.stringify({ error: { code: 'csrf', message: 'stale' } }));
      }
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.end('event: text\ndata: {"delta":"half an ans"}\n\n');
    });
    const events: ChatEvent[] = [];
    await ask(createApi('token-1', url), { repo: '1', question: 'q' }, (e) => events.push(e));
    expect(seen.map((s) => s.csrf)).toEqual(['token-1', 'token-2']);
    expect(events).toEqual([
      { type: 'text', delta: 'half an ans', attempt: 1 },
      { type: 'error', message: 'The answer stopped before it was finished.' },
    ]);
  });

  it("throws the API's error when the question is refused", async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(409, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'not-indexed', message: 'index it first' } }));
    });
    await expect(
      ask(createApi('t', url), { repo: '1', question: 'q' }, () => undefined),
    ).rejects.toMatchObject({ status: 409, code: 'not-indexed', message: 'index it first' });
  });
});

describe('turnsOf', () => {
  it('pairs each stored question with its answer; a question still unanswered has none', () => {
    const turns = turnsOf([
      { id: 1, role: 'user', text: 'where are totals?', createdAt: '' },
      {
        id: 2,
        role: 'assistant',
        text: answer.text,
        createdAt: '',
        mode: 'extractive',
        citations: answer.citations,
        commit: answer.commit,
        repaired: false,
        failed: 0,
        model: null,
      },
      { id: 3, role: 'user', text: 'and taxes?', createdAt: '' },
    ]);
    expect(turns.map((t) => [t.question, t.answer?.mode ?? null, t.streaming])).toEqual([
      ['where are totals?', 'extractive', false],
      ['and taxes?', null, false],
    ]);
    expect(turns[0]!.answer).toEqual(answer);
    expect(turns[0]!.text).toBe(answer.text);
  });
});
