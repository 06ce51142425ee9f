import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/*
 * A real HTTP server on 127.0.0.1 that speaks the two embedding protocols: OpenAI's
 * `POST /v1/embeddings` and Ollama's `POST /api/embed`. Its vectors are computed from the text
 * (hashed bag of words), so texts that share words are near each other and ranking means something.
 */

export type EmbeddingProtocol = 'openai' | 'ollama';

/** What the server does with the next request. */
export type EmbeddingReply =
  | { kind: 'vectors'; tokens?: number }
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  /** Never answers; the client must time out. */
  | { kind: 'hang' }
  | { kind: 'not-json' }
  /** One vector fewer than texts. */
  | { kind: 'wrong-count' }
  /** The second vector shorter than the first. */
  | { kind: 'varying-dimensions' }
  /** A component that is not a number (`"NaN"`). */
  | { kind: 'not-numbers' }
  /** The chat completions shape instead of embeddings. */
  | { kind: 'wrong-shape' };

export interface EmbeddingRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: { model?: unknown; input?: unknown; dimensions?: unknown };
  /** The texts asked for, as sent. */
  texts: string[];
}

export interface EmbeddingServer {
  readonly protocol: EmbeddingProtocol;
  /** Base URL for a deployment: ending in `/v1` for OpenAI, the host's root for Ollama. */
  readonly baseUrl: string;
  readonly requests: EmbeddingRequest[];
  /** Replies for the next requests, in order; then vectors for every request. */
  enqueue(...replies: EmbeddingReply[]): void;
  /** The reply to every unscripted request (default `{ kind: 'vectors' }`). */
  setFallback(reply: EmbeddingReply): void;
  /** Every text embedded so far, over all requests. */
  embeddedTexts(): string[];
  close(): Promise<void>;
}

export const FAKE_DIMENSIONS = 64;

/**
 * The server's vector of a text: each lower-cased word (camelCase split) adds 1 at a position
 * given by its hash, then the vector is normalised. Texts sharing words have a cosine near 1.
 */
export function fakeEmbedding(text: string, dimensions = FAKE_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1);
  for (const word of words) {
    const slot = createHash('sha256').update(word).digest().readUInt32BE(0) % dimensions;
    vector[slot]! += 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0)) || 1;
  return vector.map((x) => x / norm);
}

function textsOf(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  return Array.isArray(input) ? input.map(String) : [];
}

function vectorsBody(protocol: EmbeddingProtocol, vectors: unknown[], tokens: number) {
  if (protocol === 'ollama') {
    return { model: 'm', embeddings: vectors, total_duration: 1, prompt_eval_count: tokens };
  }
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model: 'm',
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

export async function startEmbeddingServer(
  protocol: EmbeddingProtocol,
  options: { dimensions?: number } = {},
): Promise<EmbeddingServer> {
  const dimensions = options.dimensions ?? FAKE_DIMENSIONS;
  const queue: EmbeddingReply[] = [];
  let fallback: EmbeddingReply = { kind: 'vectors' };
  const requests: EmbeddingRequest[] = [];
  const sockets = new Set<Socket>();
  const path = protocol === 'openai' ? '/v1/embeddings' : '/api/embed';

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: EmbeddingRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EmbeddingRequest['body'];
      } catch {
        // Recorded as an empty body; the reply below is a 400.
      }
      const texts = textsOf(body.input);
      requests.push({ path: req.url ?? '', headers: req.headers, body, texts });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method !== 'POST' || req.url !== path) {
        return json(404, { error: { message: `no route ${req.method} ${req.url}` } });
      }
      const reply = queue.shift() ?? fallback;
      const asked = typeof body.dimensions === 'number' ? body.dimensions : dimensions;
      const vectors = texts.map((t) => fakeEmbedding(t, asked));
      const tokens = texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0);
      switch (reply.kind) {
        case 'vectors':
          return json(200, vectorsBody(protocol, vectors, reply.tokens ?? tokens));
        case 'status': {
          res.writeHead(reply.status, {
            'content-type': 'application/json',
            ...(reply.retryAfter ? { 'retry-after': reply.retryAfter } : {}),
          });
          return res.end(JSON.stringify({ error: { message: reply.message ?? 'failure' } }));
        }
        case 'hang':
          return;
        case 'not-json':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('<html>gateway</html>');
        case 'wrong-count':
          return json(200, vectorsBody(protocol, vectors.slice(1), tokens));
        case 'varying-dimensions':
          return json(
            200,
            vectorsBody(
              protocol,
              vectors.map((v, i) => (i === 1 ? v.slice(1) : v)),
              tokens,
            ),
          );
        case 'not-numbers':
          return json(
            200,
            vectorsBody(
              protocol,
              vectors.map((v) => ['NaN', ...v.slice(1)]),
              tokens,
            ),
          );
        case 'wrong-shape':
          return json(200, { choices: [{ message: { content: 'hi' } }] });
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const root = `http://127.0.0.1:${port}`;
  return {
    protocol,
    baseUrl: protocol === 'openai' ? `${root}/v1` : root,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    setFallback: (reply) => void (fallback = reply),
    embeddedTexts: () => requests.flatMap((r) => r.texts),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
