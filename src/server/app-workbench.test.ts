import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSaboteurModel, makeImproveFixture } from '../../test/helpers/improve-fixture.js';
import { beast, git, makeFolder, makeRepo } from '../../test/helpers/repo.js';
import { createCodemodsModel } from '../models/index.js';
import { runImprove } from '../pipeline/index.js';
import {
  closeHarnesses,
  harness,
  json,
  register,
  runJob,
  SOURCE,
  type Harness,
} from './testing.js';

afterEach(closeHarnesses);

interface FindingItem {
  ruleId: string;
  severity: string;
  category: string;
  file: string;
  kind: string;
  line: number;
  message: string;
  baselineState: string | null;
}
interface FindingsPage {
  scan: { id: number; commit: string | null; dirty: boolean };
  total: number;
  findings: FindingItem[];
  facets: Record<'rule' | 'severity' | 'category' | 'kind', Record<string, number>> & {
    baseline: Record<string, number> | null;
  };
}
interface FileView {
  content: string | null;
  unavailable: { reason: string; message: string } | null;
  findings: FindingItem[];
  proposals: { runId: number; ruleId: string; status: string }[];
  file: { path: string; kind: string };
}
type ErrorBody = { error: { code: string; message: string } };

const FILES = {
  ...SOURCE,
  'src/c.ts': 'export function g(a: any, b: any) {\n  var c = a;\n  return c == b;\n}\n',
  'test/a.test.ts': 'var t = 1;\nexport const u = t == 1;\n',
};

async function scanned(files: Record<string, string>, make = makeRepo) {
  const h = await harness();
  const repo = await make(files);
  const id = await register(h, repo);
  const job = await runJob(h, '/api/self-improvement/scan', { repo: id });
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  return { h, repo, id };
}

