import { readFile, readdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { ImproveReport } from '../src/pipeline/index.js';
import { openStore } from '../src/store/index.js';
import { makeImproveFixture } from './helpers/improve-fixture.js';
import { useLlmServers, type LlmServer } from './helpers/llm-server.js';
import { beastAsync, git } from './helpers/repo.js';

/*
 * `beast improve` with configured LLM endpoints, end to end: real HTTP servers on 127.0.0.1 speak
 * the OpenAI and Anthropic protocols, the CLI runs as a user would, and the gate is the real one.
 * `no-throw-literal` has no built-in fix, so only an LLM can fix it.
 */

const KEYS = {
  PRIMARY_KEY: 'sk-primary-e2e-secret-111111',
  BACKUP_KEY: 'sk-backup-e2e-secret-222222',
  OPENAI_API_KEY: 'sk-openai-e2e-secret-333333',
};

const CHECK = [
  '/** @param {number} x */',
  'export function check(x) {',
  "  if (x < 0) throw 'negative';",
  '  return x;',
  '}',
  '',
].join('\n');

const CHECK_TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { check } from '../src/check.js';",
  '',
  "test('check', () => {",
  '  assert.equal(check(2), 2);',
  '  assert.throws(() => check(-1), /negative/);',
  '});',
  '',
].join('\n');

function fix(message: string): string {
  return [
    'TITLE: Throw an Error instead of a string',
    'Error objects carry a stack trace.',
    'src/check.js',
    '<<<<<<< SEARCH',
    "  if (x < 0) throw 'negative';",
    '=======',
    `  if (x < 0) throw new Error('${message}');`,
    '>>>>>>> REPLACE',
  ].join('\n');
}

const { serve } = useLlmServers({ kind: 'status', status: 500 });

const PRICE = { inputPerMillion: 3, outputPerMillion: 15 };

/** The fixture plus the LLM-only finding and a config naming the two endpoints. */
async function llmRepo(primary: LlmServer, backup: LlmServer): Promise<string> {
  const repo = await makeImproveFixture(1);
  await writeFile(path.join(repo, 'src/check.js'), CHECK);
  await writeFile(path.join(repo, 'test/check.test.js'), CHECK_TEST);
  const config = {
    models: {
      use: ['builtin:codemods', 'custom:primary'],
      custom: {
        primary: {
          baseUrl: primary.baseUrl,
          model: 'primary-model',
          apiKeyEnv: 'PRIMARY_KEY',
          price: PRICE,
          timeoutMs: 5000,
          fallbacks: ['backup'],
        },
        backup: {
          protocol: 'anthropic',
          baseUrl: backup.baseUrl,
          model: 'backup-model',
          apiKeyEnv: 'BACKUP_KEY',
          price: PRICE,
          timeoutMs: 5000,
        },
      },
    },
  };
  await writeFile(path.join(repo, 'beast.config.json'), JSON.stringify(config, null, 2));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'check and LLM config');
  return repo;
}

