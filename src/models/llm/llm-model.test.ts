import { describe, expect, it, vi } from 'vitest';
import {
  useLlmServers,
  type LlmServer,
  type Reply,
  type WireProtocol,
} from '../../../test/helpers/llm-server.js';
import type { Finding } from '../../core/index.js';
import { ProviderError } from '../../core/index.js';
import type { TestStyle } from '../../fixes/index.js';
import type { ModelContext, TestTask } from '../types.js';
import { createCooldowns } from './cooldown.js';
import { createLlmModel, type LlmModelOptions, type RejectedAnswer } from './llm-model.js';
import type { SharedLedger } from './router.js';
import type { CallPurpose, Deployment } from './types.js';

const KEYS = { PRIMARY_KEY: 'sk-primary-secret-111111', BACKUP_KEY: 'sk-backup-secret-222222' };
const SOURCE = 'export function f(a: number) {\n  var total = a + 1;\n  return total;\n}\n';
const FIX = [
  "TITLE: Use const for 'total'",
  'It is never reassigned.',
  'src/f.ts',
  '<<<<<<< SEARCH',
  '  var total = a + 1;',
  '=======',
  '  const total = a + 1;',
  '>>>>>>> REPLACE',
].join('\n');

const finding: Finding = {
  ruleId: 'no-var',
  category: 'maintainability',
  severity: 'minor',
  message: "Unexpected var, use let or const instead ('total').",
  file: 'src/f.ts',
  location: { line: 2, column: 3, endLine: 2, endColumn: 21 },
  effortMinutes: 1,
  fixability: 'none',
};
const task = { kind: 'fix' as const, finding };
const context: ModelContext = {
  root: '/repo',
  readFile: (file) =>
    file === 'src/f.ts' ? Promise.resolve(SOURCE) : Promise.reject(new Error(`ENOENT ${file}`)),
};

const { serve } = useLlmServers({ kind: 'answer', text: FIX });

function deployment(
  name: string,
  protocol: WireProtocol,
  server: LlmServer,
  extra: Partial<Deployment> = {},
): Deployment {
  const keyEnv = name === 'primary' ? 'PRIMARY_KEY' : 'BACKUP_KEY';
  return {
    id: `custom:${name}`,
    protocol,
    model: `${name}-model`,
    baseUrl: server.baseUrl,
    apiKeyEnv: keyEnv,
    timeoutMs: 2000,
    ...extra,
  };
}

/** A model whose waits are recorded instead of slept, and whose clock the test moves. */
function model(deployments: Deployment[], extra: Partial<LlmModelOptions> = {}) {
  const clock = { now: 0 };
  const waits: number[] = [];
  const rejected: RejectedAnswer[] = [];
  const llm = createLlmModel({
    id: 'custom:chain',
    deployments,
    env: KEYS,
    conventions: 'Prefer const.',
    router: {
      cooldowns: createCooldowns({ cooldownMs: 60_000, now: () => clock.now }),
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
    },
    onRejected: (r) => rejected.push(r),
    ...extra,
  });
  return { llm, clock, waits, rejected };
}

