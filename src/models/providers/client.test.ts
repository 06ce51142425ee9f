import { afterEach, describe, expect, it } from 'vitest';
import {
  startLlmServer,
  type LlmServer,
  type Reply,
  type WireProtocol,
} from '../../../test/helpers/llm-server.js';
import { DeploymentError } from '../llm/errors.js';
import type { Deployment } from '../llm/types.js';
import { createLlmClient } from './client.js';

const KEY = 'sk-test-secret-0123456789';
const env = { TEST_LLM_KEY: KEY };
const request = { system: 'You fix code.', prompt: 'Fix it.' };

let servers: LlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(protocol: WireProtocol, ...replies: Reply[]): Promise<LlmServer> {
  const server = await startLlmServer(protocol);
  server.enqueue(...replies);
  servers.push(server);
  return server;
}

function deployment(
  protocol: WireProtocol,
  server: LlmServer,
  extra: Partial<Deployment> = {},
): Deployment {
  return {
    id: `custom:${protocol}`,
    protocol,
    model: 'test-model',
    baseUrl: server.baseUrl,
    apiKeyEnv: 'TEST_LLM_KEY',
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<DeploymentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeploymentError);
  return error as DeploymentError;
}

describe.each(['openai', 'anthropic'] as const)('createLlmClient over %s', (protocol) => {
  it('sends the prompt with the key and returns the text and reported tokens', async () => {
    const server = await serve(protocol, {
      kind: 'answer',
      text: 'hello',
      inputTokens: 12,
      outputTokens: 3,
    });
    const client = createLlmClient(
      deployment(protocol, server, { headers: { 'x-team': 'beast' } }),
      { env },
    );
    await expect(client.complete(request)).resolves.toEqual({
      text: 'hello',
      inputTokens: 12,
      outputTokens: 3,
    });
    const sent = server.requests[0];
    expect(sent?.body.model).toBe('test-model');
    expect(sent?.headers['x-team']).toBe('beast');
    expect(JSON.stringify(sent?.headers)).toContain(KEY);
  });

  it.each([
    [{ kind: 'status', status: 429, retryAfter: '7' } as const, true, 429, 7000],
    [{ kind: 'status', status: 500 } as const, true, 500, undefined],
    [{ kind: 'status', status: 503 } as const, true, 503, undefined],
    [{ kind: 'status', status: 408 } as const, true, 408, undefined],
    [{ kind: 'status', status: 409 } as const, true, 409, undefined],
    [{ kind: 'status', status: 400 } as const, false, 400, undefined],
    [{ kind: 'status', status: 401 } as const, false, 401, undefined],
    [{ kind: 'status', status: 403 } as const, false, 403, undefined],
  ])('maps %j to retryable=%s', async (reply, retryable, status, retryAfterMs) => {
    const server = await serve(protocol, reply);
    const error = await failure(
      createLlmClient(deployment(protocol, server), { env }).complete(request),
    );
    expect({
      retryable: error.isRetryable,
      status: error.status,
      retryAfterMs: error.retryAfterMs,
    }).toEqual({
      retryable,
      status,
      retryAfterMs,
    });
    expect(error.message).toContain(`custom:${protocol}`);
  });

  it('times out a hanging request as a retryable error', async () => {
    const server = await serve(protocol, { kind: 'hang' });
    const client = createLlmClient(deployment(protocol, server, { timeoutMs: 200 }), { env });
    const error = await failure(client.complete(request));
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(/timed out/);
  });

  it('treats a reset connection as retryable', async () => {
    const server = await serve(protocol, { kind: 'reset' });
    const error = await failure(
      createLlmClient(deployment(protocol, server), { env }).complete(request),
    );
    expect(error.isRetryable).toBe(true);
  });

  it('treats malformed JSON as a failure of the deployment, not a crash', async () => {
    const server = await serve(protocol, { kind: 'malformed-json' });
    const error = await failure(
      createLlmClient(deployment(protocol, server), { env }).complete(request),
    );
    expect(error.isRetryable).toBe(false);
  });

  it('keeps the key out of errors even when the server echoes it', async () => {
    const server = await serve(protocol, { kind: 'echo-key' });
    const error = await failure(
      createLlmClient(deployment(protocol, server), { env }).complete(request),
    );
    expect(error.message).toContain('[REDACTED:api-key]');
    expect(
      JSON.stringify({ message: error.message, stack: error.stack, cause: String(error.cause) }),
    ).not.toContain(KEY);
  });

  it('fails without a request when the key variable is unset', async () => {
    const server = await serve(protocol);
    const error = await failure(
      createLlmClient(deployment(protocol, server), { env: {} }).complete(request),
    );
    expect(error.message).toContain('TEST_LLM_KEY');
    expect(error.isRetryable).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  it("never sends a vendor's default key to a custom endpoint that names none", async () => {
    const server = await serve(protocol, { kind: 'answer', text: 'ok' });
    const vendorKeys = { OPENAI_API_KEY: 'sk-openai-999999', ANTHROPIC_API_KEY: 'sk-ant-999999' };
    const client = createLlmClient(deployment(protocol, server, { apiKeyEnv: undefined }), {
      env: vendorKeys,
    });
    expect((await client.complete(request)).text).toBe('ok');
    const headers = JSON.stringify(server.requests[0]?.headers);
    expect(headers).not.toContain('sk-openai-999999');
    expect(headers).not.toContain('sk-ant-999999');
  });
});

it('speaks to Ollama through its OpenAI-compatible endpoint without a key', async () => {
  const server = await serve('openai', { kind: 'answer', text: 'local' });
  const client = createLlmClient(
    { id: 'ollama:llama3.1', protocol: 'ollama', model: 'llama3.1', baseUrl: server.baseUrl },
    { env: {} },
  );
  await expect(client.complete(request)).resolves.toMatchObject({ text: 'local' });
  expect(server.requests[0]?.headers.authorization).toBeUndefined();
});

it('sends no more requests at once than the deployment allows', async () => {
  const server = await serve('openai', { kind: 'hang' }, { kind: 'answer', text: 'second' });
  const client = createLlmClient(
    { ...deployment('openai', server, { timeoutMs: 300 }), maxConcurrency: 1 },
    { env },
  );
  const order: string[] = [];
  const first = client.complete(request).catch(() => order.push('first failed'));
  const second = client.complete(request).then(() => order.push('second answered'));
  await Promise.all([first, second]);
  expect(order).toEqual(['first failed', 'second answered']);
  expect(server.requests).toHaveLength(2);
});
