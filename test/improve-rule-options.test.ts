import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { ImproveReport } from '../src/pipeline/index.js';
import { beast, makeRepo } from './helpers/repo.js';

/*
 * A finding that exists only under the repository's configured rule options: the built-in fix
 * must be computed with the same options, or the scan reports what improve cannot fix.
 */
describe('beast improve with configured rule options', () => {
  // One statement in the tail `if` is enough here; the default asks for three.
  const option = { 'prefer-early-return': { options: { minStatements: 1 } } };
  it.each([
    ['at the top level', { rules: option }],
    ['in an override for the file', { overrides: [{ files: ['src/**'], rules: option }] }],
  ])(
    'fixes a finding that only the options configured %s report',
    async (_, config) => {
      const repo = await makeRepo({
        'package.json': JSON.stringify({
          name: 'opts',
          private: true,
          type: 'module',
          scripts: { test: 'node --test test/' },
        }),
        'beast.config.json': JSON.stringify(config),
        'src/log.js': [
          '/** @param {string[]} seen @param {string} name */',
          'export function remember(seen, name) {',
          '  if (!seen.includes(name)) {',
          '    seen.push(name);',
          '  }',
          '}',
          '',
        ].join('\n'),
        'test/log.test.js': [
          "import { test } from 'node:test';",
          "import assert from 'node:assert/strict';",
          "import { remember } from '../src/log.js';",
          '',
          "test('remember', () => {",
          "  const seen = ['a'];",
          "  remember(seen, 'a');",
          "  remember(seen, 'b');",
          "  assert.deepEqual(seen, ['a', 'b']);",
          '});',
          '',
        ].join('\n'),
      });
      const home = await mkdtemp(path.join(tmpdir(), 'beast-opts-'));
      const result = beast(
        ['improve', repo, '--rule', 'prefer-early-return', '--dry-run', '--json'],
        { env: { BEAST_HOME: home } },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as ImproveReport;
      expect(report.changes.map((c) => [c.finding.ruleId, c.model, c.status])).toEqual([
        ['prefer-early-return', 'builtin:codemods', 'accepted'],
      ]);
      expect(report.diff).toContain('+  if (seen.includes(name)) return;');
    },
    120_000,
  );
});