async function page(h: Harness, id: number, query: string): Promise<FindingsPage> {
  const response = await h.call('GET', `/api/repos/${id}/findings${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return json<FindingsPage>(response);
}

async function fileView(h: Harness, id: number, file: string): Promise<FileView> {
  const response = await h.call('GET', `/api/repos/${id}/file?path=${encodeURIComponent(file)}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return json<FileView>(response);
}

const count = (items: readonly FindingItem[], key: (f: FindingItem) => string) => {
  const counts: Record<string, number> = {};
  for (const f of items) counts[key(f)] = (counts[key(f)] ?? 0) + 1;
  return counts;
};

describe('findings browser', () => {
  it('filters by rule, severity, category, file and kind, counting each facet under the other filters', async () => {
    const { h, id } = await scanned(FILES);
    const all = await page(h, id, '?limit=500');
    expect(all.total).toBe(all.findings.length);
    expect(all.total).toBeGreaterThan(4);
    expect(all.facets.rule).toEqual(count(all.findings, (f) => f.ruleId));
    expect(all.facets.kind).toEqual(count(all.findings, (f) => f.kind));
    expect(all.facets.kind['test']).toBeGreaterThan(0);
    // No scan recorded a baseline state here: the facet is absent rather than all "none".
    expect(all.facets.baseline).toBeNull();

    const rule = all.findings.find((f) => f.kind === 'test')!.ruleId;
    const byRule = await page(h, id, `?rule=${rule}&limit=500`);
    expect(byRule.findings.every((f) => f.ruleId === rule)).toBe(true);
    expect(byRule.total).toBe(all.facets.rule[rule]);
    // The rule facet still counts every rule (choosing another is possible); the others count
    // within the rule.
    expect(byRule.facets.rule).toEqual(all.facets.rule);
    expect(byRule.facets.kind).toEqual(count(byRule.findings, (f) => f.kind));

    const tests = await page(h, id, `?rule=${rule}&kind=test`);
    expect(tests.findings.map((f) => f.file)).toEqual(['test/a.test.ts']);
    expect(tests.facets.kind).toEqual(byRule.facets.kind);

    const contains = await page(h, id, '?file=c.t&limit=500');
    expect(new Set(contains.findings.map((f) => f.file))).toEqual(new Set(['src/c.ts']));
    const under = await page(h, id, '?prefix=src/&limit=500');
    expect(under.findings.every((f) => f.file.startsWith('src/'))).toBe(true);
    expect(under.total).toBe(all.total - (all.facets.kind['test'] ?? 0));

    const severity = all.findings[0]!.severity;
    const bySeverity = await page(
      h,
      id,
      `?severity=${severity}&category=${all.findings[0]!.category}`,
    );
    expect(bySeverity.findings.every((f) => f.severity === severity)).toBe(true);
    expect(bySeverity.total).toBeGreaterThan(0);

    // Pages cover the list in order, without overlap.
    const first = await page(h, id, '?limit=2');
    const second = await page(h, id, '?limit=2&offset=2');
    expect([...first.findings, ...second.findings]).toEqual(all.findings.slice(0, 4));
    const byFile = await page(h, id, '?order=file&limit=500');
    const files = byFile.findings.map((f) => f.file);
    expect(files).toEqual([...files].sort((a, b) => a.localeCompare(b)));
  });

  it('filters new findings against a committed baseline, and counts both states', async () => {
    const h = await harness();
    const repo = await makeRepo(SOURCE);
    const made = beast(['baseline', repo, '--quiet', '--db', path.join(h.dir, 'cli.db')]);
    expect(made.code, made.stderr).toBe(0);
    await writeFile(path.join(repo, 'src', 'c.ts'), FILES['src/c.ts']);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'a baseline, and a file with new findings');
    const id = await register(h, repo);
    expect((await runJob(h, '/api/self-improvement/scan', { repo: id })).status).toBe('succeeded');

    const all = await page(h, id, '?limit=500');
    const fresh = all.findings.filter((f) => f.baselineState === 'new');
    expect(fresh.length).toBeGreaterThan(0);
    expect(all.facets.baseline).toEqual(count(all.findings, (f) => f.baselineState ?? 'none'));
    expect(all.facets.baseline?.['unchanged']).toBeGreaterThan(0);
    const onlyNew = await page(h, id, '?baseline=new&limit=500');
    expect(onlyNew.findings).toEqual(fresh);
    expect(new Set(onlyNew.findings.map((f) => f.file))).toEqual(new Set(['src/c.ts']));
  });

  it('refuses bad filters, unknown scans and repositories with a clear error', async () => {
    const { h, id } = await scanned(SOURCE);
    const cases: [string, number, RegExp][] = [
      [`/api/repos/${id}/findings?severity=huge`, 400, /severity/],
      [`/api/repos/${id}/findings?rule=Not%20A%20Rule`, 400, /rule/],
      [`/api/repos/${id}/findings?limit=0`, 400, /limit/],
      [`/api/repos/${id}/findings?bogus=1`, 400, /bogus/],
      [`/api/repos/${id}/findings?scan=999`, 404, /scan 999 is not a scan of this repository/],
      ['/api/repos/999/findings', 404, /repository 999 is not registered/],
      [`/api/repos/${id}/improvements/999`, 404, /run 999 is not a run of repository/],
    ];
    for (const [url, status, message] of cases) {
      const response = await h.call('GET', url);
      expect(response.status, url).toBe(status);
      expect((await json<ErrorBody>(response)).error.message, url).toMatch(message);
    }
    const fresh = await register(h, await makeRepo({ 'a.ts': 'export const a = 1;\n' }));
    const unscanned = await h.call('GET', `/api/repos/${fresh}/findings`);
    expect(unscanned.status).toBe(409);
  });
});

