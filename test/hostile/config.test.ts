import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { beast, git, makeRepo } from '../helpers/repo.js';

// Config as projects write it once they grow: per-folder settings, ESLint habits, comments,
// shared presets, and the hostile cases of each (cycles, paths out of the repository).

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'beast-config-home-'));
});

const FIVE =
  'export function f(a: number, b: number, c: number, d: number, e: number): number {\n  return a + b + c + d + e;\n}\n';

function scan(dir: string, ...args: string[]) {
  return beast(['scan', dir, '--no-store', ...args], { env: { BEAST_HOME: home } });
}

interface Json {
  findings: { ruleId: string; file: string; severity: string }[];
}

/** `file:severity` of each finding of `rule`, from a JSON scan that must succeed. */
function findingsOf(dir: string, rule: string): string[] {
  const result = scan(dir, '--format', 'json');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as Json).findings
    .filter((f) => f.ruleId === rule)
    .map((f) => `${f.file}:${f.severity}`)
    .sort();
}

const FILES = { 'src/a.ts': FIVE, 'tests/a.test.ts': FIVE, 'tests/deep/b.ts': FIVE };

describe('overrides', () => {
  it('turns a rule off for tests/** only: gone there, kept elsewhere', async () => {
    const plain = await makeRepo(FILES);
    expect(findingsOf(plain, 'max-params')).toEqual([
      'src/a.ts:major',
      'tests/a.test.ts:major',
      'tests/deep/b.ts:major',
    ]);
    const dir = await makeRepo({
      ...FILES,
      'beast.config.json': JSON.stringify({
        overrides: [{ files: ['tests/**'], rules: { 'max-params': 'off' } }],
      }),
    });
    expect(findingsOf(dir, 'max-params')).toEqual(['src/a.ts:major']);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('applies overrides in order, later wins, and honours ignores', async () => {
    const dir = await makeRepo({
      ...FILES,
      'beast.config.json': JSON.stringify({
        rules: { 'max-params': 'critical' },
        overrides: [
          { files: ['tests/**'], ignores: ['tests/deep/**'], rules: { 'max-params': 'off' } },
          { files: ['**/*.test.ts'], rules: { 'max-params': { options: { threshold: 4 } } } },
        ],
      }),
    });
    expect(findingsOf(dir, 'max-params')).toEqual([
      'src/a.ts:critical',
      'tests/a.test.ts:critical',
      'tests/deep/b.ts:critical',
    ]);
  });

  it('refuses an unknown rule in an override with a "did you mean", one line, exit 2', async () => {
    const dir = await makeRepo({
      ...FILES,
      'beast.config.json': JSON.stringify({
        overrides: [{ files: ['tests/**'], rules: { 'max-param': 'off' } }],
      }),
    });
    const result = scan(dir, '--quiet');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'beast: overrides[0].rules.max-param: unknown rule "max-param"; did you mean "max-params"? (beast rules lists all ' +
        /lists all (\d+)/.exec(result.stderr)?.[1] +
        ')\n',
    });
  });
});

describe('ESLint-style severities', () => {
  it('reads "warn" as minor, ["error", options] at the rule’s own severity, 0 as off', async () => {
    const dir = await makeRepo({
      'src/a.ts': `${FIVE}debugger;\n`,
      'tests/a.test.ts': FIVE,
      'beast.config.json': JSON.stringify({
        rules: { 'max-params': 'warn', 'no-debugger': 0 },
        overrides: [{ files: ['tests/**'], rules: { 'max-params': ['error', { threshold: 4 }] } }],
      }),
    });
    expect(findingsOf(dir, 'max-params')).toEqual(['src/a.ts:minor', 'tests/a.test.ts:major']);
    expect(findingsOf(dir, 'no-debugger')).toEqual([]);
  });

  it('refuses a level ESLint does not have, naming the key, exit 2', async () => {
    const dir = await makeRepo({
      'src/a.ts': FIVE,
      'beast.config.json': JSON.stringify({ rules: { 'max-params': 'warning' } }),
    });
    const result = scan(dir, '--quiet');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^beast: \S+beast\.config\.json: rules\.max-params: [^\n]+\n$/);
  });
});
