import { writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImproveReport } from '../src/pipeline/index.js';
import { beast, git, makeRepo } from './helpers/repo.js';

describe('an improve report cannot contradict itself', () => {
  it('lists withheld changes under Withheld only, credits no quality and names no branch when nothing was delivered', async () => {
    // No tests, no --allow-unvalidated: every change that passes is withheld.
    const repo = await makeRepo({
      'notes.txt': 'notes\n',
      'src/a.js': "let a = 'x';\nexport const b = a + 'y';\nexport const c = { a: a };\n",
    });
    // An uncommitted edit of a tracked file: its warning must not speak of a branch that was never kept.
    await writeFile(path.join(repo, 'notes.txt'), 'work in progress\n');
    const home = await mkdtemp(path.join(tmpdir(), 'beast-report-state-'));
    const env = { BEAST_HOME: home };

    const json = beast(['improve', repo, '--json'], { env });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as ImproveReport;
    expect(report.status).toBe('unvalidated');
    expect(report.branch).toBeUndefined();
    expect(report.changes.length).toBeGreaterThan(0);
    const ids = report.changes.map((c) => c.id);
    expect(report.outcomes).toEqual({ accepted: [], withheld: ids, rejected: [] });
    expect(report.afterBasis).toBe('nothing-delivered');
    expect(report.after).toEqual(report.before);
    expect(report.findingsFixed).toBe(0);
    expect(report.files).toEqual([]);
    expect(report.warnings.join('\n')).not.toMatch(/branch/);

    const text = beast(['improve', repo], { env });
    expect(text.code, text.stderr).toBe(0);
    const out = text.stdout;
    expect(out).not.toMatch(/^Accepted/m);
    expect(out).toMatch(new RegExp(`^Withheld \\(${ids.length}, `, 'm'));
    expect(out).toContain(
      `${ids.length} proposed · 0 accepted · ${ids.length} withheld · 0 rejected`,
    );
    const withheldLines = out
      .split(/^Withheld .*$/m)[1]!
      .split('\n')
      .filter((l) => l.startsWith('  '));
    expect(withheldLines).toHaveLength(ids.length);
    expect(out).toMatch(/^Quality {4}\S+ \S+; findings \d+ \(unchanged: nothing delivered\)$/m);
    expect(out).not.toMatch(/^Quality.*->/m);
    expect(out).not.toMatch(/branch|beast\//);
    expect(out).toMatch(
      /^warning: the working tree has uncommitted changes; they were left alone$/m,
    );
    expect(git(repo, 'branch', '--list', 'beast/*').trim()).toBe('');
  }, 120_000);
});
