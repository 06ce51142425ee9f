import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach } from 'vitest';

/** What the server does with the next request. */
export type Reply =
  | { kind: 'answer'; text: string; inputTokens?: number; outputTokens?: number }
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  /** A 401 whose error message echoes the request's key back, as a careless proxy might. */
  | { kind: 'echo-key' }
  /** Never answers; the client must time out. */
  | { kind: 'hang' }
  | { kind: 'malformed-json' }
  /** Closes the connection without a response. */
  | { kind: 'reset' }
  /** Streams the first pieces of `text`, then drops the connection (non-streaming: half the body). */
  | { kind: 'truncated'; text: string };

export type WireProtocol = 'openai' | 'anthropic';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface LlmServer {
  /** Base URL to give a deployment, ending in `/v1`. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Replies for the next requests, in order; then `fallback` answers. */
  enqueue(...replies: Reply[]): void;
  /** The reply to an unscripted request: a fixed one, or one computed from the request. */
  setFallback(reply: Reply | ((request: RecordedRequest) => Reply)): void;
  /** Forgets queued replies and recorded requests, for a fresh run on the same server. */
  reset(): void;
  close(): Promise<void>;
}

const PATHS: Record<WireProtocol, string> = {
  openai: '/v1/chat/completions',
  anthropic: '/v1/messages',
};

function answerBody(
  protocol: WireProtocol,
  reply: Extract<Reply, { kind: 'answer' }>,
  model: unknown,
) {
  const input = reply.inputTokens ?? 100;
  const output = reply.outputTokens ?? 50;
  if (protocol === 'anthropic') {
    return {
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: reply.text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: input, output_tokens: output },
    };
  }
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: 'stop' },
    ],
    usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
  };
}

function errorBody(protocol: WireProtocol, status: number, message: string) {
  return protocol === 'anthropic'
    ? { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message } }
    : { error: { message, type: 'server_error', code: String(status) } };
}

function keyOf(headers: IncomingMessage['headers']): string {
  const auth = headers.authorization ?? headers['x-api-key'] ?? '';
  return String(auth).replace(/^Bearer /, '');
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The server-sent events of a streamed answer, in the protocol's own framing. */
function streamEvents({
  protocol,
  text,
  model,
  input,
  output,
}: {
  protocol: WireProtocol;
  text: string;
  model: unknown;
  input: number;
  output: number;
}): string[] {
  const pieces = text.match(/[\s\S]{1,8}/g) ?? [];
  if (protocol === 'anthropic') {
    const event = (data: Record<string, unknown>) =>
      `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
    return [
      event({
        type: 'message_start',
        message: {
          id: 'msg_test',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: input, output_tokens: 1 },
        },
      }),
      event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      ...pieces.map((piece) =>
        event({
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: piece },
        }),
      ),
      event({ type: 'content_block_stop', index: 0 }),
      event({
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: output },
      }),
      event({ type: 'message_stop' }),
    ];
  }
  const chunk = (choices: unknown[], usage?: unknown) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices, ...(usage ? { usage } : {}) })}\n\n`;
  return [
    ...pieces.map((piece, index) =>
      chunk([
        {
          index: 0,
          delta: index === 0 ? { role: 'assistant', content: piece } : { content: piece },
          finish_reason: null,
        },
      ]),
    ),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    chunk([], { prompt_tokens: input, completion_tokens: output, total_tokens: input + output }),
    'data: [DONE]\n\n',
  ];
}

function stream(res: ServerResponse, events: readonly string[], truncate: boolean): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // A truncated stream stops after the first text events; the client must see the break.
  const sent = truncate ? events.slice(0, 3) : events;
  for (const event of sent) res.write(event);
  if (truncate) setImmediate(() => res.socket?.destroy());
  else res.end();
}

function truncatedBody(
  protocol: WireProtocol,
  text: string,
  req: RecordedRequest,
  res: ServerResponse,
): void {
  if (req.body.stream === true)
    return stream(
      res,
      streamEvents({ protocol, text, model: req.body.model, input: 100, output: 50 }),
      true,
    );
  const body = JSON.stringify(answerBody(protocol, { kind: 'answer', text }, req.body.model));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
  res.write(body.slice(0, body.length / 2));
  setImmediate(() => res.socket?.destroy());
}

function respond(
  protocol: WireProtocol,
  reply: Reply,
  req: RecordedRequest,
  res: ServerResponse,
): void {
  switch (reply.kind) {
    case 'answer': {
      if (req.body.stream !== true)
        return json(res, 200, answerBody(protocol, reply, req.body.model));
      const events = streamEvents({
        protocol,
        text: reply.text,
        model: req.body.model,
        input: reply.inputTokens ?? 100,
        output: reply.outputTokens ?? 50,
      });
      return stream(res, events, false);
    }
    case 'truncated':
      return truncatedBody(protocol, reply.text, req, res);
    case 'status': {
      const headers: Record<string, string> = reply.retryAfter
        ? { 'retry-after': reply.retryAfter }
        : {};
      return json(
        res,
        reply.status,
        errorBody(protocol, reply.status, reply.message ?? `status ${reply.status}`),
        headers,
      );
    }
    case 'echo-key':
      return json(res, 401, errorBody(protocol, 401, `invalid key ${keyOf(req.headers)}`));
    case 'malformed-json':
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"id": "broken", "choices": [');
    case 'reset':
      return void res.socket?.destroy();
    case 'hang':
      return;
  }
}

/**
 * A local server on 127.0.0.1 that speaks the OpenAI chat-completions or the Anthropic messages
 * protocol, streamed or not, with scripted faults. No ports are fixed; nothing leaves the machine.
 */
export async function startLlmServer(
  protocol: WireProtocol,
  fallback: Reply = { kind: 'answer', text: 'no script' },
): Promise<LlmServer> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let otherwise: Reply | ((request: RecordedRequest) => Reply) = fallback;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const recorded = {
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(raw || '{}') as Record<string, unknown>,
      };
      requests.push(recorded);
      if (req.method !== 'POST' || req.url !== PATHS[protocol]) {
        return json(res, 404, errorBody(protocol, 404, `no route ${req.method} ${req.url}`));
      }
      const reply =
        queue.shift() ?? (typeof otherwise === 'function' ? otherwise(recorded) : otherwise);
      respond(protocol, reply, recorded, res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setFallback: (reply) => void (otherwise = reply),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Starts servers for one test file and closes them after each test. `serve` starts one whose
 * unscripted requests get `fallback`, with `replies` queued first.
 */
export function useLlmServers(fallback: Reply): {
  serve(protocol: WireProtocol, ...replies: Reply[]): Promise<LlmServer>;
} {
  let servers: LlmServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });
  return {
    async serve(protocol, ...replies) {
      const server = await startLlmServer(protocol, fallback);
      server.enqueue(...replies);
      servers.push(server);
      return server;
    },
  };
}
