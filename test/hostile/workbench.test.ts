import { createHash } from 'node:crypto';
import { readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeFolder, makeRepo } from '../helpers/repo.js';
import { client, startServe, stopServers, type Server } from '../helpers/serve.js';

// The workbench's file and run endpoints take paths and ids from the request: what a hostile
// request, or a hostile repository, gets from them over real HTTP from the built `beast serve`.

const TOKEN = 'workbench-hostile-token';
const SECRET = 'export const secret = "s3cr3t-outside";\n';
const temps: string[] = [];
let server: Server;
let call: ReturnType<typeof client>;
let repo = '';
let id = 0;
let before = '';

/** Every file of the repository (`.git` included) with its content hash. */
async function fingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (folder: string): Promise<void> => {
    for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) hash.update(`${full}\0`).update(await readFile(full));
      else hash.update(`${full}\0link`);
    }
  };
  await walk(dir);
  return hash.digest('hex');
}

async function get(url: string): Promise<{ status: number; text: string; body: unknown }> {
  const response = await call('GET', url);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as unknown };
}

const file = (p: string) => `/api/repos/${id}/file?path=${p}`;

beforeAll(async () => {
  const outside = await makeFolder({ 'secret.ts': SECRET });
  temps.push(outside);
  repo = await makeRepo({
    'src/a.ts': 'export const a = 1;\n',
    'src/[a].ts': 'export var bracket: any = 2;\n',
    '--help.ts': 'export var dashes: any = 3;\n',
  });
  temps.push(repo);
  await symlink(path.join(outside, 'secret.ts'), path.join(repo, 'src', 'link.ts'));
  await symlink(path.join(outside, 'secret.ts'), path.join(repo, 'src', 'swapped.ts'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'links to a file outside');
  // In the working tree the second link is now a plain file, so the (dirty) scan lists it.
  await rm(path.join(repo, 'src', 'swapped.ts'));
  await writeFile(path.join(repo, 'src', 'swapped.ts'), 'export var swapped: any = 4;\n');

  const home = await makeFolder({});
  temps.push(home);
  server = await startServe(home, { BEAST_API_TOKEN: TOKEN });
  call = client(server, TOKEN);
  const registered = await call('POST', '/api/repos', { path: repo });
  id = ((await registered.json()) as { repo: { id: number } }).repo.id;
  const queued = await call('POST', '/api/self-improvement/scan', { repo: id });
  const { job } = (await queued.json()) as { job: { id: number } };
  await (await call('GET', `/api/jobs/${job.id}/events`)).text();
  before = await fingerprint(repo);
}, 120_000);

afterAll(async () => {
  stopServers();
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('workbench endpoints against hostile input', () => {
  const refusedPaths: [string, string][] = [
    ['a parent-folder path', '..%2F..%2Fetc%2Fpasswd'],
    ['an absolute path', encodeURIComponent('/etc/passwd')],
    ['a path that climbs out through a folder', 'src%2F..%2F..%2Fsecret.ts'],
    ['a NUL byte', 'src%2Fa.ts%00.png'],
    ['a backslash path', 'src%5C..%5C..%5Csecret.ts'],
    ['a path of 5000 characters', 'a'.repeat(5000)],
  ];
  for (const [what, p] of refusedPaths) {
    it(`refuses ${what} with a one-line 400`, async () => {
      const { status, text, body } = await get(file(p));
      expect(status).toBe(400);
      expect((body as { error: { code: string } }).error.code).toBe('validation');
      expect((body as { error: { message: string } }).error.message).toMatch(/^path: /);
      expect((body as { error: { message: string } }).error.message).not.toMatch(/\n/);
      expect(text).not.toContain('root:');
    });
  }

  it('answers 404 for a committed symlink to a file outside, never its target', async () => {
    const { status, text } = await get(file('src%2Flink.ts'));
    expect(status).toBe(404);
    expect(text).toMatch(/src\/link\.ts is not a file of scan \d+/);
    expect(text).not.toContain('s3cr3t');
  });

  it('does not follow a file that is a symlink at the scanned commit', async () => {
    const { status, text, body } = await get(file('src%2Fswapped.ts'));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      content: null,
      unavailable: {
        reason: 'symlink',
        message: 'src/swapped.ts is a symbolic link in the commit; links are not followed',
      },
    });
    expect(text).not.toContain('s3cr3t');
  });

  it('reads a file named like a git option, and glob characters literally', async () => {
    const dashes = await get(file(encodeURIComponent('--help.ts')));
    expect(dashes.status).toBe(200);
    expect(dashes.body).toMatchObject({ content: 'export var dashes: any = 3;\n' });
    const bracket = await get(file(encodeURIComponent('src/[a].ts')));
    expect(bracket.status).toBe(200);
    expect(bracket.body).toMatchObject({ content: 'export var bracket: any = 2;\n' });
  });

  it('refuses run ids that are not numbers or not of the repository', async () => {
    const cases: [string, number][] = [
      [`/api/repos/${id}/improvements/-1`, 400],
      [`/api/repos/${id}/improvements/abc`, 400],
      [`/api/repos/${id}/improvements/1`, 404],
      [`/api/repos/${id}/improvements/1?limit=100000`, 400],
      [`/api/repos/${id + 1}/improvements/1`, 404],
    ];
    for (const [url, status] of cases) {
      const response = await get(url);
      expect(response.status, url).toBe(status);
      expect((response.body as { error: { message: string } }).error.message).not.toMatch(/\n/);
    }
  });

  it('leaves the repository exactly as it was', async () => {
    expect(await fingerprint(repo)).toBe(before);
  });
});
