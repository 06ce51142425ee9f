import { mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCitations, parseCitations } from '../../src/analysis/codebase/citations.js';
import { commitReader } from '../../src/analysis/codebase/commit-files.js';
import { beast, git, makeRepo } from '../helpers/repo.js';

/*
 * The codebase index, search and chat read a repository's code and cite it: a repository (and a
 * model's answer) is hostile input. Nothing outside the indexed commit is read or cited, and odd
 * input is one line, never a crash.
 */

const cleanups: string[] = [];
afterEach(async () => {
  for (const dir of cleanups.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function repoWith(files: Record<string, string>) {
  const repo = await makeRepo(files);
  const home = await mkdtemp(path.join(tmpdir(), 'beast-hostile-index-'));
  cleanups.push(repo, home);
  const run = (...args: string[]) => beast(args, { env: { BEAST_HOME: home } });
  return { repo, home, run };
}

const MATH =
  '/** Doubles a number. */\nexport function double(n: number): number {\n  return n * 2;\n}\n';

describe('the codebase index and chat with hostile input', () => {
  it('never indexes a committed symlink, even one to code outside the repository', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'beast-outside-'));
    cleanups.push(outside);
    await writeFile(path.join(outside, 'secret.ts'), 'export function exfiltrateSecrets() {}\n');
    const { repo, run } = await repoWith({ 'src/math.ts': MATH });
    await symlink(path.join(outside, 'secret.ts'), path.join(repo, 'src/secret.ts'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'a link out');
    const index = JSON.parse(run('index', repo, '--json').stdout) as { files: number };
    expect(index.files).toBe(1);
    const search = run('search', 'exfiltrate secrets', repo, '--json');
    expect(search.code).toBe(0);
    expect(search.stdout).not.toContain('exfiltrate');
  });

  it('indexes what is committed, not an uncommitted edit of the working tree', async () => {
    const { repo, run } = await repoWith({ 'src/math.ts': MATH });
    await writeFile(path.join(repo, 'src/math.ts'), 'export function planted() {}\n');
    expect(run('search', 'planted', repo, '--json').stdout).not.toContain('"planted"');
    expect(run('search', 'doubles', repo, '--json').stdout).toContain('"double"');
  });

  it('leaves out a file that does not parse or is too large, and indexes the rest', async () => {
    const { repo, run } = await repoWith({
      'src/math.ts': MATH,
      'src/broken.ts': 'export function (((\n',
      'src/huge.js': `export const blob = "${'x'.repeat(3 * 1024 * 1024)}";\n`,
    });
    const result = run('index', repo, '--json');
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout) as { symbols: number; skipped: { file: string }[] };
    expect(stats.symbols).toBe(1);
    expect(stats.skipped.map((s) => s.file).sort()).toEqual(['src/broken.ts', 'src/huge.js']);
  });

  it('treats FTS5 syntax in a query as words, never as a query of its own', async () => {
    const { repo, run } = await repoWith({ 'src/math.ts': MATH });
    for (const query of ['double" OR NEAR(x', 'doubles*) AND {', '"', 'NOT double', '^double:']) {
      const result = run('search', query, repo, '--json');
      expect(result.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
      expect([0, 2]).toContain(result.code);
      expect(result.stderr).not.toMatch(/fts5|SqliteError|at .*\.js/i);
    }
  });

  it('stores a key committed in the code redacted, with the lines after it where they were', async () => {
    const planted = 'sk-proj-PLANTEDplantedPLANTED0123456789abcdef';
    const { repo, home, run } = await repoWith({
      'src/keys.js': [
        'const PEM = `-----BEGIN PRIVATE KEY-----',
        'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
        '-----END PRIVATE KEY-----`;',
        `export function token() {`,
        `  return '${planted}' + PEM;`,
        '}',
        '',
      ].join('\n'),
    });
    const found = JSON.parse(run('search', 'token', repo, '--json').stdout) as {
      hits: { location: string; snippet: string }[];
    };
    expect(found.hits[0]?.location).toBe('src/keys.js:4-6');
    expect(found.hits[0]?.snippet).toContain('[REDACTED:openai-key]');
    expect(run('knowledge', repo).code).toBe(0);
    const names = (await readdir(home)).filter((n) => n.startsWith('beast.db'));
    const bytes = Buffer.concat(await Promise.all(names.map((n) => readFile(path.join(home, n)))));
    for (const secret of [planted, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'])
      expect(bytes.includes(secret), secret).toBe(false);
  });

  it('fails citations of paths outside the commit instead of reading them', async () => {
    const { repo } = await repoWith({ 'src/math.ts': MATH });
    const commit = git(repo, 'rev-parse', 'HEAD').trim();
    const answer = [
      'See [../../../../etc/passwd:1-1], [/etc/passwd:1-1], [.git/config:1-2],',
      '[src/../../outside.ts:1-1] and [:(glob)**/*.ts:1-1]; the real one is [src/math.ts:2-4].',
    ].join('\n');
    const checked = await checkCitations(parseCitations(answer), commitReader(repo, commit));
    // An absolute path and git pathspec magic are not citations at all: never read, never shown as backed.
    expect(checked.map((c) => [c.file, c.ok])).toEqual([
      ['../../../../etc/passwd', false],
      ['.git/config', false],
      ['src/../../outside.ts', false],
      ['src/math.ts', true],
    ]);
  });
});
