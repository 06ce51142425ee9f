import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { configJsonSchema, parseConfig, resolveConfig } from './config.js';

async function repoWith(config: string | undefined): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-config-'));
  if (config !== undefined) await writeFile(path.join(dir, 'beast.config.json'), config);
  return dir;
}

describe('config', () => {
  it('names the key and the problem', () => {
    const result = parseConfig({ maxFileSizeKb: 'big', gate: { failOn: 'Z' } });
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toMatch(/^maxFileSizeKb: /);
    expect(result.errors[1]).toMatch(/^gate\.failOn: /);
  });

  it('rejects unknown keys', () => {
    expect(parseConfig({ rulez: {} }).errors[0]).toMatch(/rulez/);
  });

  it('applies defaults < file < environment < flags', async () => {
    const dir = await repoWith(
      JSON.stringify({ workers: 1, maxFileSizeKb: 10, gate: { failOn: 'C' } }),
    );
    const fileOnly = await resolveConfig(dir, {});
    expect(fileOnly.config).toMatchObject({
      workers: 1,
      maxFileSizeKb: 10,
      gate: { failOn: 'C', minScore: 0 },
    });
    const withEnv = await resolveConfig(dir, { BEAST_WORKERS: '3', BEAST_FAIL_ON: 'B' });
    expect(withEnv.config).toMatchObject({ workers: 3, gate: { failOn: 'B' } });
    const withFlags = await resolveConfig(
      dir,
      { BEAST_WORKERS: '3' },
      { workers: 0, gate: { minScore: 70 } },
    );
    expect(withFlags.config).toMatchObject({
      workers: 0,
      maxFileSizeKb: 10,
      gate: { failOn: 'C', minScore: 70 },
    });
  });

  it('turns a broken file into a one-line ConfigError', async () => {
    const dir = await repoWith('{ "workers": ');
    await expect(resolveConfig(dir, {})).rejects.toThrow(ConfigError);
    await expect(resolveConfig(dir, {})).rejects.toThrow(
      `${path.join(dir, 'beast.config.json')}:1:14: unexpected end of file`,
    );
    const bad = await repoWith('{ "workers": -1 }');
    await expect(resolveConfig(bad, {})).rejects.toThrow(/workers: /);
  });

  it('reads a config symlink only when it stays inside the repository', async () => {
    const inside = await repoWith(undefined);
    await writeFile(path.join(inside, 'shared.json'), '{ "workers": 4 }');
    await symlink('shared.json', path.join(inside, 'beast.config.json'));
    expect((await resolveConfig(inside, {})).config.workers).toBe(4);
    const outside = await repoWith(undefined);
    await symlink('/etc/passwd', path.join(outside, 'beast.config.json'));
    await expect(resolveConfig(outside, {})).rejects.toThrow(ConfigError);
    await expect(resolveConfig(outside, {})).rejects.toThrow(
      /^cannot read .*beast\.config\.json: beast\.config\.json: the symlink beast\.config\.json points outside the repository; not followed$/,
    );
  });

  it('rejects a bad environment value by name', async () => {
    const dir = await repoWith(undefined);
    await expect(resolveConfig(dir, { BEAST_WORKERS: 'many' })).rejects.toThrow(/BEAST_WORKERS/);
    await expect(resolveConfig(dir, { BEAST_FAIL_ON: 'worst' })).rejects.toThrow(/BEAST_FAIL_ON/);
  });

  it('generates a JSON schema from the same source', () => {
    const schema = configJsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'include',
        'exclude',
        'rules',
        'gate',
        'newCodeGate',
        'maxFileSizeKb',
      ]),
    );
    expect(schema.additionalProperties).toBe(false);
  });

  it('the committed editor schema accepts ESLint levels and overrides, and checks their options', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const schema = JSON.parse(
      await readFile(new URL('../../schema/beast.config.schema.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const accepts = (config: unknown) => validate(config);
    expect(accepts({ rules: { 'max-params': 'warn', 'no-debugger': 0 } })).toBe(true);
    expect(accepts({ rules: { 'max-params': ['error', { threshold: 5 }] } })).toBe(true);
    expect(
      accepts({ overrides: [{ files: ['test/**'], rules: { 'max-params': ['warn'] } }] }),
    ).toBe(true);
    expect(accepts({ rules: { 'max-params': ['error', { max: 5 }] } })).toBe(false);
    expect(accepts({ rules: { 'max-params': 'warning' } })).toBe(false);
    expect(accepts({ overrides: [{ files: ['t/**'], rules: { 'max-parms': 'off' } }] })).toBe(
      false,
    );
    expect(accepts({ overrides: [{ rules: {} }] })).toBe(false);
  });
});

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-config-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('where config is found', () => {
  it('reads beast.config.jsonc with comments and trailing commas', async () => {
    const dir = await folderWith({
      'beast.config.jsonc': '// mine\n{\n  "workers": 2, /* two */\n  "exclude": ["a",],\n}\n',
    });
    expect((await resolveConfig(dir, {})).config).toMatchObject({ workers: 2, exclude: ['a'] });
  });

  it("reads package.json's beast key, and ignores a package.json without one", async () => {
    const dir = await folderWith({
      'package.json': JSON.stringify({ name: 'x', beast: { workers: 3 } }),
    });
    expect((await resolveConfig(dir, {})).config.workers).toBe(3);
    const plain = await folderWith({ 'package.json': '{ "name": "x", broken' });
    expect((await resolveConfig(plain, {})).config.workers).toBeUndefined();
  });

  it('refuses two sources in one line saying which to keep', async () => {
    const dir = await folderWith({
      'beast.config.json': '{}',
      'package.json': JSON.stringify({ beast: {} }),
    });
    await expect(resolveConfig(dir, {})).rejects.toThrow(
      `${dir}: config found in both beast.config.json and package.json#beast; keep one (beast.config.json)`,
    );
  });
});

