import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AnswerTooLargeError, DeploymentError } from '../llm/errors.js';
import type { Deployment } from '../llm/types.js';
import { bodyCap } from './capped-fetch.js';
import { createLlmClient } from './client.js';

/*
 * A hostile OpenAI-compatible server on 127.0.0.1: huge, endless and garbled bodies. The client
 * must end each with one clear error, whatever the server keeps sending.
 */

type Behaviour = (res: ServerResponse) => void;

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

/** Bytes the server managed to write, to show that reading stopped near the cap. */
let written = 0;

async function serve(behaviour: Behaviour): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => behaviour(res));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

/** Writes `prefix`, then `piece` again and again until the client goes away. */
function endless(contentType: string, prefix: string, piece: string): Behaviour {
  return (res) => {
    written = 0;
    res.writeHead(200, { 'content-type': contentType });
    res.write(prefix);
    const more = (): void => {
      if (res.destroyed) return;
      written += piece.length;
      if (res.write(piece)) setImmediate(more);
      else res.once('drain', more);
    };
    more();
  };
}

const COMPLETION_START =
  '{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"';

function chunk(content: string): string {
  return `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
}

function client(baseUrl: string, maxAnswerBytes: number) {
  const deployment: Deployment = {
    id: 'custom:hostile',
    protocol: 'openai',
    model: 'm',
    baseUrl,
    maxAnswerBytes,
  };
  return createLlmClient(deployment, { env: {} });
}

const request = { system: 's', prompt: 'p' };

async function failure(promise: Promise<unknown>): Promise<DeploymentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeploymentError);
  return error as DeploymentError;
}

describe('answers larger than maxAnswerBytes', () => {
  it('ends an endless body at the cap with answer-too-large, not retryable', async () => {
    const url = await serve(endless('application/json', COMPLETION_START, 'a'.repeat(65_536)));
    const error = await failure(client(url, 1024).complete(request));
    expect(error).toBeInstanceOf(AnswerTooLargeError);
    expect(error.code).toBe('answer-too-large');
    expect(error.isRetryable).toBe(false);
    expect(error.message).toBe(
      `custom:hostile: response larger than ${bodyCap(1024)} bytes (maxAnswerBytes); refused`,
    );
    // Reading stopped: the server got no further than a few buffers past the cap.
    expect(written).toBeLessThan(bodyCap(1024) + 16 * 1024 * 1024);
  });

  it('refuses a whole answer over the cap even when its body fits', async () => {
    const body = JSON.stringify({
      id: 'x',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'b'.repeat(2000) },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const error = await failure(client(url, 1024).complete(request));
    expect(error.message).toBe(
      'custom:hostile: answer larger than 1024 bytes (maxAnswerBytes); refused',
    );
  });

  it('ends an endless stream of text at the cap', async () => {
    const url = await serve(endless('text/event-stream', '', chunk('c'.repeat(1024))));
    const seen: string[] = [];
    const error = await failure(client(url, 8192).stream(request, (t) => seen.push(t)));
    expect(error).toBeInstanceOf(AnswerTooLargeError);
    expect(seen.join('').length).toBeLessThanOrEqual(8192);
  });

  it('ends an endless stream that carries no text (keep-alive comments) at the body cap', async () => {
    const url = await serve(endless('text/event-stream', '', ': ping\n\n'.repeat(1024)));
    const error = await failure(client(url, 1024).stream(request, () => undefined));
    expect(error).toBeInstanceOf(AnswerTooLargeError);
  });
});

describe('garbage from a provider', () => {
  const NOT_JSON = 'custom:hostile: unusable response: the body is not JSON';
  const WRONG =
    'custom:hostile: unusable response: the body is not an answer in the openai protocol';
  it.each([
    ['not JSON', 'application/json', '<html>oops</html>', NOT_JSON],
    ['the wrong shape', 'application/json', '{"answer": 42}', WRONG],
    ['usage of the wrong type', 'application/json', '{"choices": [], "usage": "NaN"}', WRONG],
    ['an empty body', 'application/json', '', NOT_JSON],
  ])('%s is one clear line, not retried', async (_name, type, body, message) => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    });
    const error = await failure(client(url, 1024).complete(request));
    expect(error.isRetryable).toBe(false);
    expect(error.message).toBe(message);
  });
});