async function improve(repo: string, home: string, ...args: string[]) {
  const result = await beastAsync(['improve', repo, '--json', ...args], {
    env: { BEAST_HOME: home, ...KEYS },
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { report: JSON.parse(result.stdout) as ImproveReport, stdout: result.stdout };
}

function llmChanges(report: ImproveReport) {
  return report.changes.filter((c) => c.finding.ruleId === 'no-throw-literal');
}

/** Every byte the store holds, WAL included. */
async function storeBytes(home: string): Promise<string> {
  const names = (await readdir(home)).filter((n) => n.startsWith('beast.db'));
  const parts = await Promise.all(names.map((n) => readFile(path.join(home, n))));
  return Buffer.concat(parts).toString('latin1');
}

describe('beast improve with LLM endpoints', () => {
  it('fixes a finding no built-in engine can, falling back from a failing endpoint', async () => {
    const primary = await serve('openai');
    const backup = await serve('anthropic', {
      kind: 'answer',
      text: fix('negative'),
      inputTokens: 1200,
      outputTokens: 80,
    });
    const repo = await llmRepo(primary, backup);
    const home = await mkdtemp(path.join(tmpdir(), 'beast-llm-'));
    const { report, stdout } = await improve(repo, home);

    const [change] = llmChanges(report);
    expect(change).toMatchObject({
      status: 'accepted',
      model: 'custom:primary',
      deployment: 'custom:backup',
    });
    expect(change?.checks.find((c) => c.name === 'tests')?.ok).toBe(true);
    expect(change?.selection).toMatch(/Thompson sample/);
    // The primary failed (500, retried), the backup answered; the codemods fixed the rest.
    expect(primary.requests.length).toBeGreaterThanOrEqual(1);
    expect(backup.requests).toHaveLength(1);
    expect(report.changes.filter((c) => c.model === 'builtin:codemods').length).toBeGreaterThan(0);
    const onBranch = git(repo, 'show', `${report.branch!}:src/check.js`);
    expect(onBranch).toContain("throw new Error('negative')");
    expect(git(repo, 'log', '--format=%B', `${report.base}..${report.branch!}`)).toMatch(
      /no-throw-literal: Throw an Error instead of a string in src\/check\.js[\s\S]*\(model custom:primary via custom:backup\)/,
    );

    // The ledger and the report agree with the provider's usage times the price.
    const cost = (1200 * PRICE.inputPerMillion + 80 * PRICE.outputPerMillion) / 1_000_000;
    expect(change?.costUsd).toBeCloseTo(cost, 12);
    expect(report.spend.costUsd).toBeCloseTo(cost, 12);
    const store = await openStore(path.join(home, 'beast.db'));
    try {
      const calls = await store.db.selectFrom('model_calls').selectAll().orderBy('id').execute();
      expect(calls.map((c) => [c.deployment, c.outcome])).toEqual([
        ...primary.requests.map(() => ['custom:primary', 'server']),
        ['custom:backup', 'ok'],
      ]);
      expect(calls.reduce((sum, c) => sum + (c.cost_usd ?? 0), 0)).toBeCloseTo(cost, 12);
    } finally {
      await store.close();
    }

    // Keys went to their own endpoints only, and nowhere else.
    expect(primary.requests[0]?.headers.authorization).toBe(`Bearer ${KEYS.PRIMARY_KEY}`);
    expect(backup.requests[0]?.headers['x-api-key']).toBe(KEYS.BACKUP_KEY);
    const everything = stdout + (await storeBytes(home)) + git(repo, 'log', '-p', report.branch!);
    for (const key of Object.values(KEYS)) expect(everything).not.toContain(key);
  }, 180_000);

  it('feeds the gate errors back and accepts the repaired change', async () => {
    const primary = await serve('openai', { kind: 'answer', text: fix('positive') });
    primary.setFallback({ kind: 'answer', text: fix('negative') });
    const backup = await serve('anthropic');
    const repo = await llmRepo(primary, backup);
    const home = await mkdtemp(path.join(tmpdir(), 'beast-llm-'));
    const { report } = await improve(repo, home);

    const changes = llmChanges(report);
    expect(changes.map((c) => [c.status, c.gate, c.repair])).toEqual([
      ['rejected', 'tests', undefined],
      ['accepted', undefined, 1],
    ]);
    const repairPrompt = JSON.stringify(primary.requests[1]?.body);
    expect(repairPrompt).toContain('was rejected by the validation gate');
    expect(repairPrompt).toContain("throw new Error('positive')");
  }, 180_000);

  it("shows the model the repo map around the finding's file, from the codebase index", async () => {
    const primary = await serve('openai', { kind: 'answer', text: fix('negative') });
    const backup = await serve('anthropic');
    const repo = await llmRepo(primary, backup);
    await writeFile(
      path.join(repo, 'src/bounds.js'),
      'export function lowerBound(x) {\n  return Math.max(0, x);\n}\n',
    );
    await writeFile(
      path.join(repo, 'src/check.js'),
      `import { lowerBound } from './bounds.js';\n${CHECK}export const floor = (x) => lowerBound(check(x));\n`,
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'check uses bounds');
    const home = await mkdtemp(path.join(tmpdir(), 'beast-llm-'));
    const { report } = await improve(repo, home);

    expect(llmChanges(report)[0]?.status).toBe('accepted');
    const prompt = String(
      (primary.requests[0]?.body.messages as { content: string }[])[1]?.content,
    );
    // The declaration check.js uses, from another file, by path and line: the index resolved it.
    expect(prompt).toMatch(
      /Repository map[^]*src\/bounds\.js:\n {2}1: export function lowerBound\(x\)/,
    );
  }, 180_000);

  it('rejects a malformed answer as a proposal, and a rerun costs nothing', async () => {
    const primary = await serve('openai', { kind: 'answer', text: 'Sure! Just throw an Error.' });
    primary.setFallback({ kind: 'answer', text: fix('negative') });
    const backup = await serve('anthropic');
    const repo = await llmRepo(primary, backup);
    const home = await mkdtemp(path.join(tmpdir(), 'beast-llm-'));
    const first = await improve(repo, home, '--dry-run', '--rule', 'no-throw-literal');
    expect(llmChanges(first.report).map((c) => [c.status, c.gate])).toEqual([
      ['rejected', 'parse'],
      ['accepted', undefined],
    ]);
    expect(primary.requests).toHaveLength(2);

    // The same code again: the same answers replay from the store's cache, not the endpoint.
    const second = await improve(repo, home, '--dry-run', '--rule', 'no-throw-literal');
    expect(llmChanges(second.report).map((c) => c.status)).toEqual(['rejected', 'accepted']);
    expect(second.report.spend.costUsd).toBe(0);
    expect(primary.requests).toHaveLength(2);
  }, 180_000);

  it('stops calling LLMs when the run budget cannot cover a call', async () => {
    const primary = await serve('openai', { kind: 'answer', text: fix('negative') });
    const backup = await serve('anthropic', { kind: 'answer', text: fix('negative') });
    const repo = await llmRepo(primary, backup);
    const home = await mkdtemp(path.join(tmpdir(), 'beast-llm-'));
    const { report } = await improve(repo, home, '--budget', '0.000001');
    expect(primary.requests).toHaveLength(0);
    expect(backup.requests).toHaveLength(0);
    expect(llmChanges(report)).toEqual([]);
    expect(report.warnings.join('\n')).toMatch(/budget spent, no more LLM calls in this run/);
    // The built-in engines still did their part.
    expect(report.findingsFixed).toBeGreaterThan(0);
  }, 180_000);
});
