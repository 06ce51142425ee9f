import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../src/analysis/index.js';
import { beast, git, makeRepo } from '../helpers/repo.js';

// Rule options as users write them: misspelt, ill-typed, or right; and the docs made from the
// same declarations.

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'beast-rule-options-home-'));
});

const FIVE =
  'export function f(a: number, b: number, c: number, d: number, e: number): number {\n  return a + b + c + d + e;\n}\n';

async function repoWith(rules: unknown): Promise<string> {
  return makeRepo({ 'a.ts': FIVE, 'beast.config.json': JSON.stringify({ rules }) });
}

function scan(dir: string, ...args: string[]) {
  return beast(['scan', dir, '--no-store', ...args], { env: { BEAST_HOME: home } });
}

describe('rule options in beast.config.json', () => {
  it.each([
    [
      { 'max-params': { options: { max: 5 } } },
      'rules.max-params: unknown option "max"; options: threshold',
    ],
    [
      { 'max-params': { options: { threshold: '5' } } },
      'rules.max-params.options.threshold: expected number, got "5"',
    ],
    [
      { 'no-debugger': { enabled: false, options: { threshold: 1 } } },
      'rules.no-debugger: unknown option "threshold"; it takes no options',
    ],
    [
      { 'unused-variable': { options: { params: 'all' } } },
      'rules.unused-variable.options.params: expected one of "none", "after-used", got "all"',
    ],
  ])('refuses %j with one line naming the rule and the option, exit 2', async (rules, line) => {
    const dir = await repoWith(rules);
    expect(scan(dir, '--quiet')).toEqual({ code: 2, stdout: '', stderr: `beast: ${line}\n` });
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('applies a valid option: threshold 5 lets five parameters pass, the default does not', async () => {
    const ids = (dir: string) =>
      (
        JSON.parse(scan(dir, '--format', 'json').stdout) as { findings: { ruleId: string }[] }
      ).findings.map((f) => f.ruleId);
    expect(ids(await repoWith({}))).toContain('max-params');
    expect(ids(await repoWith({ 'max-params': { options: { threshold: 5 } } }))).not.toContain(
      'max-params',
    );
  });
});

describe('beast rules', () => {
  it('--docs prints Markdown of every rule, its options, defaults, fixability and ESLint equivalent', () => {
    const result = beast(['rules', '--docs'], { env: { BEAST_HOME: home } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const rule of allRules) expect(result.stdout).toContain(`\n## ${rule.meta.id}\n`);
    expect(result.stdout).toContain('| `threshold` | integer ≥ 0 | `4` |');
    expect(result.stdout).toContain('- ESLint equivalent: `@typescript-eslint/no-explicit-any`');
    expect(result.stdout).toMatch(/- `suggestion`: .*builtin:ts-fixes/);
  });

  it('--json gives each rule its options with their defaults', () => {
    const result = beast(['rules', '--json'], { env: { BEAST_HOME: home } });
    expect(result.code).toBe(0);
    const rules = JSON.parse(result.stdout) as {
      id: string;
      options: { name: string; default: unknown }[];
    }[];
    expect(rules.find((r) => r.id === 'max-params')?.options).toMatchObject([
      { name: 'threshold', default: 4 },
    ]);
    expect(rules).toHaveLength(allRules.length);
  });
});
