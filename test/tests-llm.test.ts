import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../src/fixes/gate/testing.js';
import type { TestGenReport } from '../src/pipeline/index.js';
import { useLlmServers, type RecordedRequest } from './helpers/llm-server.js';
import { PROJECT_ROOT, beastAsync, git } from './helpers/repo.js';

/*
 * `beast tests` with an LLM, end to end: the built CLI, a vitest repository, the real coverage
 * run and test gate, and a local server speaking the OpenAI chat-completions protocol. The model's
 * first test file expects a wrong value, so the gate rejects it; the second request must carry the
 * gate's error (the repair loop), and its answer is a correct test, which is kept and delivered on
 * a branch.
 *
 * WRITTEN AGAINST THE CONTRACT (src/pipeline/testgen/types.ts, issue 15) while parts of the
 * pipeline were still stubs: it is skipped, naming them, until every stub below is built, and
 * runs by itself from then on.
 */

/** Contract stubs this test goes through, by file and the message they throw while unbuilt. */
const STUBS: [file: string, message: string][] = [
  ['src/fixes/gate/coverage.ts', 'measureCoverage: not built yet'],
  ['src/pipeline/testgen/gate.ts', 'gateTests: not built yet'],
];
const UNBUILT = STUBS.filter(([file, message]) =>
  readFileSync(path.join(PROJECT_ROOT, file), 'utf8').includes(message),
).map(([file]) => file);
const TITLE = `beast tests with an LLM (OpenAI protocol)${
  UNBUILT.length > 0 ? `: skipped until built: ${UNBUILT.join(', ')}` : ''
}`;

const KEY = 'sk-local-tests-e2e-secret-444444';

const PRICE_SOURCE = [
  '/** @param {number} amount */',
  'export function discount(amount) {',
  '  if (amount >= 100) return amount * 0.9;',
  '  return amount;',
  '}',
  '',
  '/**',
  ' * @param {number} amount',
  ' * @param {string} country',
  ' */',
  'export function tax(amount, country) {',
  "  if (country === 'DE') return Math.round(amount * 19) / 100;",
  '  return 0;',
  '}',
  '',
].join('\n');

/** A tested module beside it, so the repository has a style and an example to show. */
const CART_SOURCE =
  'export function total(items) {\n  return items.reduce((sum, x) => sum + x, 0);\n}\n';
const CART_TEST = [
  "import { describe, it, expect } from 'vitest';",
  "import { total } from '../src/cart.js';",
  '',
  "describe('total', () => {",
  "  it('adds the items', () => expect(total([1, 2, 3])).toBe(6));",
  '});',
  '',
].join('\n');

/** The vitest message of the first answer's wrong expectation: the repair prompt must carry it. */
const GATE_ERROR = 'expected 180 to be 190';

function testFile(specifier: string, cases: string[]): string {
  return [
    "import { describe, it, expect } from 'vitest';",
    `import { discount, tax } from '${specifier}';`,
    '',
    "describe('price', () => {",
    ...cases.map((c) => `  ${c}`),
    '});',
  ].join('\n');
}

const WRONG = ["it('discounts large amounts', () => expect(discount(200)).toBe(190));"];
const RIGHT = [
  "it('discounts large amounts', () => expect(discount(200)).toBe(180));",
  "it('keeps small amounts', () => expect(discount(50)).toBe(50));",
  "it('taxes Germany', () => expect(tax(100, 'DE')).toBe(19));",
  "it('taxes nothing elsewhere', () => expect(tax(100, 'US')).toBe(0));",
];

function promptOf(request: RecordedRequest | undefined): string {
  const messages = (request?.body.messages ?? []) as { content: string }[];
  return messages.map((m) => m.content).join('\n');
}

/** The import a test at the prompt's test path writes for src/price.js. */
function specifierFor(prompt: string): string {
  const at = /The test file goes at (\S+)\./.exec(prompt)?.[1] ?? 'test/price.test.js';
  const relative = path.posix.relative(path.posix.dirname(at), 'src/price.js');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

const { serve } = useLlmServers({ kind: 'status', status: 500 });

let fixture: Fixture | undefined;
let home: string | undefined;
afterEach(async () => {
  await fixture?.remove();
  if (home) await rm(home, { recursive: true, force: true });
  fixture = home = undefined;
});

describe.skipIf(UNBUILT.length > 0)(TITLE, () => {
  it('repairs a rejected test from the gate error and delivers the kept one on a branch', async () => {
    const server = await serve('openai');
    server.setFallback((request) => {
      const prompt = promptOf(request);
      const cases = prompt.includes(GATE_ERROR) ? RIGHT : WRONG;
      const file = testFile(specifierFor(prompt), cases);
      return { kind: 'answer', text: `Tests for price.\n\`\`\`js\n${file}\n\`\`\`` };
    });
    fixture = await createFixture({
      'package.json': {
        name: 'shop',
        private: true,
        type: 'module',
        scripts: { test: 'vitest run' },
        devDependencies: { vitest: '*' },
      },
      '.gitignore': 'node_modules/\ncoverage/\n',
      'src/price.js': PRICE_SOURCE,
      'src/cart.js': CART_SOURCE,
      'test/cart.test.js': CART_TEST,
      'beast.config.json': {
        models: {
          custom: {
            local: {
              baseUrl: server.baseUrl,
              model: 'local-coder',
              apiKeyEnv: 'LOCAL_LLM_KEY',
              timeoutMs: 60_000,
            },
          },
        },
      },
    });
    const repo = fixture.root;
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'shop');
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    home = await mkdtemp(path.join(tmpdir(), 'beast-tests-llm-'));

    const result = await beastAsync(
      ['tests', '.', '--files', 'src/price.js', '--model', 'custom:local', '--json'],
      { cwd: repo, env: { BEAST_HOME: home, LOCAL_LLM_KEY: KEY } },
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as TestGenReport;

    // Two requests: the first attempt, then the repair carrying the gate's error and the file.
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests.map(promptOf);
    expect(first).not.toContain(GATE_ERROR);
    expect(second).toContain(GATE_ERROR);
    expect(second).toContain('expect(discount(200)).toBe(190)');
    expect(second).toContain('attempt 1');

    // The first file was rejected when it failed, the repair was kept.
    const mine = report.verdicts
      .filter((v) => v.target === 'src/price.js')
      .sort((a, b) => a.attempt - b.attempt);
    expect(mine.map((v) => [v.attempt, v.model, v.kept])).toEqual([
      [1, 'custom:local', false],
      [2, 'custom:local', true],
    ]);
    expect(mine[0]?.reason).toContain(GATE_ERROR);
    const kept = mine[1];
    expect(kept?.after?.lines.covered).toBeGreaterThan(kept?.before?.lines.covered ?? 0);

    // Delivered on a branch; the user's branch and working tree are untouched.
    expect(report.status).toBe('delivered');
    expect(report.base).toBe(base);
    const branch = report.branch as string;
    const delivered = git(repo, 'show', `${branch}:${kept?.file ?? ''}`);
    expect(delivered).toContain('expect(discount(200)).toBe(180)');
    expect(delivered).not.toContain('toBe(190)');
    expect(git(repo, 'show', `${branch}:test/cart.test.js`)).toBe(CART_TEST);
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(base);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'log', '--format=%B', `${base}..${branch}`)).toContain('src/price.js');

    // The key went to the endpoint and nowhere else.
    expect(JSON.stringify(server.requests[0]?.headers)).toContain(KEY);
    expect(result.stdout + result.stderr).not.toContain(KEY);
    expect(git(repo, 'log', '-p', `${base}..${branch}`)).not.toContain(KEY);
  });
});
