import { afterEach, describe, expect, it } from 'vitest';
import { startLlmServer, type LlmServer } from '../../test/helpers/llm-server.js';
import { InputError, customModelsSchema } from '../core/index.js';
import { describeModels, resolveModels } from './registry.js';
import type { ModelContext } from './types.js';

const SOURCE = 'debugger;\nexport const a = 1;\n';
const ANSWER =
  'TITLE: Remove a debugger statement\nsrc/a.ts\n<<<<<<< SEARCH\ndebugger;\n=======\n>>>>>>> REPLACE';
const context: ModelContext = { root: '/repo', readFile: () => Promise.resolve(SOURCE) };
const task = {
  kind: 'fix' as const,
  finding: {
    ruleId: 'no-debugger',
    category: 'correctness' as const,
    severity: 'major' as const,
    message: "Unexpected 'debugger' statement.",
    file: 'src/a.ts',
    location: { line: 1, column: 1, endLine: 1, endColumn: 10 },
    effortMinutes: 1,
    fixability: 'none' as const,
  },
};

let servers: LlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('resolveModels', () => {
  it('keeps the built-in engines as the default', () => {
    expect(resolveModels(undefined).map((m) => m.id)).toEqual([
      'builtin:codemods',
      'builtin:ts-fixes',
    ]);
  });

  it('resolves builtin:testgen by id, with or without keys, for test tasks only', () => {
    for (const env of [undefined, {}]) {
      const [model] = resolveModels(['builtin:testgen'], env ? { env } : {});
      expect(model?.id).toBe('builtin:testgen');
      expect(model?.builtin).toBe(true);
    }
    expect(describeModels(['builtin:testgen'], {})).toEqual([
      { id: 'builtin:testgen', builtin: true, deployments: [], missingKeys: [] },
    ]);
  });

  it('registers custom models from config, with their fallbacks', async () => {
    const broken = await startLlmServer('openai', { kind: 'status', status: 401 });
    const healthy = await startLlmServer('anthropic', { kind: 'answer', text: ANSWER });
    servers.push(broken, healthy);
    const [model] = resolveModels(['custom:local'], {
      custom: {
        local: {
          baseUrl: broken.baseUrl,
          model: 'qwen',
          apiKeyEnv: 'LOCAL_KEY',
          fallbacks: ['backup'],
        },
        backup: {
          protocol: 'anthropic',
          baseUrl: healthy.baseUrl,
          model: 'claude',
          apiKeyEnv: 'BACKUP_KEY',
        },
      },
      env: { LOCAL_KEY: 'local-key-123', BACKUP_KEY: 'backup-key-456' },
    });
    expect(model?.id).toBe('custom:local');
    expect(model?.builtin).toBe(false);
    const proposals = await model?.propose(task, context);
    expect(proposals?.map((p) => [p.model, p.title])).toEqual([
      ['custom:backup', 'Remove a debugger statement'],
    ]);
    expect(broken.requests).toHaveLength(1);
  });

  it('resolves vendor ids without config', () => {
    const models = resolveModels(['builtin:codemods', 'openai:gpt-4o-mini', 'ollama:llama3.1'], {
      env: { OPENAI_API_KEY: 'sk-test-123456' },
    });
    expect(models.map((m) => [m.id, m.builtin])).toEqual([
      ['builtin:codemods', true],
      ['openai:gpt-4o-mini', false],
      ['ollama:llama3.1', false],
    ]);
  });

  it('lists the available ids for an unknown one', () => {
    const custom = { local: { baseUrl: 'http://127.0.0.1:1/v1', model: 'm' } };
    expect(() => resolveModels(['custom:nope'], { custom, env: {} })).toThrow(
      'unknown model "custom:nope"; available: builtin:codemods, builtin:ts-fixes, builtin:testgen, custom:local, openai:<model>, anthropic:<model>, ollama:<model>',
    );
    expect(() => resolveModels(['gemini:pro'], { env: {} })).toThrow(InputError);
  });

  it('offers no LLM models to a caller that passes no environment', () => {
    expect(() => resolveModels(['openai:gpt-4o-mini'])).toThrow(
      'unknown model "openai:gpt-4o-mini"; available: builtin:codemods, builtin:ts-fixes, builtin:testgen',
    );
  });

  it('rejects a fallback that names no configured model', () => {
    const custom = {
      local: { baseUrl: 'http://127.0.0.1:1/v1', model: 'm', fallbacks: ['ghost'] },
    };
    expect(() => resolveModels(['custom:local'], { custom, env: {} })).toThrow(
      'custom:local: unknown fallback "ghost"',
    );
  });

  it('names the variable to set for a model whose key is missing', () => {
    expect(() => resolveModels(['openai:gpt-4o-mini'], { env: {} })).toThrow(
      'openai:gpt-4o-mini has no API key: set openai:gpt-4o-mini (OPENAI_API_KEY)',
    );
  });
});

describe('describeModels', () => {
  it('leaves deployments without keys out of a chain and prices the rest', () => {
    const custom = {
      local: {
        baseUrl: 'http://127.0.0.1:1/v1',
        model: 'm',
        apiKeyEnv: 'LOCAL_KEY',
        fallbacks: ['open'],
      },
      open: { baseUrl: 'http://127.0.0.1:2/v1', model: 'n' },
    };
    const entries = describeModels(['builtin:codemods', 'custom:local', 'openai:gpt-4o-mini'], {
      custom,
      env: {},
      prices: { 'custom:open': { inputPerMillion: 1, outputPerMillion: 2 } },
    });
    expect(entries.map((e) => [e.id, e.deployments.map((d) => d.id), e.missingKeys])).toEqual([
      ['builtin:codemods', [], []],
      ['custom:local', ['custom:open'], ['custom:local (LOCAL_KEY)']],
      ['openai:gpt-4o-mini', [], ['openai:gpt-4o-mini (OPENAI_API_KEY)']],
    ]);
    expect(entries[1]?.deployments[0]?.price).toEqual({ inputPerMillion: 1, outputPerMillion: 2 });
  });
});

describe('customModelsSchema', () => {
  it('takes the name of a key variable, never a key', () => {
    const ok = customModelsSchema.safeParse({
      local: { baseUrl: 'http://localhost:8000/v1', model: 'm', apiKeyEnv: 'LOCAL_KEY' },
    });
    expect(ok.success).toBe(true);
    const key = customModelsSchema.safeParse({
      local: { baseUrl: 'http://localhost:8000/v1', model: 'm', apiKey: 'sk-1' },
    });
    expect(key.success).toBe(false);
    const url = customModelsSchema.safeParse({ local: { baseUrl: 'not a url', model: 'm' } });
    expect(url.success).toBe(false);
  });
});