describe('extends', () => {
  it('applies presets and files in order, the file last; overrides concatenate', async () => {
    const dir = await folderWith({
      'beast.config.json': JSON.stringify({
        extends: ['beast:strict', './config/base.jsonc'],
        rules: { 'max-params': 'off' },
        overrides: [{ files: ['c'], rules: {} }],
      }),
      'config/base.jsonc': `{ "extends": "../config/more.json", "workers": 1, "rules": { "max-params": "critical", "no-console": "off" },
        "overrides": [{ "files": ["b"], "rules": {} }] }`,
      'config/more.json': JSON.stringify({
        workers: 5,
        exclude: ['x'],
        overrides: [{ files: ['a'], rules: {} }],
      }),
    });
    const { config } = await resolveConfig(dir, {});
    expect(config.workers).toBe(1);
    expect(config.exclude).toEqual(['x']);
    expect(config.rules['max-params']).toEqual({
      enabled: false,
      severity: 'critical',
      options: { threshold: 3 },
    });
    expect(config.rules['no-console']).toEqual({ enabled: false });
    expect(config.rules['no-magic-numbers']).toBe('on');
    expect(config.overrides.map((o) => o.files[0])).toEqual(['**/*.{test,spec}.*', 'a', 'b', 'c']);
  });

  it.each([
    [
      {
        'beast.config.json': '{ "extends": "./a.json" }',
        'a.json': '{ "extends": ["./b.json"] }',
        'b.json': '{ "extends": "a.json" }',
      },
      'b.json: extends "a.json": extends cycle beast.config.json -> a.json -> b.json -> a.json',
    ],
    [
      { 'beast.config.json': '{ "extends": "../../etc/x.json" }' },
      'beast.config.json: extends "../../etc/x.json": outside the repository (beast.config.json -> ../../etc/x.json); extends reads files inside it only',
    ],
    [
      { 'beast.config.json': '{ "extends": "/etc/passwd" }' },
      'beast.config.json: extends "/etc/passwd": an absolute path; use a path relative to the file',
    ],
    [
      { 'beast.config.json': '{ "extends": "beast:lax" }' },
      'beast.config.json: extends "beast:lax": unknown preset; presets: beast:recommended, beast:strict',
    ],
    [
      { 'beast.config.json': '{ "extends": "./none.json" }' },
      'beast.config.json: extends "./none.json": no such file none.json',
    ],
    [
      { 'beast.config.json': '{ "extends": 3 }' },
      'beast.config.json: extends: expected a preset name or a relative path, or an array of them',
    ],
    [
      { 'beast.config.json': '{ "extends": "./a.json" }', 'a.json': '{ "workers": -1 }' },
      'a.json: workers: ',
    ],
  ])('refuses %j in one line naming the file and the chain', async (files, message) => {
    const dir = await folderWith(files);
    const error = await resolveConfig(dir, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('stops a chain that would read the same files exponentially often', async () => {
    const files: Record<string, string> = { 'beast.config.json': '{ "extends": "./c0.json" }' };
    for (let i = 0; i < 11; i++)
      files[`c${i}.json`] = JSON.stringify({ extends: [`./c${i + 1}.json`, `./c${i + 1}.json`] });
    files['c11.json'] = '{}';
    const dir = await folderWith(files);
    await expect(resolveConfig(dir, {})).rejects.toThrow(/more than 64 configs in all; not read$/);
  });

  it('refuses a symlink out of the repository on the way, naming the chain', async () => {
    const outside = await folderWith({ 'secret.json': '{ "workers": 1 }' });
    const dir = await folderWith({ 'beast.config.json': '{ "extends": "./shared/x.json" }' });
    await symlink(outside, path.join(dir, 'shared'));
    await expect(resolveConfig(dir, {})).rejects.toThrow(
      /extends "\.\/shared\/x\.json": shared\/x\.json: the symlink shared points outside the repository; not followed \(beast\.config\.json -> shared\/x\.json\)$/,
    );
  });
});