describe('createLlmModel', () => {
  it.each(['openai', 'anthropic'] as const)(
    'turns a %s answer into a proposal with its cost',
    async (protocol) => {
      const server = await serve(protocol, {
        kind: 'answer',
        text: FIX,
        inputTokens: 800,
        outputTokens: 500,
      });
      const price = { inputPerMillion: 3, outputPerMillion: 15 };
      const { llm } = model([deployment('primary', protocol, server, { price })]);
      const result = await llm.proposeFix(task, context);
      expect(result.proposals).toEqual([
        {
          model: 'custom:primary',
          title: "Use const for 'total'",
          changes: [
            { file: 'src/f.ts', edits: [{ start: 31, end: 51, text: '  const total = a + 1;' }] },
          ],
          rationale: 'It is never reassigned.',
          usage: {
            inputTokens: 800,
            outputTokens: 500,
            costUsd: (800 * 3 + 500 * 15) / 1_000_000,
          },
        },
      ]);
      expect(result.warnings).toEqual([]);
      const prompt = JSON.stringify(server.requests[0]?.body);
      for (const part of [
        'no-var',
        'src/f.ts:2:3',
        'var total = a + 1;',
        'Prefer const.',
        '<<<<<<< SEARCH',
      ]) {
        expect(prompt).toContain(part);
      }
    },
  );

  it('flags an unknown price instead of counting the answer as free', async () => {
    const server = await serve('openai');
    const { llm } = model([deployment('primary', 'openai', server)]);
    const result = await llm.proposeFix(task, context);
    expect(result.proposals[0]?.usage).toEqual({
      inputTokens: 100,
      outputTokens: 50,
      costUsd: undefined,
    });
    expect(result.warnings).toEqual([expect.stringMatching(/custom:primary: no known price/)]);
  });

  it('serves the request from a healthy fallback after retrying the failing deployment', async () => {
    const first = await serve(
      'openai',
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503 },
      { kind: 'hang' },
    );
    const second = await serve('anthropic');
    const { llm, waits } = model([
      deployment('primary', 'openai', first, { timeoutMs: 300 }),
      deployment('backup', 'anthropic', second),
    ]);
    const proposals = await llm.propose(task, context);
    expect(proposals.map((p) => p.model)).toEqual(['custom:backup']);
    expect(first.requests).toHaveLength(3);
    expect(second.requests).toHaveLength(1);
    expect(waits).toEqual([250, 500]);
  });

  it('honours Retry-After before retrying the same deployment', async () => {
    const server = await serve('openai', { kind: 'status', status: 429, retryAfter: '2' });
    const { llm, waits } = model([deployment('primary', 'openai', server)]);
    const proposals = await llm.propose(task, context);
    expect(proposals).toHaveLength(1);
    expect(waits).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  it.each([400, 401, 403])('moves on at once after a non-retryable %i', async (status) => {
    const first = await serve('openai', { kind: 'status', status });
    const second = await serve('openai');
    const { llm, waits } = model([
      deployment('primary', 'openai', first),
      deployment('backup', 'openai', second),
    ]);
    const proposals = await llm.propose(task, context);
    expect(proposals.map((p) => p.model)).toEqual(['custom:backup']);
    expect(first.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('skips a cooling deployment, then tries it again once the cooldown ends', async () => {
    const first = await serve('openai', ...Array<Reply>(3).fill({ kind: 'status', status: 502 }));
    const second = await serve('openai');
    const { llm, clock } = model([
      deployment('primary', 'openai', first),
      deployment('backup', 'openai', second),
    ]);
    const fresh = { ...task, finding: { ...finding, message: `${finding.message} ` } };

    await llm.propose(task, context);
    expect(first.requests).toHaveLength(3);
    expect(llm.router.states()[0]?.state.status).toBe('cooling');

    await llm.propose(fresh, context);
    expect(first.requests).toHaveLength(3);
    expect(second.requests).toHaveLength(2);

    clock.now = 60_000;
    const recovered = await llm.propose(
      { ...task, finding: { ...finding, message: 'again' } },
      context,
    );
    expect(recovered.map((p) => p.model)).toEqual(['custom:primary']);
    expect(first.requests).toHaveLength(4);
    expect(llm.router.states()[0]?.state).toEqual({ status: 'ready', failures: 0 });
  });

  it("stops at the caller's abort instead of falling back", async () => {
    const first = await serve('openai', { kind: 'hang' });
    const second = await serve('openai');
    const { llm } = model([
      deployment('primary', 'openai', first),
      deployment('backup', 'openai', second),
    ]);
    const controller = new AbortController();
    const running = llm.propose(task, { ...context, signal: controller.signal });
    await vi.waitFor(() => expect(first.requests).toHaveLength(1));
    controller.abort(new Error('run cancelled'));
    await expect(running).rejects.toThrow('run cancelled');
    expect(second.requests).toHaveLength(0);
    expect(llm.router.states()[0]?.state.status).toBe('ready');
  });

  it('throws a ProviderError naming each failure when no deployment answers', async () => {
    const first = await serve('openai', { kind: 'status', status: 401 });
    const second = await serve('anthropic', { kind: 'malformed-json' });
    const { llm } = model([
      deployment('primary', 'openai', first),
      deployment('backup', 'anthropic', second),
    ]);
    const error = await llm.propose(task, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/custom:primary: HTTP 401.*custom:backup/);
  });

  it.each([
    ['prose without blocks', 'Just change var to const.', /no edit blocks/],
    [
      'a unified diff',
      '--- a/src/f.ts\n+++ b/src/f.ts\n-  var total\n+  const total',
      /no edit blocks/,
    ],
    [
      'an unterminated block',
      'src/f.ts\n<<<<<<< SEARCH\n  var total = a + 1;\n=======',
      /ends inside/,
    ],
    ['a SEARCH that is not in the file', FIX.replace('var total', 'let total'), /matches 0 times/],
  ])('rejects %s with a reason and its cost, without throwing', async (_name, text, reason) => {
    const server = await serve('openai', {
      kind: 'answer',
      text,
      inputTokens: 10,
      outputTokens: 10,
    });
    const price = { inputPerMillion: 1, outputPerMillion: 1 };
    const { llm, rejected } = model([deployment('primary', 'openai', server, { price })]);
    const result = await llm.proposeFix(task, context);
    expect(result.proposals).toEqual([]);
    expect(result.rejected).toMatchObject({
      model: 'custom:primary',
      reason: expect.stringMatching(reason),
    });
    expect(result.rejected?.usage.costUsd).toBeCloseTo(20 / 1_000_000);
    expect(rejected).toHaveLength(1);
  });

  it('answers a repeated request from the cache at no cost', async () => {
    const server = await serve('openai');
    const { llm } = model([
      deployment('primary', 'openai', server, {
        price: { inputPerMillion: 1, outputPerMillion: 1 },
      }),
    ]);
    await llm.proposeFix(task, context);
    const again = await llm.proposeFix(task, context);
    expect(server.requests).toHaveLength(1);
    expect(again.cached).toBe(true);
    expect(again.proposals[0]?.usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });

  it('refuses an edit that would write an API key into the code', async () => {
    const leak = FIX.replace('const total = a + 1;', `const total = '${KEYS.PRIMARY_KEY}';`);
    const server = await serve('openai', { kind: 'answer', text: leak });
    const { llm } = model([deployment('primary', 'openai', server)]);
    const result = await llm.proposeFix(task, context);
    expect(result.proposals).toEqual([]);
    expect(result.rejected?.reason).toBe('the edit contains an API key');
    expect(JSON.stringify(result)).not.toContain(KEYS.PRIMARY_KEY);
  });

  it('keeps API keys out of proposals, rationales, rejections and errors', async () => {
    const leak = `TITLE: key ${KEYS.PRIMARY_KEY}\nUsed ${KEYS.BACKUP_KEY}.\n${FIX.split('\n').slice(2).join('\n')}`;
    const first = await serve('openai', { kind: 'echo-key' }, { kind: 'echo-key' });
    const second = await serve('anthropic', { kind: 'answer', text: leak }, { kind: 'echo-key' });
    const { llm, rejected } = model([
      deployment('primary', 'openai', first),
      deployment('backup', 'anthropic', second),
    ]);
    const seen: unknown[] = [await llm.proposeFix(task, context)];
    llm.router.states().forEach((s) => seen.push(s));
    const other = { ...task, finding: { ...finding, ruleId: 'prefer-const' } };
    const error = (await llm.proposeFix(other, context).catch((e: unknown) => e)) as Error;
    seen.push(error.message, error.stack, rejected);
    const text = JSON.stringify(seen);
    expect(text).toContain('[REDACTED:api-key]');
    expect(JSON.stringify(first.requests[0]?.headers)).toContain(KEYS.PRIMARY_KEY);
    for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
  });
});

describe('createLlmModel on a test task', () => {
  const CLAMP = [
    'export function clamp(x: number, low: number, high: number): number {',
    '  if (x < low) return low;',
    '  if (x > high) return high;',
    '  return x;',
    '}',
    '',
  ].join('\n');
  const style: TestStyle = {
    runner: 'vitest',
    packageDir: '',
    placement: { kind: 'folder', dir: 'test', mirror: false },
    infix: '.test',
    extension: '.ts',
    module: 'esm',
    importExtension: '.js',
    globals: false,
    assertions: 'expect',
    example: undefined,
  };
  const testTask: TestTask = {
    kind: 'test',
    file: 'src/clamp.ts',
    uncoveredLines: [2, 3],
    style,
    testFile: 'test/clamp.test.ts',
  };
  const files: Record<string, string> = { 'src/clamp.ts': CLAMP };
  const testContext: ModelContext = {
    root: '/repo',
    readFile: (file) =>
      files[file] === undefined
        ? Promise.reject(new Error(`ENOENT ${file}`))
        : Promise.resolve(files[file]),
  };
  const TEST_FILE = [
    "import { describe, it, expect } from 'vitest';",
    "import { clamp } from '../src/clamp.js';",
    '',
    "describe('clamp', () => {",
    "  it('raises a low value', () => expect(clamp(-1, 0, 5)).toBe(0));",
    "  it('lowers a high value', () => expect(clamp(9, 0, 5)).toBe(5));",
    '});',
    '',
  ].join('\n');
  const answer = (text: string): Reply => ({ kind: 'answer', text });

  it('is supported, and a good answer is one proposal that creates the test file', async () => {
    const server = await serve(
      'openai',
      answer(`Tests for both bounds.\n\`\`\`typescript\n${TEST_FILE}\`\`\``),
    );
    const purposes: (CallPurpose | undefined)[] = [];
    const ledger: SharedLedger = {
      reserve: (_deployment, _maxUsd, purpose) => {
        purposes.push(purpose);
        return Promise.resolve({ settle: () => Promise.resolve() });
      },
    };
    const { llm, rejected } = model([deployment('primary', 'openai', server)], {
      router: { ledger },
    });
    expect(llm.supports(testTask)).toBe(true);
    expect(llm.supports(task)).toBe(true);
    const result = await llm.proposeFix(testTask, testContext);
    expect(result.proposals).toEqual([
      {
        model: 'custom:primary',
        title: 'Tests for src/clamp.ts',
        changes: [{ file: 'test/clamp.test.ts', edits: [{ start: 0, end: 0, text: TEST_FILE }] }],
        rationale: 'Tests for both bounds.',
        usage: { inputTokens: 100, outputTokens: 50, costUsd: undefined },
      },
    ]);
    expect(rejected).toEqual([]);
    expect(purposes).toEqual([{ task: 'test', ruleId: 'coverage' }]);
    const body = JSON.stringify(server.requests[0]?.body);
    for (const part of [
      '! 2 |   if (x < low) return low;',
      'lines 2-3',
      'test/clamp.test.ts',
      // The repository's import style, from the gate's importSpecifier.
      "import { clamp } from '../src/clamp.js';",
    ]) {
      expect(body).toContain(JSON.stringify(part).slice(1, -1));
    }
  });

  it('asks nothing when the test file already exists, rather than overwrite it', async () => {
    const server = await serve('openai', answer(`\`\`\`ts\n${TEST_FILE}\`\`\``));
    const { llm, rejected } = model([deployment('primary', 'openai', server)]);
    const context = {
      ...testContext,
      readFile: (file: string) =>
        file === testTask.testFile ? Promise.resolve('') : testContext.readFile(file),
    };
    const result = await llm.proposeFix(testTask, context);
    expect(result.proposals).toEqual([]);
    expect(result.warnings).toEqual([
      'test/clamp.test.ts already exists: a test task writes a new file, so custom:chain was not asked',
    ]);
    expect(server.requests).toHaveLength(0);
    expect(rejected).toEqual([]);
  });

  it.each([
    ['no code block', 'Test clamp with -1 and 9.', /no code block/],
    [
      'two code blocks',
      `\`\`\`ts\n${TEST_FILE}\`\`\`\n\`\`\`ts\n${TEST_FILE}\`\`\``,
      /2 code blocks/,
    ],
    ['an empty block', '```ts\n```', /empty/],
    ['a file with no test', "```ts\nimport { clamp } from '../src/clamp.js';\n```", /no test/],
  ])('rejects an answer with %s, with a reason', async (_name, text, reason) => {
    const server = await serve('openai', answer(text));
    const { llm, rejected } = model([deployment('primary', 'openai', server)]);
    const result = await llm.proposeFix(testTask, testContext);
    expect(result.proposals).toEqual([]);
    expect(result.rejected?.reason).toMatch(reason);
    expect(rejected).toEqual([result.rejected]);
  });

  it('shows the previous file and the gate errors in a repair request', async () => {
    const server = await serve('openai', answer(`\`\`\`ts\n${TEST_FILE}\`\`\``));
    const { llm } = model([deployment('primary', 'openai', server)]);
    const previous = TEST_FILE.replace('toBe(0)', 'toBe(-1)');
    const errors =
      'failed: clamp > raises a low value: expected 0 to be -1\nstill uncovered: line 3';
    const result = await llm.proposeFix(
      { ...testTask, repair: { attempt: 1, previous, errors } },
      testContext,
    );
    expect(result.proposals).toHaveLength(1);
    const prompt = String(
      (server.requests[0]?.body.messages as { content: string }[]).map((m) => m.content),
    );
    expect(prompt).toContain('expected 0 to be -1');
    expect(prompt).toContain('still uncovered: line 3');
    expect(prompt).toContain('expect(clamp(-1, 0, 5)).toBe(-1)');
    expect(prompt).toContain('attempt 1');
  });

  it('answers the same test task from the cache, and a repair is a new request', async () => {
    const server = await serve('openai', answer(`\`\`\`ts\n${TEST_FILE}\`\`\``));
    const { llm } = model([deployment('primary', 'openai', server)]);
    await llm.proposeFix(testTask, testContext);
    const again = await llm.proposeFix(testTask, testContext);
    expect(again.cached).toBe(true);
    expect(again.proposals).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
    const repair = { attempt: 1, previous: TEST_FILE, errors: 'flaky' };
    await llm.proposeFix({ ...testTask, repair }, testContext);
    expect(server.requests).toHaveLength(2);
  });

  it('refuses a test file that carries an API key', async () => {
    const leak = TEST_FILE.replace("'raises a low value'", `'${KEYS.PRIMARY_KEY}'`);
    const server = await serve(
      'openai',
      answer(`Key ${KEYS.PRIMARY_KEY}\n\`\`\`ts\n${leak}\`\`\``),
    );
    const { llm, rejected } = model([deployment('primary', 'openai', server)]);
    const result = await llm.proposeFix(testTask, testContext);
    expect(result.proposals).toEqual([]);
    expect(result.rejected?.reason).toBe('the test file contains an API key');
    expect(rejected).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain(KEYS.PRIMARY_KEY);
  });
});
