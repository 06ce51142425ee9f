import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  cp,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  realpath,
  rm,
  stat,
  symlink,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../src/core/index.js';
import { makeFolder, PROJECT_ROOT } from './helpers/repo.js';

/**
 * The package as npm users get it: `npm pack` from a copy of the sources without dist/ (so the
 * prepack build is what makes it work), then the tarball installed from the npm registry into a
 * fresh project and into a global prefix, and `beast` run from each.
 */

const INSTALL_TIMEOUT = 600_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
let tarball: string;
let entries: string[];
let version: string;
let sample: string;
/** Environment for npm and the installed `beast`: none of the outer npm's or Vitest's settings. */
let env: Record<string, string>;
/** For `npm install` only (npm warns about the unknown setting in every other command). */
let installEnv: Record<string, string>;

function run(
  command: string,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function succeed(
  command: string,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
): Promise<string> {
  const result = await run(command, args, cwd, extraEnv);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

/** Tracked and new (not ignored) files, as a fresh clone plus uncommitted work would have them. */
async function copySources(to: string): Promise<void> {
  const listed = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: PROJECT_ROOT, encoding: 'utf8' },
  );
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = path.join(PROJECT_ROOT, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    await mkdir(path.dirname(path.join(to, file)), { recursive: true });
    await cp(from, path.join(to, file), { verbatimSymlinks: true });
  }
  await symlink(
    await realpath(path.join(PROJECT_ROOT, 'node_modules')),
    path.join(to, 'node_modules'),
  );
}

/**
 * better-sqlite3's own install script downloads a prebuilt binary from GitHub or, where that is
 * out of reach (as on our CI), compiles SQLite for minutes. Our `npm ci` already proved that build;
 * prebuild-install's documented local-prebuilds folder lets the installs here take the binary it
 * produced, when the registry resolves the same version (otherwise they build it again, slowly).
 */
async function localPrebuilds(): Promise<string> {
  const dir = path.join(work, 'prebuilds');
  await mkdir(dir);
  const own = path.join(PROJECT_ROOT, 'node_modules', 'better-sqlite3');
  const { version: bs3 } = JSON.parse(await readFile(path.join(own, 'package.json'), 'utf8')) as {
    version: string;
  };
  const name = `better-sqlite3-v${bs3}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await succeed('tar', ['-czf', path.join(dir, name), 'build/Release/better_sqlite3.node'], own);
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'beast-install-'));
  env = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !/^(npm_|VITEST|NODE_ENV$|TEST$)/.test(entry[0]),
    ),
  );
  env.NO_COLOR = '1';
  installEnv = { npm_config_better_sqlite3_local_prebuilds: await localPrebuilds() };
  const sources = path.join(work, 'sources');
  await copySources(sources);
  expect(existsSync(path.join(sources, 'dist'))).toBe(false);
  await succeed('npm', ['pack', '--pack-destination', work, '--loglevel=error'], sources);
  const packed = (await readdir(work)).filter((name) => name.endsWith('.tgz'));
  expect(packed).toHaveLength(1);
  tarball = path.join(work, packed[0]!);
  entries = (await succeed('tar', ['-tzf', tarball], work)).split('\n').filter(Boolean);
  version = (
    JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  sample = await makeFolder({
    'src/add.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
    'src/main.js': "import { add } from './add.js';\nexport const three = add(1, 2);\n",
  });
}, INSTALL_TIMEOUT);

// Two installs of the package and its dependencies: about 200 MB.
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  if (sample) await rm(sample, { recursive: true, force: true });
});

/** Runs `beast --version` and a JSON scan of the sample with `command`, and checks both. */
async function expectWorkingBeast(
  command: string,
  prefixArgs: string[],
  cwd: string,
): Promise<void> {
  expect((await succeed(command, [...prefixArgs, '--version'], cwd)).trim()).toBe(version);
  const db = path.join(await mkdtemp(path.join(work, 'db-')), 'beast.db');
  const scan = await run(
    command,
    [...prefixArgs, 'scan', sample, '--format', 'json', '--quiet', '--db', db],
    cwd,
  );
  expect(scan.stderr).toBe('');
  expect(scan.code).toBe(0);
  const report = JSON.parse(scan.stdout) as ScanReport;
  expect(report.summary.files).toBe(2);
  expect(report.score.grade).toBe('A');
  // The scan was recorded: better-sqlite3's native module loaded in the installed copy.
  expect((await stat(db)).size).toBeGreaterThan(0);
}

describe('npm pack', () => {
  it('ships only the built package: bin, dist, schema, README and package.json', async () => {
    const allowed = /^package\/(bin\/|dist\/|schema\/|package\.json$|README\.md$|LICENSE$)/;
    expect(entries.filter((entry) => !allowed.test(entry))).toEqual([]);
    expect(
      entries.filter((entry) => /\/(src|test|tests|bench|fixtures|examples)\//.test(entry)),
    ).toEqual([]);
    const sourcesAndTests = /\.map$|(?<!\.d)\.tsx?$|\.test\.|\/testing\.js$/;
    expect(entries.filter((entry) => sourcesAndTests.test(entry))).toEqual([]);
    for (const needed of [
      'package/bin/beast.js',
      'package/dist/cli/main.js',
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/analysis/worker.js',
      'package/dist/web/index.html',
      'package/schema/beast.config.schema.json',
    ]) {
      expect(entries).toContain(needed);
    }
    // 0.5 MB today; a doubling means something that should not ship does.
    expect((await stat(tarball)).size).toBeLessThan(1_000_000);
  });
});

describe('installing the tarball', () => {
  it(
    'as a dev dependency: npx beast runs and scans',
    async () => {
      const project = path.join(work, 'project');
      await mkdir(project);
      await succeed('npm', ['init', '-y'], project);
      await succeed(
        'npm',
        ['install', '--save-dev', '--no-audit', '--no-fund', '--loglevel=error', tarball],
        project,
        installEnv,
      );
      const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as {
        devDependencies?: Record<string, string>;
      };
      expect(Object.keys(manifest.devDependencies ?? {})).toEqual(['beast-mode']);
      await expectWorkingBeast('npx', ['--no-install', 'beast'], project);
    },
    INSTALL_TIMEOUT,
  );

  it(
    'once with npx, without installing: the package runs its only bin',
    async () => {
      // As `npx beast-mode`: a package spec (here a relative file), not a command's path.
      const spec = `./${path.basename(tarball)}`;
      const printed = await succeed('npx', ['--yes', spec, '--version'], work, installEnv);
      expect(printed.trim()).toBe(version);
    },
    INSTALL_TIMEOUT,
  );

  it(
    'globally into a prefix: its bin/beast runs and scans',
    async () => {
      const prefix = path.join(work, 'global');
      await succeed(
        'npm',
        [
          'install',
          '--global',
          '--prefix',
          prefix,
          '--allow-scripts=better-sqlite3',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          tarball,
        ],
        work,
        installEnv,
      );
      await expectWorkingBeast(path.join(prefix, 'bin', 'beast'), [], work);
    },
    INSTALL_TIMEOUT,
  );
});
