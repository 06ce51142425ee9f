import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
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
    await expect(resolveConfig(dir, {})).rejects.toThrow(/not valid JSON/);
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
