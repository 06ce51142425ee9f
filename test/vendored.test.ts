import { mkdir, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanReport } from '../src/core/index.js';
import { runImprove, type ImproveReport } from '../src/pipeline/index.js';
import { createReachingModel, makeImproveFixture } from './helpers/improve-fixture.js';
import { beast, git } from './helpers/repo.js';

/*
 * Never edit code the repository did not write: vendored, bundled and minified files inside src/
 * are recognised by banner, bundler output and line length, skipped by the scan with the signal
 * that matched, and never changed by improve.
 */

/** The same fixable code as the fixture's modules (prefer-const, prefer-template): only the banner differs. */
const FIXABLE = [
  `/** @param {string} name */`,
  `export function fmt(name) {`,
  `  let prefix = 'fmt';`,
  `  return prefix + ':' + name;`,
  `}`,
  ``,
].join('\n');

const FOREIGN: Record<string, { content: string; skip: { reason: string; detail: string } }> = {
  'src/vendor-lib.js': {
    content: `/*! tinyfmt v1.2.3 | MIT */\n${FIXABLE}`,
    skip: { reason: 'vendored', detail: '/*! tinyfmt v1.2.3 | MIT */ banner' },
  },
  'src/lib/format.js': {
    content: `// src/format.ts\n${FIXABLE}//# sourceMappingURL=format.js.map\n`,
    skip: { reason: 'bundled', detail: 'sourceMappingURL comment: compiled or bundled output' },
  },
  'src/lib/packed.js': {
    // Minified but for its newlines: the long lines give it away.
    content: Array.from(
      { length: 6 },
      (_, i) => `export function f${i}(n){let p='x';return p+':'+n+${"'y'+".repeat(80)}'z'}`,
    ).join('\n'),
    skip: { reason: 'minified', detail: 'average line length 371, longest 371' },
  },
};

/** The improve fixture (one fixable module with tests) plus the foreign files, committed. */
async function repoWithForeignCode(): Promise<string> {
  const repo = await makeImproveFixture(1);
  for (const [file, { content }] of Object.entries(FOREIGN)) {
    await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
    await writeFile(path.join(repo, file), content);
  }
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'vendored code');
  return repo;
}

async function expectUntouched(repo: string, ref?: string): Promise<void> {
  for (const [file, { content }] of Object.entries(FOREIGN)) {
    expect(await readFile(path.join(repo, file), 'utf8')).toBe(content);
    if (ref !== undefined) expect(git(repo, 'show', `${ref}:${file}`)).toBe(content);
  }
}

function touchedFiles(report: ImproveReport): string[] {
  return [...new Set(report.changes.flatMap((c) => c.changes.map((ch) => ch.file)))].sort();
}

describe('vendored, bundled and minified files inside src/', () => {
  it('beast scan lists each among the skipped files with the signal that matched', async () => {
    const repo = await repoWithForeignCode();
    const result = beast(['scan', repo, '--format', 'json', '--no-store']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ScanReport;
    for (const [file, { skip }] of Object.entries(FOREIGN))
      expect(report.skipped).toContainEqual({ path: file, ...skip });
    expect(report.files.map((f) => f.path).sort()).toEqual(['src/mod0.js', 'test/mod0.test.js']);
    expect(report.findings.some((f) => f.file === 'src/mod0.js')).toBe(true);
  });

  it('beast improve changes only the normal file and reports the others skipped', async () => {
    const repo = await repoWithForeignCode();
    const home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
    const result = beast(['improve', repo, '--json'], { env: { BEAST_HOME: home } });
    if (!result.stdout) throw new Error(`no report (exit ${result.code}): ${result.stderr}`);
    const report = JSON.parse(result.stdout) as ImproveReport;
    expect(result.code).toBe(0);
    expect(report.status).toBe('delivered');
    expect(report.findingsFixed).toBeGreaterThan(0);
    expect(touchedFiles(report)).toEqual(['src/mod0.js']);
    const changed = git(repo, 'diff', '--name-only', `${report.base}..${report.branch ?? '-'}`);
    expect(changed.trim().split('\n')).toEqual(['src/mod0.js']);
    await expectUntouched(repo, report.branch);
    for (const [file, { skip }] of Object.entries(FOREIGN))
      expect(report.warnings).toContain(
        `skipped ${file}: ${skip.reason}: ${skip.detail}; never edited`,
      );
  });
});

describe('when asked to scan vendored files', () => {
  it('beast scan --include-vendored analyses them', async () => {
    const repo = await repoWithForeignCode();
    const result = beast(['scan', repo, '--format', 'json', '--no-store', '--include-vendored']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(report.skipped).toEqual([]);
    for (const file of Object.keys(FOREIGN)) {
      expect(report.files.map((f) => f.path)).toContain(file);
      expect(report.findings.some((f) => f.file === file)).toBe(true);
    }
  });

  it('a later scan without the flag skips them again, though the cache saw them unchanged', async () => {
    const repo = await repoWithForeignCode();
    // Old enough that the cache trusts the files unread on the second scan.
    const past = new Date('2020-01-01T00:00:00Z');
    for (const file of Object.keys(FOREIGN)) await utimes(path.join(repo, file), past, past);
    const env = { BEAST_HOME: await mkdtemp(path.join(tmpdir(), 'beast-home-')) };
    const scan = (...flags: string[]) =>
      JSON.parse(beast(['scan', repo, '--format', 'json', ...flags], { env }).stdout) as ScanReport;
    expect(scan('--include-vendored').skipped).toEqual([]);
    const again = scan();
    for (const [file, { skip }] of Object.entries(FOREIGN))
      expect(again.skipped).toContainEqual({ path: file, ...skip });
  });

  it('beast improve with includeVendored in config still changes only the normal file', async () => {
    const repo = await repoWithForeignCode();
    await writeFile(path.join(repo, 'beast.config.json'), '{ "includeVendored": true }\n');
    git(repo, 'add', 'beast.config.json');
    git(repo, 'commit', '-q', '-m', 'scan vendored code');
    const home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
    const result = beast(['improve', repo, '--json'], { env: { BEAST_HOME: home } });
    if (!result.stdout) throw new Error(`no report (exit ${result.code}): ${result.stderr}`);
    const report = JSON.parse(result.stdout) as ImproveReport;
    expect(result.code).toBe(0);
    expect(report.status).toBe('delivered');
    expect(touchedFiles(report)).toEqual(['src/mod0.js']);
    await expectUntouched(repo, report.branch);
    for (const [file, { skip }] of Object.entries(FOREIGN))
      expect(report.warnings).toContain(
        `left ${file} alone (${skip.reason}: ${skip.detail}): code the repository did not write`,
      );
  });
});

describe('a model proposing an edit of a vendored file', () => {
  it.each(Object.entries(FOREIGN))(
    'a change to %s is dropped with a warning naming why',
    async (file, { skip }) => {
      const repo = await repoWithForeignCode();
      const state = await mkdtemp(path.join(tmpdir(), 'beast-state-'));
      const report = await runImprove(repo, {
        models: [createReachingModel(file)],
        stateDir: state,
      });
      expect(report.status).toBe('nothing-to-do');
      expect(report.changes).toEqual([]);
      expect(report.warnings).toContain(
        `test:reach: a proposal was dropped: it edits ${file} (${skip.reason}: ${skip.detail})`,
      );
      await expectUntouched(repo);
    },
  );
});
