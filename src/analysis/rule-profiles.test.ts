import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STARTER_CONFIG, parseConfig, resolveConfig, type Config } from '../core/index.js';
import { createRuleProfiles } from './rule-profiles.js';
import { scan, type AnalysisCache } from './scan.js';

const FIVE =
  'export function f(a: number, b: number, c: number, d: number, e: number): number {\n  return a + b + c + d + e;\n}\n';
const LOOP = (name: string) =>
  `export function ${name}(items: number[], limit: number): number[] {\n  const out: number[] = [];\n  for (const item of items) {\n    if (item > limit) {\n      out.push(item * 2);\n    } else if (item === limit) {\n      out.push(item + 2);\n    } else {\n      out.push(item - 2);\n    }\n  }\n  return out.filter((x) => x % 2 === 0).map((x) => x / 2);\n}\n`;

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-profiles-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

function configOf(file: unknown): Config {
  const result = parseConfig(file);
  expect(result.errors).toEqual([]);
  return result.config;
}

function memoryCache(): AnalysisCache & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  return {
    entries,
    get: async (keys) =>
      new Map(keys.flatMap((k) => (entries.has(k) ? [[k, entries.get(k)]] : []))),
    set: async (list) => {
      for (const { key, value } of list) entries.set(key, value);
    },
  };
}

const found = (report: Awaited<ReturnType<typeof scan>>, rule: string) =>
  report.findings
    .filter((f) => f.ruleId === rule)
    .map((f) => `${f.file}:${f.severity}`)
    .sort();

describe('rule profiles', () => {
  it('resolves rules once per combination of layers, and names a bad override by its key', () => {
    const profiles = createRuleProfiles(
      configOf({ overrides: [{ files: ['test/**'], rules: { 'max-params': 'off' } }] }),
    );
    expect(profiles.forFile('test/a.ts')).toBe(profiles.forFile('test/b/c.ts'));
    expect(profiles.forFile('src/a.ts')).toBe(profiles.base);
    expect(profiles.forFile('test/a.ts').key).not.toBe(profiles.base.key);
    expect(() =>
      createRuleProfiles(
        configOf({ overrides: [{ files: ['x'], rules: { 'max-parms': 'off' } }] }),
      ),
    ).toThrow(
      /^overrides\[0\]\.rules\.max-parms: unknown rule "max-parms"; did you mean "max-params"\?/,
    );
    expect(() =>
      createRuleProfiles(
        configOf({
          overrides: [{ files: ['x'], rules: { 'max-params': { options: { max: 1 } } } }],
        }),
      ),
    ).toThrow('overrides[0].rules.max-params: unknown option "max"; options: threshold');
  });

  it('runs each file with its own rules, file rules and repository rules alike', async () => {
    const dir = await folder({
      'src/a.ts': FIVE + LOOP('first'),
      'src/b.ts': LOOP('second'),
      'src/legacy/c.ts': FIVE,
    });
    const config = configOf({
      overrides: [
        { files: ['src/legacy/**'], rules: { 'max-params': 'off' } },
        { files: ['src/b.ts'], rules: { 'duplicated-code': 'off', 'max-params': 'blocker' } },
        { files: ['src/a.ts'], rules: { 'duplicated-code': 'critical' } },
      ],
    });
    const cache = memoryCache();
    const report = await scan(dir, { config, workers: 0, cache });
    expect(found(report, 'max-params')).toEqual(['src/a.ts:major']);
    // The clone spans a.ts and b.ts: each copy is held to its own file's settings.
    expect(found(report, 'duplicated-code')).toEqual(['src/a.ts:critical']);

    // The cache keys hold each file's settings: other overrides, other findings.
    const again = await scan(dir, { config: configOf({}), workers: 0, cache });
    expect(found(again, 'max-params')).toEqual(['src/a.ts:major', 'src/legacy/c.ts:major']);
    expect(found(again, 'duplicated-code')).toEqual(['src/a.ts:major', 'src/b.ts:major']);
    const back = await scan(dir, { config, workers: 0, cache });
    expect(back.summary.parsed).toBe(0);
    expect(back.findings).toEqual(report.findings);
  });

  it('beast:strict is valid: its opt-in rules are on for source, off for tests', async () => {
    const dir = await folder({ 'beast.config.json': '{ "extends": "beast:strict" }' });
    const profiles = createRuleProfiles((await resolveConfig(dir, {})).config);
    const ids = (file: string) =>
      profiles
        .forFile(file)
        .active.file.map((a) => `${a.rule.meta.id}:${JSON.stringify(a.options)}`);
    expect(ids('src/a.ts')).toEqual(
      expect.arrayContaining([
        'no-console:{}',
        expect.stringMatching(/^no-magic-numbers:/),
        'max-params:{"threshold":3}',
      ]),
    );
    expect(ids('src/a.test.ts').some((id) => id.startsWith('no-console:'))).toBe(false);
    expect(ids('tests/a.ts').some((id) => id.startsWith('no-magic-numbers:'))).toBe(false);
  });

  it('the starter config beast init writes loads, and its test override applies', async () => {
    const dir = await folder({ 'beast.config.jsonc': STARTER_CONFIG });
    const { config } = await resolveConfig(dir, {});
    expect(config.newCodeGate.failOn).toBe('major');
    const profiles = createRuleProfiles(config);
    const has = (file: string, id: string) =>
      profiles.forFile(file).active.file.some((a) => a.rule.meta.id === id);
    expect(has('src/a.ts', 'max-function-lines')).toBe(true);
    expect(has('src/a.test.ts', 'max-function-lines')).toBe(false);
    expect(has('test/helpers/a.ts', 'max-function-lines')).toBe(false);
  });
});
