import { mkdtemp, readFile, symlink } from 'node:fs/promises';
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

  it('gives each file its own rules on worker threads too', async () => {
    const files: Record<string, string> = {
      'beast.config.json': JSON.stringify({
        overrides: [{ files: ['tests/**'], rules: { 'max-params': 'off' } }],
      }),
    };
    // Enough files that the scan parses them on worker threads.
    for (let i = 0; i < 40; i++) {
      files[`src/a${i}.ts`] = FIVE.replace('function f', `function f${i}`);
      files[`tests/a${i}.ts`] = FIVE.replace('function f', `function f${i}`);
    }
    const dir = await makeRepo(files);
    const result = scan(dir, '--format', 'json', '--workers', '2');
    expect(result.code).toBe(0);
    const found = (JSON.parse(result.stdout) as Json).findings.filter(
      (f) => f.ruleId === 'max-params',
    );
    expect(found).toHaveLength(40);
    expect(found.every((f) => f.file.startsWith('src/'))).toBe(true);
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

describe('where config is found, and what it extends', () => {
  it('reads beast.config.jsonc with comments and trailing commas', async () => {
    const dir = await makeRepo({
      ...FILES,
      'beast.config.jsonc': `{
  // Tests may take many parameters.
  "overrides": [
    { "files": ["tests/**"], "rules": { "max-params": "off", }, }, /* the only one */
  ],
}
`,
    });
    expect(findingsOf(dir, 'max-params')).toEqual(['src/a.ts:major']);
  });

  it('points at the line and column of a JSONC mistake, exit 2', async () => {
    const dir = await makeRepo({ ...FILES, 'beast.config.jsonc': '{\n  // ok\n  "rules": {\n}\n' });
    expect(scan(dir, '--quiet')).toEqual({
      code: 2,
      stdout: '',
      stderr: `beast: ${path.join(dir, 'beast.config.jsonc')}:5:1: unexpected end of file\n`,
    });
  });

  it("reads package.json's beast key; with beast.config.json too, says which to keep", async () => {
    const pkg = JSON.stringify({ name: 'x', beast: { rules: { 'max-params': 'blocker' } } });
    const dir = await makeRepo({ ...FILES, 'package.json': pkg });
    expect(findingsOf(dir, 'max-params')).toContain('src/a.ts:blocker');
    const both = await makeRepo({ ...FILES, 'package.json': pkg, 'beast.config.json': '{}' });
    expect(scan(both, '--quiet')).toEqual({
      code: 2,
      stdout: '',
      stderr: `beast: ${both}: config found in both beast.config.json and package.json#beast; keep one (beast.config.json)\n`,
    });
  });

  it('extends a preset and a file, the file itself winning', async () => {
    const dir = await makeRepo({
      ...FILES,
      'src/b.ts':
        'export function g(a: number, b: number, c: number, d: number): number {\n  return a + b + c + d;\n}\n',
      'beast.config.json': JSON.stringify({
        extends: ['beast:strict', './config/team.json'],
        rules: { 'max-params': 'critical' },
      }),
      'config/team.json': JSON.stringify({
        overrides: [{ files: ['tests/**'], rules: { 'max-params': 'off' } }],
      }),
    });
    // beast:strict lowers the threshold to 3 parameters; the file's severity keeps that option.
    expect(findingsOf(dir, 'max-params')).toEqual(['src/a.ts:critical', 'src/b.ts:critical']);
  });

  it('refuses an extends cycle, naming the chain, exit 2', async () => {
    const dir = await makeRepo({
      ...FILES,
      'beast.config.json': '{ "extends": "./a.json" }',
      'a.json': '{ "extends": "./beast.config.json" }',
    });
    expect(scan(dir, '--quiet')).toEqual({
      code: 2,
      stdout: '',
      stderr: `beast: ${path.join(dir, 'a.json')}: extends "./beast.config.json": extends cycle beast.config.json -> a.json -> beast.config.json\n`,
    });
  });

  it('refuses extends out of the repository, by path or by symlink, exit 2', async () => {
    const outside = await makeRepo({ 'leak.json': '{ "rules": { "max-params": "off" } }' });
    const byPath = await makeRepo({
      ...FILES,
      'beast.config.json': JSON.stringify({ extends: `../${path.basename(outside)}/leak.json` }),
    });
    const result = scan(byPath, '--quiet');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `beast: ${path.join(byPath, 'beast.config.json')}: extends "../${path.basename(outside)}/leak.json": outside the repository (beast.config.json -> ../${path.basename(outside)}/leak.json); extends reads files inside it only\n`,
    );
    const byLink = await makeRepo({
      ...FILES,
      'beast.config.json': '{ "extends": "./shared/leak.json" }',
    });
    await symlink(outside, path.join(byLink, 'shared'));
    expect(scan(byLink, '--quiet')).toEqual({
      code: 2,
      stdout: '',
      stderr: `beast: ${path.join(byLink, 'beast.config.json')}: extends "./shared/leak.json": shared/leak.json: the symlink shared points outside the repository; not followed (beast.config.json -> shared/leak.json)\n`,
    });
  });
});

describe('beast init', () => {
  it('writes a commented starter that a scan then loads; refuses to overwrite, exit 2', async () => {
    const dir = await makeRepo(FILES);
    const init = beast(['init', dir], { env: { BEAST_HOME: home } });
    const file = path.join(dir, 'beast.config.jsonc');
    expect(init).toEqual({
      code: 0,
      stdout: `wrote ${file}: extends beast:recommended, an override for test files, the gates; edit it, then run beast scan\n`,
      stderr: '',
    });
    const written = await readFile(file, 'utf8');
    expect(written).toMatch(/^\/\/ BEAST MODE configuration/);
    expect(written).toContain(
      '"$schema": "./node_modules/beast-mode/schema/beast.config.schema.json"',
    );
    const result = scan(dir, '--format', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const again = beast(['init', dir], { env: { BEAST_HOME: home } });
    expect(again).toEqual({
      code: 2,
      stdout: '',
      stderr: `beast: ${file} already holds this repository's config; not overwritten\n`,
    });
    expect(await readFile(file, 'utf8')).toBe(written);
  });

  it("refuses when package.json's beast key or a symlinked config is there, writing nothing", async () => {
    const withKey = await makeRepo({ ...FILES, 'package.json': '{ "beast": {} }' });
    expect(beast(['init', withKey], { env: { BEAST_HOME: home } })).toEqual({
      code: 2,
      stdout: '',
      stderr: `beast: ${path.join(withKey, 'package.json#beast')} already holds this repository's config; not overwritten\n`,
    });
    const linked = await makeRepo(FILES);
    await symlink('/tmp/beast-nowhere.json', path.join(linked, 'beast.config.jsonc'));
    expect(beast(['init', linked], { env: { BEAST_HOME: home } }).code).toBe(2);
    expect(git(withKey, 'status', '--porcelain')).toBe('');
    expect(git(linked, 'status', '--porcelain')).toBe('?? beast.config.jsonc\n');
  });
});