describe('code view', () => {
  it("shows a file at the scan's commit with its findings, and nothing outside the scan's files", async () => {
    const outside = await makeFolder({ 'secret.ts': 'export const secret = "s3cr3t";\n' });
    const { h, repo, id } = await scanned(FILES, async (files) => {
      const dir = await makeRepo(files);
      // A committed symlink to a file outside: the scan skips it, and so does the code view.
      await symlink(path.join(outside, 'secret.ts'), path.join(dir, 'src', 'link.ts'));
      git(dir, 'add', '-A');
      git(dir, 'commit', '-qm', 'a link');
      return dir;
    });
    const view = await fileView(h, id, 'src/c.ts');
    expect(view.content).toBe(FILES['src/c.ts']);
    expect(view.unavailable).toBeNull();
    expect(view.findings.length).toBeGreaterThan(0);
    expect(view.findings.every((f) => f.file === 'src/c.ts')).toBe(true);
    expect(view.file).toMatchObject({ path: 'src/c.ts', kind: 'source' });

    const refused: [string, number, RegExp][] = [
      ['../secret.ts', 400, /path: must be a \/-separated path relative to the repository/],
      ['src/../../secret.ts', 400, /path: /],
      [path.join(outside, 'secret.ts'), 400, /path: /],
      ['src\\c.ts', 400, /path: /],
      ['./src/c.ts', 400, /path: /],
      ['src/link.ts', 404, /src\/link\.ts is not a file of scan \d+/],
      ['src/missing.ts', 404, /not a file of scan/],
      ['.git/config', 404, /not a file of scan/],
    ];
    for (const [file, status, message] of refused) {
      const response = await h.call(
        'GET',
        `/api/repos/${id}/file?path=${encodeURIComponent(file)}`,
      );
      const body = await response.text();
      expect(response.status, file).toBe(status);
      expect(body).not.toContain('s3cr3t');
      expect((JSON.parse(body) as ErrorBody).error.message, file).toMatch(message);
    }
    expect((await h.call('GET', `/api/repos/${id}/file`)).status).toBe(400);
    // The working tree is never read: a file changed since a clean scan still shows as scanned.
    await writeFile(path.join(repo, 'src', 'c.ts'), 'export const changed = 1;\n');
    expect((await fileView(h, id, 'src/c.ts')).content).toBe(FILES['src/c.ts']);
  });

  it('says why a file is not shown: too large, changed since the commit, not committed, no commit', async () => {
    const big = Array.from({ length: 60_000 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const { h, repo, id } = await scanned(
      {
        'beast.config.json': JSON.stringify({ maxFileSizeKb: 4096 }),
        'src/big.ts': `${big}\n`,
        'src/a.ts': SOURCE['src/a.ts'],
        'src/b.ts': SOURCE['src/b.ts'],
      },
      async (files) => {
        const dir = await makeRepo(files);
        // Uncommitted when scanned: one file changed, one new.
        await writeFile(path.join(dir, 'src/b.ts'), 'export const b = (n: any) => n;\n');
        await writeFile(path.join(dir, 'src/new.ts'), 'export var fresh: any = 1;\n');
        return dir;
      },
    );
    const view = async (file: string) => (await fileView(h, id, file)).unavailable;
    expect(await view('src/big.ts')).toMatchObject({
      reason: 'too-large',
      message: expect.stringMatching(
        /src\/big\.ts is \d+ bytes, over the code view's limit of 1048576 bytes/,
      ),
    });
    expect(await view('src/b.ts')).toMatchObject({ reason: 'changed-since-scan' });
    expect(await view('src/new.ts')).toMatchObject({ reason: 'not-in-commit' });
    // Unchanged files of a dirty scan are the same at the commit: they are shown.
    expect((await fileView(h, id, 'src/a.ts')).content).toBe(SOURCE['src/a.ts']);
    expect(await readFile(path.join(repo, 'src/a.ts'), 'utf8')).toBe(SOURCE['src/a.ts']);

    const plain = await scanned(SOURCE, makeFolder);
    const none = await fileView(plain.h, plain.id, 'src/a.ts');
    expect(none.content).toBeNull();
    expect(none.unavailable?.reason).toBe('no-commit');
    expect(none.findings.length).toBeGreaterThan(0);
  });
  it("shows a file at another commit of the repository (a citation's), and refuses what is not one", async () => {
    const { h, repo, id } = await scanned(FILES);
    const scanned0 = git(repo, 'rev-parse', 'HEAD').trim();
    const later = 'export function g(a: number) {\n  return a;\n}\n';
    await writeFile(path.join(repo, 'src', 'c.ts'), later);
    git(repo, 'commit', '-qam', 'c.ts changed after the scan');
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const tree = git(repo, 'rev-parse', 'HEAD^{tree}').trim();
    const at = async (commit: string) => {
      const query = `path=src%2Fc.ts&commit=${commit}`;
      return h.call('GET', `/api/repos/${id}/file?${query}`);
    };

    const response = await at(head);
    expect(response.status, await response.clone().text()).toBe(200);
    const view = await json<FileView & { commit: string; scan: { commit: string } }>(response);
    expect(view).toMatchObject({ commit: head, content: later, unavailable: null, findings: [] });
    expect(view.scan.commit).toBe(scanned0);
    // The scan's own commit, asked for by id: the file as scanned, with its findings.
    const same = await json<FileView & { commit: string }>(await at(scanned0));
    expect(same.content).toBe(FILES['src/c.ts']);
    expect(same.commit).toBe(scanned0);
    expect(same.findings.length).toBeGreaterThan(0);
    expect((await fileView(h, id, 'src/c.ts')).content).toBe(FILES['src/c.ts']);

    const refused: [string, number, RegExp][] = [
      [head.slice(0, 12), 400, /commit: a full commit id/],
      ['HEAD', 400, /commit: a full commit id/],
      [head.toUpperCase(), 400, /commit: a full commit id/],
      ['0'.repeat(40), 404, /0{12} is not a commit of this repository/],
      [tree, 404, /is not a commit of this repository/],
    ];
    for (const [commit, status, message] of refused) {
      const answer = await at(commit);
      expect(answer.status, commit).toBe(status);
      expect((await json<ErrorBody>(answer)).error.message, commit).toMatch(message);
    }
  });
});

describe('run detail', () => {
  it('shows each change with its checks and diff: accepted from its commit, rejected from its edits', async () => {
    const h = await harness();
    const repo = await makeImproveFixture(1);
    const id = await register(h, repo);
    const model = createSaboteurModel(createCodemodsModel(), (task) =>
      task.finding.ruleId === 'prefer-template' && task.finding.location.line === 4
        ? 'behaviour'
        : undefined,
    );
    const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-state-'));
    const report = await runImprove(repo, { models: [model], stateDir, store: h.store }, {});
    expect(report.changes.some((c) => c.status === 'rejected')).toBe(true);
    expect(report.changes.some((c) => c.status === 'accepted')).toBe(true);

    const { runs } = await json<{ runs: { id: number }[] }>(
      await h.call('GET', `/api/repos/${id}/improvements`),
    );
    const response = await h.call('GET', `/api/repos/${id}/improvements/${runs[0]!.id}`);
    expect(response.status).toBe(200);
    const detail = await json<{
      run: { checks: { name: string; ran: boolean; detail: string }[] };
      total: number;
      changes: {
        status: string;
        ruleId: string;
        file: string;
        commit: string | null;
        diff: string | null;
        diffSource: string | null;
        diffNote: string | null;
        checks: { name: string; ok: boolean }[];
      }[];
    }>(response);
    expect(detail.total).toBe(report.changes.length);
    expect(detail.run.checks.map((c) => c.name)).toEqual(report.checks.map((c) => c.name));

    const accepted = detail.changes.filter((c) => c.status === 'accepted');
    expect(accepted.length).toBeGreaterThan(0);
    for (const change of accepted) {
      expect(change.diffSource).toBe('commit');
      const shown = git(repo, 'show', '--format=', '--no-color', change.commit!);
      expect(change.diff).toBe(shown);
      expect(change.checks.length).toBeGreaterThan(0);
    }
    expect(accepted.find((c) => c.ruleId === 'prefer-const')?.diff).toMatch(
      /^\+ {2}const prefix = 'item-0';$/m,
    );

    const rejected = detail.changes.find((c) => c.status === 'rejected')!;
    expect(rejected).toMatchObject({ ruleId: 'prefer-template', diffSource: 'edits' });
    expect(rejected.diff).toMatch(/^\+.*`X/m);
    expect(rejected.checks.some((c) => !c.ok)).toBe(true);
    // The rebuilt diff applies to the code the change was proposed on, which the run recorded.
    const on = report.changes.find((c) => c.status === 'rejected')!.proposedOn!;
    const check = await mkdtemp(path.join(tmpdir(), 'beast-apply-'));
    await mkdir(path.join(check, 'src'));
    await writeFile(path.join(check, 'src/mod0.js'), git(repo, 'show', `${on}:src/mod0.js`));
    await writeFile(path.join(check, 'p.diff'), rejected.diff!);
    execFileSync('git', ['apply', 'p.diff'], { cwd: check });
    expect(await readFile(path.join(check, 'src/mod0.js'), 'utf8')).toMatch(/`X/);

    const paged = await json<{ changes: unknown[] }>(
      await h.call('GET', `/api/repos/${id}/improvements/${runs[0]!.id}?limit=1&offset=1`),
    );
    expect(paged.changes).toEqual([detail.changes[1]]);

    // The code view lists the proposals about its file.
    await runJob(h, '/api/self-improvement/scan', { repo: id });
    const view = await fileView(h, id, 'src/mod0.js');
    expect(view.proposals.map((p) => p.status).sort()).toEqual(
      report.changes.map((c) => c.status).sort(),
    );
  });
});
