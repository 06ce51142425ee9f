import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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
  | { kind: 'reset' };

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
  setFallback(reply: Reply): void;
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

function respond(
  protocol: WireProtocol,
  reply: Reply,
  req: RecordedRequest,
  res: ServerResponse,
): void {
  switch (reply.kind) {
    case 'answer':
      return json(res, 200, answerBody(protocol, reply, req.body.model));
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
 * protocol (non-streaming), with scripted faults. No ports are fixed; nothing leaves the machine.
 */
export async function startLlmServer(
  protocol: WireProtocol,
  fallback: Reply = { kind: 'answer', text: 'no script' },
): Promise<LlmServer> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let otherwise = fallback;
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
      respond(protocol, queue.shift() ?? otherwise, recorded, res);
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
