import { applyEdits } from '../core/index.js';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeFolder, PROJECT_ROOT } from '../../test/helpers/repo.js';
import { FOLLOWS_FILE_STYLE, loadFormatter, minimalEdit } from './format.js';

describe('minimalEdit', () => {
  it('keeps the common prefix and suffix', () => {
    expect(minimalEdit('let a = 1;', 'const a = 1;')).toEqual({ start: 0, end: 2, text: 'cons' });
    expect(minimalEdit('same', 'same')).toBeUndefined();
  });

  it('always turns before into after', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const edit = minimalEdit(before, after);
        expect(edit ? applyEdits(before, [edit]) : before).toBe(after);
      }),
    );
  });
});

describe('loadFormatter', () => {
  it("formats with the repository's Prettier and config, only files that were formatted", async () => {
    const root = await makeFolder({
      '.prettierrc': JSON.stringify({ singleQuote: true }),
      'package.json': '{}',
      'a.ts': "export const a = 'x';\n",
      'b.ts': 'export const b   =  "x";\n',
    });
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
    const loaded = await loadFormatter(root);
    if (!('formatter' in loaded)) throw new Error(loaded.reason);
    expect(loaded.formatter.name).toMatch(/^Prettier 3\./);
    const formatted = await loaded.formatter.format(
      'a.ts',
      "export const a = 'x';\n",
      'export const a = `x`;export const c="y"\n',
    );
    expect(formatted).toBe("export const a = `x`;\nexport const c = 'y';\n");
    // b.ts was not formatted: its style is the user's business.
    const untouched = 'export const b   =  "y";\n';
    expect(await loaded.formatter.format('b.ts', 'export const b   =  "x";\n', untouched)).toBe(
      untouched,
    );
  });

  it("formats with Prettier's defaults when the scripts run Prettier without a config", async () => {
    const root = await makeFolder({
      'package.json': JSON.stringify({ scripts: { format: 'prettier --check "**/*.ts"' } }),
      'a.ts': 'export const a = "x";\n',
    });
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
    const loaded = await loadFormatter(root);
    if (!('formatter' in loaded)) throw new Error(loaded.reason);
    expect(loaded.formatter.name).toMatch(/^Prettier 3\./);
    expect(
      await loaded.formatter.format('a.ts', 'export const a = "x";\n', "export const a='y'\n"),
    ).toBe('export const a = "y";\n');
  });

  it("runs the repository's Prettier config, which is code, in the sandbox, not in our process", async () => {
    // The config tells, through the formatting it asks for, whether it saw this process.
    const root = await makeFolder({
      'prettier.config.mjs': [
        "import { existsSync } from 'node:fs';",
        `const seen = process.pid === ${process.pid} || existsSync('/proc/${process.pid}/environ');`,
        'export default { singleQuote: !seen };',
      ].join('\n'),
      'package.json': '{}',
      'a.ts': "export const a = 'x';\n",
    });
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
    const loaded = await loadFormatter(root);
    if (!('formatter' in loaded)) throw new Error(loaded.reason);
    expect(
      await loaded.formatter.format('a.ts', "export const a = 'x';\n", 'export const a = "y"'),
    ).toBe("export const a = 'y';\n");
  });

  it('says why there is no formatter, and that the built-in fixes follow the file style', async () => {
    const none = await makeFolder({ 'package.json': '{}' });
    expect(await loadFormatter(none)).toEqual({
      reason: `no formatter configured (Prettier, Biome, dprint, oxfmt); ${FOLLOWS_FILE_STYLE}`,
    });
    const missing = await makeFolder({ 'package.json': '{"prettier": {}}' });
    expect(await loadFormatter(missing)).toEqual({
      reason: `a Prettier config, but Prettier is not installed; ${FOLLOWS_FILE_STYLE}`,
    });
  });

  it.each([
    [{ 'biome.json': '{}' }, 'a Biome config (biome.json), but Biome is not installed'],
    [
      { 'biome.jsonc': '{ // ours\n "formatter": { "enabled": false, }, }' },
      "Biome's formatter is off in biome.jsonc",
    ],
    [
      { 'biome.json': '{"javascript": {"formatter": {"enabled": false}}}' },
      "Biome's JavaScript formatter is off in biome.json",
    ],
    [{ '.dprint.json': '{}' }, 'a dprint config (.dprint.json), but dprint is not installed'],
    [{ '.oxfmtrc.json': '{}' }, 'an oxfmt config (.oxfmtrc.json), but oxfmt is not installed'],
  ])('chooses the formatter by its config: %j', async (files, reason) => {
    const root = await makeFolder({ 'package.json': '{}', ...files });
    expect(await loadFormatter(root)).toEqual({ reason: `${reason}; ${FOLLOWS_FILE_STYLE}` });
  });

  it('says so when the installed formatter cannot start', async () => {
    const root = await makeFolder({
      'package.json': '{}',
      'biome.json': '{}',
      'node_modules/.bin/biome': 'not a program',
    });
    expect(await loadFormatter(root)).toEqual({
      reason: `Biome failed (cannot start ${path.join(root, 'node_modules/.bin/biome')}: no such program); ${FOLLOWS_FILE_STYLE}`,
    });
  });

  it('tries first the formatter the scripts run, when several are configured', async () => {
    const files = { '.prettierrc': '{}', 'biome.json': '{}', '.oxfmtrc.json': '{}' };
    const byOrder = await makeFolder({ 'package.json': '{}', ...files });
    expect(await loadFormatter(byOrder)).toMatchObject({
      reason: expect.stringMatching(/^a Prettier config.*; a Biome config.*; an oxfmt config/),
    });
    const byScripts = await makeFolder({
      'package.json': JSON.stringify({ scripts: { fmt: 'oxfmt --check', x: 'biome ci' } }),
      ...files,
    });
    expect(await loadFormatter(byScripts)).toMatchObject({
      reason: expect.stringMatching(/^a Biome config.*; an oxfmt config.*; a Prettier config/),
    });
  });
});
