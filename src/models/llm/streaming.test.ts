import { describe, expect, it } from 'vitest';
import {
  useLlmServers,
  type LlmServer,
  type WireProtocol,
} from '../../../test/helpers/llm-server.js';
import { createLlmClient } from '../providers/client.js';
import { createCooldowns } from './cooldown.js';
import { DeploymentError, StreamInterruptedError } from './errors.js';
import { createLlmRouter } from './router.js';
import type { Deployment } from './types.js';

const TEXT = 'The quick brown fox jumps over the lazy dog.';
const request = { system: 'Be brief.', prompt: 'Say it.' };
const env = { KEY: 'sk-stream-secret-333333' };

const { serve } = useLlmServers({ kind: 'answer', text: TEXT });

function client(name: string, protocol: WireProtocol, server: LlmServer) {
  const deployment: Deployment = {
    id: `custom:${name}`,
    protocol,
    model: 'm',
    baseUrl: server.baseUrl,
    apiKeyEnv: 'KEY',
  };
  return createLlmClient(deployment, { env });
}

function router(...clients: ReturnType<typeof client>[]) {
  return createLlmRouter(clients, {
    cooldowns: createCooldowns({ now: () => 0 }),
    sleep: async () => undefined,
    random: () => 0,
  });
}

describe.each(['openai', 'anthropic'] as const)('streaming over %s', (protocol) => {
  it('delivers the text piece by piece with the reported usage', async () => {
    const server = await serve(protocol, {
      kind: 'answer',
      text: TEXT,
      inputTokens: 30,
      outputTokens: 9,
    });
    const pieces: string[] = [];
    const response = await router(client('a', protocol, server)).stream(request, (t) =>
      pieces.push(t),
    );
    expect(response).toMatchObject({
      text: TEXT,
      inputTokens: 30,
      outputTokens: 9,
      deployment: 'custom:a',
    });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(TEXT);
    expect(server.requests[0]?.body.stream).toBe(true);
  });

  it('falls back when the first deployment fails before the first token', async () => {
    const first = await serve(protocol, { kind: 'status', status: 401 });
    const second = await serve(protocol);
    const pieces: string[] = [];
    const response = await router(
      client('a', protocol, first),
      client('b', protocol, second),
    ).stream(request, (t) => pieces.push(t));
    expect(response.deployment).toBe('custom:b');
    expect(pieces.join('')).toBe(TEXT);
  });

  it('does not fall back once text has been streamed', async () => {
    const first = await serve(protocol, { kind: 'truncated', text: TEXT });
    const second = await serve(protocol);
    const pieces: string[] = [];
    const chain = router(client('a', protocol, first), client('b', protocol, second));
    const error = await chain.stream(request, (t) => pieces.push(t)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(pieces.length).toBeGreaterThan(0);
    expect(TEXT.startsWith(pieces.join(''))).toBe(true);
    expect(pieces.join('')).not.toBe(TEXT);
    expect(first.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(0);
    expect(JSON.stringify({ message: (error as Error).message })).not.toContain(env.KEY);
  });

  it('treats a body cut off mid-answer as a retryable failure', async () => {
    const first = await serve(protocol, { kind: 'truncated', text: TEXT });
    const error = await client('a', protocol, first)
      .complete(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentError);
    expect((error as DeploymentError).isRetryable).toBe(true);
  });
});
