// npm run eval:testgen [-- --only name[,name]] [--dir DIR] [--config FILE] [--timeout S] [--prepare] [--measure-only] [--json] [--write]
// Offline test generation measured the TestPilot way, on real npm packages (bench/testgen-packages.json,
// pinned versions): each package is packed from the registry into --dir (default /work/evalpkgs,
// outside this repository; its code is never committed here), extracted, stripped of its own tests,
// given its runtime dependencies (`npm install --omit=dev --ignore-scripts`) and node:test as its
// runner (`"test": "node --test"`, which needs nothing installed), and committed into a fresh git
// repository. BEAST MODE's offline engine alone (`builtin:testgen`, no LLM) then writes a suite for
// the package's entry files through the real pipeline (`generateRepositoryTests`, the test gate
// included), and the kept suite alone is measured: statement and branch coverage of the package's
// code (every package file requiring its main loads, plus the entry files; never node_modules),
// the funnel (generated, built, passed, stable, useful, kept) and the time. Medians are printed
// against Nessie's and TestPilot's published figures. --prepare only packs and prepares the copies. --json prints the results as JSON on stdout
// (progress goes to stderr either way); --write records the section in docs/benchmarks.md.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import libCoverage from 'istanbul-lib-coverage';
import v8ToIstanbul from 'v8-to-istanbul';
import {
  detectTestRunner,
  detectTestStyle,
  measureCoverage,
  ratio,
  runProcess,
  runTests,
  testEnvironment,
  testPathFor,
  type CoverageCounts,
  type TestRunnerInfo,
} from '../src/fixes/index.js';
import { emitTestFile, exploreModule } from '../src/models/builtin/testgen/index.js';
import {
  FUNNEL_STAGES,
  gateTests,
  generateRepositoryTests,
  type CandidateTest,
  type Funnel,
  type TestVerdict,
} from '../src/pipeline/testgen/index.js';
import { recordSection } from './record.js';
import { flagValue } from './repos.js';

const run = promisify(execFile);

/** One package of the benchmark. */
export interface PackageSpec {
  name: string;
  version: string;
  /** Files or folders, package-relative, the generator is asked to test. */
  entry: string[];
  why: string;
  /** A local folder to copy instead of packing from the registry (the smoke test's fixture). */
  path?: string;
}

export interface DroppedSpec {
  name: string;
  version: string;
  why: string;
}

export interface BenchConfig {
  dir: string;
  packages: PackageSpec[];
  dropped: DroppedSpec[];
}

/** Pure: the benchmark's config as written, checked; errors name the entry at fault. */
export function parseConfig(json: unknown): { config: BenchConfig; errors: string[] } {
  const errors: string[] = [];
  const record = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const top = record(json);
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const packages: PackageSpec[] = [];
  const list = Array.isArray(top.packages) ? (top.packages as unknown[]) : [];
  if (!Array.isArray(top.packages)) errors.push('`packages` must be a list');
  list.forEach((raw, i) => {
    const p = record(raw);
    const name = text(p.name);
    const where = name || `packages[${i}]`;
    if (!name) errors.push(`${where}: \`name\` is missing`);
    if (!text(p.version)) errors.push(`${where}: \`version\` must pin a version`);
    const entry = Array.isArray(p.entry) ? p.entry.filter((e) => typeof e === 'string') : [];
    if (entry.length === 0) errors.push(`${where}: \`entry\` must list at least one file`);
    if (entry.some((e) => path.isAbsolute(e) || e.split('/').includes('..')))
      errors.push(`${where}: \`entry\` paths must stay inside the package`);
    packages.push({
      name,
      version: text(p.version),
      entry,
      why: text(p.why),
      ...(typeof p.path === 'string' ? { path: p.path } : {}),
    });
  });
  const names = packages.map((p) => p.name);
  for (const dup of new Set(names.filter((n, i) => names.indexOf(n) !== i)))
    errors.push(`${dup}: listed twice`);
  const dropped = (Array.isArray(top.dropped) ? (top.dropped as unknown[]) : []).map((raw) => {
    const d = record(raw);
    return { name: text(d.name), version: text(d.version), why: text(d.why) };
  });
  return { config: { dir: text(top.dir) || '/work/evalpkgs', packages, dropped }, errors };
}

const GIT_IDENTITY = [
  '-c',
  'user.name=eval-testgen',
  '-c',
  'user.email=eval-testgen@localhost',
  '-c',
  'commit.gpgsign=false',
];

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', [...GIT_IDENTITY, ...args], { cwd, maxBuffer: 1 << 26 });
  return stdout;
}

const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'testing']);
const TEST_FILE =
  /(^|[-_.])(test|tests|spec)[-_.][^/]*$|^(test|spec)\.[cm]?[jt]sx?$|^(jest|vitest|karma|ava)\.config\.|^\.mocharc|^\.nycrc|^\.c8rc/;

/** Whether a package file is one of its tests (or a test runner's config), by name. */
export function isTestPath(file: string): boolean {
  const parts = file.split('/');
  if (parts.slice(0, -1).some((p) => TEST_DIRS.has(p))) return true;
  return TEST_FILE.test(parts.at(-1) ?? '');
}

/** The test folder a file is in (`test`, `a/__tests__`), or undefined. */
function testFolderOf(file: string): string | undefined {
  const parts = file.split('/');
  const at = parts.slice(0, -1).findIndex((p) => TEST_DIRS.has(p));
  return at < 0 ? undefined : parts.slice(0, at + 1).join('/');
}

async function walk(root: string, dir = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.name === 'node_modules' || e.name === '.git') continue;
    if (e.isDirectory()) out.push(...(await walk(root, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

export interface Prepared {
  spec: PackageSpec;
  root: string;
  /** The spec's entries in the copy (a build folder renamed, see `BUILD_FOLDERS`). */
  entry: string[];
  /** Build folders renamed in the copy: `dist` -> `pkg-dist`. */
  renamed: Record<string, string>;
  /** Test files deleted from the copy. */
  removed: string[];
  /** Runtime dependencies installed, by name. */
  dependencies: string[];
  /** Files whose coverage counts, package-relative, sorted. */
  scope: string[];
  /** The commit the generator starts from. */
  base: string;
  ms: number;
}

async function packTarball(spec: PackageSpec, dir: string): Promise<string> {
  const tarballs = path.join(dir, 'tarballs');
  await mkdir(tarballs, { recursive: true });
  const file = path.join(
    tarballs,
    `${spec.name.replace(/^@/, '').replace('/', '-')}-${spec.version}.tgz`,
  );
  if (existsSync(file)) return file;
  const { stdout } = await run(
    'npm',
    ['pack', `${spec.name}@${spec.version}`, '--pack-destination', tarballs, '--json', '--silent'],
    { cwd: tarballs, maxBuffer: 1 << 26 },
  );
  const packed = (JSON.parse(stdout) as { filename: string }[])[0]?.filename;
  if (packed === undefined) throw new Error(`npm pack ${spec.name}@${spec.version} wrote nothing`);
  return path.join(tarballs, packed.replace(/^@/, '').replace('/', '-'));
}

const JS_FILE = /\.[cm]?js$/;

/**
 * A test that loads nothing of the package, written by the harness: \`beast tests\` refuses a
 * baseline that executes no test, and a package stripped of its tests has none. It adds no coverage
 * and is left out of the measured suite.
 */
export const PLACEHOLDER = 'test/eval-placeholder.test.js';

function placeholderTest(esm: boolean): string {
  const imports = esm
    ? "import test from 'node:test';\nimport assert from 'node:assert';\n"
    : "const test = require('node:test');\nconst assert = require('node:assert');\n";
  return `${imports}\n// Written by eval:testgen: loads nothing of the package, so it covers none of it.\ntest('the suite runs', () => {\n  assert.strictEqual(1 + 1, 2);\n});\n`;
}

/** The package's code files under an entry (a file or a folder). */
async function expandEntry(root: string, entry: string): Promise<string[]> {
  const full = path.join(root, entry);
  const info = await stat(full).catch(() => undefined);
  if (info === undefined) throw new Error(`entry ${entry} does not exist in the package`);
  if (info.isFile()) return [entry];
  return (await walk(root, entry)).filter((f) => JS_FILE.test(f) && !isTestPath(f));
}

/**
 * Build-output folders, which `beast tests` never targets (it tests sources, and the analysis
 * skips dist/, build/ and out/ as generated). A tarball of a package that ships only its build is
 * all we have of it, so the copy renames such a folder holding an entry (`dist` -> `pkg-dist`) and
 * rewrites package.json's paths: what runs is unchanged.
 */
export const BUILD_FOLDERS = new Set(['dist', 'build', 'out']);

/** Pure: a package-relative path with the renamed top folder. */
export function renamePath(file: string, renamed: Readonly<Record<string, string>>): string {
  const m = /^(\.\/)?([^/]+)(\/.*)?$/.exec(file);
  const to = m?.[2] === undefined ? undefined : renamed[m[2]];
  return to === undefined || m === null ? file : `${m[1] ?? ''}${to}${m[3] ?? ''}`;
}

/** Pure: the build folders holding an entry, and their names in the copy. */
export function renamedFolders(entry: readonly string[]): Record<string, string> {
  const renamed: Record<string, string> = {};
  for (const e of entry) {
    const top = e.replace(/^\.\//, '').split('/')[0] ?? '';
    if (BUILD_FOLDERS.has(top) && e.includes('/')) renamed[top] = `pkg-${top}`;
  }
  return renamed;
}

/** package.json's fields that hold paths into the package. */
const PATH_FIELDS = new Set([
  'main',
  'module',
  'browser',
  'types',
  'typings',
  'exports',
  'imports',
  'bin',
  'files',
  'unpkg',
  'jsdelivr',
]);

function renameDeep(value: unknown, renamed: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return renamePath(value, renamed);
  if (Array.isArray(value)) return value.map((v) => renameDeep(v, renamed));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameDeep(v, renamed)]));
  return value;
}

/** Pure: package.json with the paths of its path fields (main, exports...) in a renamed folder rewritten. */
export function renameInPackageJson(
  pkg: Record<string, unknown>,
  renamed: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(pkg).map(([k, v]) => [k, PATH_FIELDS.has(k) ? renameDeep(v, renamed) : v]),
  );
}

const SOURCE_MAP_COMMENT = /^\/\/# sourceMappingURL=.*$/gm;

/**
 * Removes source maps, and the comments that point to them, from the package's code: coverage is
 * of the JavaScript that runs, not mapped back to sources the tarball does not ship.
 */
async function dropSourceMaps(root: string, files: readonly string[]): Promise<void> {
  for (const f of files) {
    if (f.endsWith('.map')) await rm(path.join(root, f), { force: true });
    else if (JS_FILE.test(f)) {
      const text = await readFile(path.join(root, f), 'utf8');
      if (text.includes('//# sourceMappingURL='))
        await writeFile(path.join(root, f), text.replace(SOURCE_MAP_COMMENT, ''));
    }
  }
}

/** Package files (not node_modules) that requiring the package's main loads. */
async function loadedByMain(root: string): Promise<string[]> {
  const script = [
    'const root = process.argv[1];',
    'try { require(root); } catch (error) { process.stderr.write(String(error && error.message)); }',
    'process.stdout.write(JSON.stringify(Object.keys(require.cache)));',
    'process.exit(0);',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['-e', script, root], {
    cwd: os.tmpdir(),
    env: testEnvironment(),
    maxBuffer: 1 << 26,
    timeout: 60_000,
  });
  return (JSON.parse(stdout) as string[])
    .filter((f) => f.startsWith(root + path.sep))
    .map((f) => path.relative(root, f).split(path.sep).join('/'))
    .filter((f) => !f.split('/').includes('node_modules') && JS_FILE.test(f));
}

/** The files whose coverage counts: what the main loads, plus the entries' code files. */
export async function sourceScope(root: string, entry: readonly string[]): Promise<string[]> {
  const files = new Set(await loadedByMain(root));
  for (const e of entry) for (const f of await expandEntry(root, e)) files.add(f);
  return [...files].filter((f) => !isTestPath(f)).sort();
}

/**
 * Copies the package into `<dir>/work/<name>@<version>` (packed from the registry, or the spec's
 * local folder), deletes its tests, installs its runtime dependencies, gives it node:test as its
 * runner, and commits it into a fresh repository.
 */
export async function preparePackage(spec: PackageSpec, dir: string): Promise<Prepared> {
  const started = performance.now();
  const root = path.join(dir, 'work', `${spec.name.replace('/', '+')}@${spec.version}`);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  if (spec.path !== undefined) {
    await cp(spec.path, root, {
      recursive: true,
      filter: (src) =>
        !/(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(path.relative(spec.path!, src)),
    });
  } else {
    const tarball = await packTarball(spec, dir);
    await run('tar', ['-xzf', tarball, '-C', root, '--strip-components', '1']);
  }
  const removed = (await walk(root)).filter(isTestPath);
  for (const f of removed) await rm(path.join(root, f), { force: true });
  // Test folders go whole (their fixtures that are not code too).
  for (const folder of new Set(removed.map(testFolderOf)))
    if (folder !== undefined) await rm(path.join(root, folder), { recursive: true, force: true });
  const renamed = renamedFolders(spec.entry);
  for (const [from, to] of Object.entries(renamed))
    await rename(path.join(root, from), path.join(root, to));
  const entry = spec.entry.map((e) => renamePath(e, renamed));
  await dropSourceMaps(root, await walk(root));
  const pkgFile = path.join(root, 'package.json');
  const pkg = renameInPackageJson(
    JSON.parse(await readFile(pkgFile, 'utf8')) as Record<string, unknown>,
    renamed,
  );
  delete pkg.devDependencies;
  delete pkg.jest;
  delete pkg.ava;
  delete pkg.mocha;
  delete pkg.c8;
  delete pkg.nyc;
  pkg.scripts = { test: 'node --test' };
  await writeFile(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
  await writeFile(path.join(root, '.gitignore'), 'node_modules/\ncoverage/\n.nyc_output/\n');
  await mkdir(path.join(root, path.dirname(PLACEHOLDER)), { recursive: true });
  await writeFile(path.join(root, PLACEHOLDER), placeholderTest(pkg.type === 'module'));
  const dependencies = Object.keys((pkg.dependencies as Record<string, string> | undefined) ?? {});
  if (dependencies.length > 0)
    await run(
      'npm',
      [
        'install',
        '--omit=dev',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        '--loglevel=error',
      ],
      { cwd: root, maxBuffer: 1 << 26 },
    );
  await git(root, ['init', '-q', '-b', 'main']);
  await git(root, ['add', '-A']);
  await git(root, ['commit', '-q', '-m', `${spec.name}@${spec.version}, its tests removed`]);
  const base = (await git(root, ['rev-parse', 'HEAD'])).trim();
  const scope = await sourceScope(root, entry);
  return {
    spec,
    root,
    entry,
    renamed,
    removed,
    dependencies,
    scope,
    base,
    ms: performance.now() - started,
  };
}

/** What the generator did for one package. */
export interface Generated {
  engine: 'pipeline' | 'parts';
  funnel: Funnel;
  verdicts: TestVerdict[];
  /** Test files of the kept suite, package-relative. */
  testFiles: string[];
  notes: string[];
  ms: number;
}

const BRANCH = 'eval/testgen';

function isNotBuilt(error: unknown): boolean {
  return error instanceof Error && /not built yet/.test(error.message);
}

function emptyFunnel(): Funnel {
  return Object.fromEntries(FUNNEL_STAGES.map((s) => [s, 0])) as Funnel;
}

async function addedFiles(root: string, base: string, head: string): Promise<string[]> {
  const out = await git(root, ['diff', '--name-only', '--diff-filter=A', base, head]);
  return out.split('\n').filter((f) => f !== '');
}

/** Targets the engine proposed no test for (it found nothing to call, or the module did not load). */
function unproposed(report: { files: { file: string }[]; verdicts: TestVerdict[] }): string[] {
  const none = report.files
    .map((f) => f.file)
    .filter((f) => !report.verdicts.some((v) => v.target === f));
  return none.length > 0 ? [`no test proposed for ${none.join(', ')}`] : [];
}

/** The real pipeline: `beast tests` with the offline engine only, delivered to a branch. */
async function generateWithPipeline(
  prepared: Prepared,
  dir: string,
  timeoutMs: number,
  onProgress: (line: string) => void,
): Promise<Generated> {
  const started = performance.now();
  const report = await generateRepositoryTests(
    prepared.root,
    {
      paths: prepared.entry,
      target: 1,
      models: ['builtin:testgen'],
      maxFiles: 1000,
      attempts: 1,
      dryRun: false,
      branch: BRANCH,
      timeoutMs,
    },
    { stateDir: path.join(dir, 'state'), onProgress },
  );
  const ms = performance.now() - started;
  // Not run (a red or unmeasurable baseline, no runner) is a failure, not a suite that kept nothing.
  if (report.status === 'not-run')
    throw new Error(`not run: ${report.reason ?? 'no reason given'}`);
  let testFiles: string[] = [];
  if (report.status === 'delivered') {
    await git(prepared.root, ['checkout', '-q', BRANCH]);
    testFiles = await addedFiles(prepared.root, prepared.base, 'HEAD');
  }
  onProgress(`pipeline: ${report.status}, ${testFiles.length} test file(s) kept`);
  return {
    engine: 'pipeline',
    funnel: report.funnel,
    verdicts: report.verdicts,
    testFiles,
    notes: [...unproposed(report), ...report.skipped, ...report.warnings],
    ms,
  };
}

/**
 * The pipeline's parts called directly (explore, emit, gate), for as long as the pipeline itself
 * is not built: the same gate, the kept files committed on the same branch.
 */
async function generateWithParts(
  prepared: Prepared,
  timeoutMs: number,
  onProgress: (line: string) => void,
): Promise<Generated> {
  const started = performance.now();
  const { root } = prepared;
  const detected = await detectTestRunner(root);
  if ('reason' in detected) throw new Error(`no test runner: ${detected.reason}`);
  const info = detected.runner;
  const style = await detectTestStyle(root, info);
  if (style === undefined) throw new Error(`no test style for ${info.describe}`);
  const targets = new Set<string>();
  for (const e of prepared.entry) for (const f of await expandEntry(root, e)) targets.add(f);
  const candidates: CandidateTest[] = [];
  const notes: string[] = [];
  for (const file of targets) {
    const exploration = await exploreModule({ root, file, timeoutMs: 60_000, seed: 1 });
    for (const s of exploration.skipped)
      notes.push(`${file}: ${s.exportName} skipped: ${s.reason}`);
    const testFile = testPathFor(style, file);
    const emitted = emitTestFile(style, exploration, testFile);
    onProgress(
      `${file}: ${exploration.calls.length} call(s) kept of ${exploration.tried}, ${exploration.coveredKeys}/${exploration.totalKeys} keys, ${emitted.cases} case(s)`,
    );
    if (emitted.cases > 0)
      candidates.push({
        file: emitted.file,
        content: emitted.content,
        target: file,
        model: 'builtin:testgen',
        attempt: 1,
      });
  }
  const baselineRun = await runTests(info, { cwd: root, timeoutMs });
  const baselineCoverage = await measureCoverage(info, {
    cwd: root,
    timeoutMs,
    include: [...targets],
  });
  const gated = await gateTests(
    { root, info, style, baselineRun, baselineCoverage, timeoutMs, typecheck: false, onProgress },
    candidates,
  );
  notes.push(...gated.skipped);
  const kept = gated.verdicts.filter((v) => v.kept && v.content !== undefined);
  await git(root, ['checkout', '-q', '-B', BRANCH]);
  for (const v of kept) {
    await mkdir(path.dirname(path.join(root, v.file)), { recursive: true });
    await writeFile(path.join(root, v.file), v.content!);
  }
  if (kept.length > 0) {
    await git(root, ['add', '--', ...kept.map((v) => v.file)]);
    await git(root, ['commit', '-q', '-m', 'tests generated by builtin:testgen']);
  }
  return {
    engine: 'parts',
    funnel: gated.funnel,
    verdicts: gated.verdicts,
    testFiles: kept.map((v) => v.file),
    notes,
    ms: performance.now() - started,
  };
}

/** Generates with the pipeline, or with its parts while the pipeline is not built yet. */
export async function generateSuite(
  prepared: Prepared,
  dir: string,
  timeoutMs: number,
  onProgress: (line: string) => void = () => {},
): Promise<Generated> {
  try {
    return await generateWithPipeline(prepared, dir, timeoutMs, onProgress);
  } catch (error) {
    if (!isNotBuilt(error)) throw error;
    onProgress(`pipeline ${(error as Error).message}: calling its parts directly`);
    return generateWithParts(prepared, timeoutMs, onProgress);
  }
}

/** Statement, branch and function counts over the scope. */
export interface ScopeCounts {
  statements: CoverageCounts;
  branches: CoverageCounts;
  functions: CoverageCounts;
}

/** Coverage of the package's scope by its current suite (the kept generated tests alone). */
export interface SuiteCoverage {
  /**
   * The same suite measured as nyc measures (Istanbul's instrumentation: real statements and
   * branch arms), as TestPilot's and Nessie's figures were; undefined when it could not be.
   */
  istanbul: ScopeCounts | undefined;
  /** Why the Istanbul measurement is missing. */
  istanbulError?: string;
  statements: CoverageCounts;
  branches: CoverageCounts;
  functions: CoverageCounts;
  /** Per scope file: statement and branch fraction. */
  files: { file: string; statements: number; branches: number }[];
  how: string;
  /** Tests of the suite that passed and failed in the measuring run. */
  passed: number;
  failed: number;
  ms: number;
}

function sum(counts: CoverageCounts[]): CoverageCounts {
  return counts.reduce((a, c) => ({ covered: a.covered + c.covered, total: a.total + c.total }), {
    covered: 0,
    total: 0,
  });
}

/** The suite's coverage the repository's way (`measureCoverage` of the gate). */
async function measureWithGate(
  root: string,
  scope: readonly string[],
  testFiles: readonly string[],
  info: TestRunnerInfo,
  timeoutMs: number,
): Promise<Omit<SuiteCoverage, 'ms' | 'istanbul' | 'istanbulError'>> {
  // Only the generated files run; with none kept, the placeholder alone, for the totals.
  const measured = await measureCoverage(info, {
    cwd: root,
    timeoutMs,
    include: scope,
    testFiles: testFiles.length > 0 ? testFiles : [PLACEHOLDER],
  });
  if (measured.status !== 'measured') throw new Error(`coverage not measured: ${measured.how}`);
  const files = scope.map((file) => measured.files[file]);
  const present = files.filter((f) => f !== undefined);
  const missing = scope.filter((_, i) => files[i] === undefined);
  if (missing.length > 0)
    throw new Error(`coverage has no entry for ${missing.join(', ')} (asked to include them)`);
  return {
    statements: sum(present.map((f) => f.statements)),
    branches: sum(present.map((f) => f.branches)),
    functions: sum(present.map((f) => f.functions)),
    files: present.map((f) => ({
      file: f.file,
      statements: ratio(f.statements),
      branches: ratio(f.branches),
    })),
    how: measured.how,
    passed: testFiles.length > 0 ? (measured.run?.passed ?? 0) : 0,
    failed: testFiles.length > 0 ? (measured.run?.failed ?? 0) : 0,
  };
}

interface V8Script {
  url: string;
  functions: Parameters<ReturnType<typeof v8ToIstanbul>['applyCoverage']>[0];
}

/**
 * The suite's coverage with V8 directly (`NODE_V8_COVERAGE` around `node --test`, converted with
 * v8-to-istanbul as c8 does), while the gate's `measureCoverage` is not built yet. A scope file no
 * test loads counts as wholly uncovered.
 */
async function measureWithV8(
  root: string,
  scope: readonly string[],
  testFiles: readonly string[],
  timeoutMs: number,
): Promise<Omit<SuiteCoverage, 'ms' | 'istanbul' | 'istanbulError'>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'eval-testgen-v8-'));
  try {
    let passed = 0;
    let failed = 0;
    if (testFiles.length > 0) {
      const result = await runProcess(process.execPath, ['--test', ...testFiles], {
        cwd: root,
        env: { ...testEnvironment(), NODE_V8_COVERAGE: dir },
        timeoutMs,
        writable: [dir],
      });
      passed = Number(/^# pass (\d+)/m.exec(result.stdout)?.[1] ?? 0);
      failed = Number(/^# fail (\d+)/m.exec(result.stdout)?.[1] ?? 0);
    }
    const byFile = new Map<string, V8Script['functions'][]>();
    for (const name of await readdir(dir)) {
      const { result } = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as {
        result: V8Script[];
      };
      for (const script of result) {
        if (!script.url.startsWith('file://')) continue;
        const file = path.relative(root, fileURLToPath(script.url)).split(path.sep).join('/');
        if (!scope.includes(file)) continue;
        byFile.set(file, [...(byFile.get(file) ?? []), script.functions]);
      }
    }
    const map = libCoverage.createCoverageMap({});
    for (const file of scope) {
      const full = path.join(root, file);
      const length = (await readFile(full, 'utf8')).length;
      const runs = byFile.get(file) ?? [
        [
          {
            functionName: '',
            isBlockCoverage: true,
            ranges: [{ startOffset: 0, endOffset: length, count: 0 }],
          },
        ],
      ];
      for (const functions of runs) {
        const converter = v8ToIstanbul(full, 0);
        await converter.load();
        converter.applyCoverage(functions);
        map.merge(converter.toIstanbul());
        converter.destroy();
      }
    }
    const files = scope.map((file) => {
      const s = map.fileCoverageFor(path.join(root, file)).toSummary();
      return { file, s };
    });
    const counts = (k: 'statements' | 'branches' | 'functions') =>
      sum(files.map(({ s }) => ({ covered: s[k].covered, total: s[k].total })));
    return {
      statements: counts('statements'),
      branches: counts('branches'),
      functions: counts('functions'),
      files: files.map(({ file, s }) => ({
        file,
        statements: ratio(s.statements),
        branches: ratio(s.branches),
      })),
      how: 'NODE_V8_COVERAGE around node --test, converted with v8-to-istanbul (the harness’s own: measureCoverage not built yet)',
      passed,
      failed,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface IstanbulFileCoverage {
  toSummary(): Record<'statements' | 'branches' | 'functions', { covered: number; total: number }>;
}
interface IstanbulMap {
  merge(data: unknown): void;
  addFileCoverage(data: unknown): void;
  files(): string[];
  fileCoverageFor(file: string): IstanbulFileCoverage;
}
interface Instrumenter {
  instrumentSync(code: string, filename: string): string;
  lastFileCoverage(): unknown;
}

const requireHere = createRequire(import.meta.url);

/**
 * The suite's coverage as nyc measures it: the scope's files instrumented with Istanbul in a
 * temporary copy of the package (node_modules linked), the test files run with node:test, each
 * process's `__coverage__` written at exit and merged; a file no test loads counts as uncovered.
 * Istanbul counts statements and branch arms, where V8 through v8-to-istanbul counts lines (blank
 * and comment lines included) and the blocks V8 reports: the published figures are Istanbul's.
 */
export async function measureWithIstanbul(
  root: string,
  scope: readonly string[],
  testFiles: readonly string[],
  timeoutMs: number,
): Promise<ScopeCounts> {
  const { createInstrumenter } = requireHere('istanbul-lib-instrument') as {
    createInstrumenter(options: Record<string, unknown>): Instrumenter;
  };
  const copy = await mkdtemp(path.join(os.tmpdir(), 'eval-testgen-istanbul-'));
  try {
    await cp(root, copy, {
      recursive: true,
      filter: (src) => !/(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(path.relative(root, src)),
    });
    if (existsSync(path.join(root, 'node_modules')))
      await symlink(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    const instrumenter = createInstrumenter({
      esModules: true,
      compact: false,
      produceSourceMap: false,
    });
    const blank = new Map<string, unknown>();
    for (const file of scope) {
      const full = path.join(copy, file);
      const code = await readFile(full, 'utf8');
      await writeFile(full, instrumenter.instrumentSync(code, full));
      blank.set(full, instrumenter.lastFileCoverage());
    }
    const out = path.join(copy, '.istanbul-out');
    await mkdir(out);
    const dump = path.join(copy, '.istanbul-dump.cjs');
    await writeFile(
      dump,
      `process.on('exit', () => { if (global.__coverage__) require('fs').writeFileSync(${JSON.stringify(out)} + '/' + process.pid + '-' + Date.now() + '.json', JSON.stringify(global.__coverage__)); });\n`,
    );
    if (testFiles.length > 0) {
      const result = await runProcess(process.execPath, ['--test', ...testFiles], {
        cwd: copy,
        env: { ...testEnvironment(), NODE_OPTIONS: `--require ${dump}` },
        timeoutMs,
      });
      if (result.timedOut)
        throw new Error(`the instrumented suite timed out after ${timeoutMs} ms`);
    }
    const map = libCoverage.createCoverageMap({}) as unknown as IstanbulMap;
    for (const name of await readdir(out)) {
      const data = JSON.parse(await readFile(path.join(out, name), 'utf8')) as Record<
        string,
        unknown
      >;
      for (const [file, fileData] of Object.entries(data))
        if (blank.has(file)) map.merge({ [file]: fileData });
    }
    const seen = new Set(map.files());
    for (const [file, data] of blank) if (!seen.has(file)) map.addFileCoverage(data);
    const summaries = [...blank.keys()].map((f) => map.fileCoverageFor(f).toSummary());
    const counts = (k: 'statements' | 'branches' | 'functions') =>
      sum(summaries.map((s) => ({ covered: s[k].covered, total: s[k].total })));
    return {
      statements: counts('statements'),
      branches: counts('branches'),
      functions: counts('functions'),
    };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/** Measures the package's current suite over its scope: the gate's way, or V8 directly. */
export async function measureSuite(
  root: string,
  scope: readonly string[],
  testFiles: readonly string[],
  timeoutMs: number,
): Promise<SuiteCoverage> {
  const started = performance.now();
  const detected = await detectTestRunner(root);
  if ('reason' in detected) throw new Error(`no test runner: ${detected.reason}`);
  let istanbul: ScopeCounts | undefined;
  let istanbulError: string | undefined;
  try {
    istanbul = await measureWithIstanbul(root, scope, testFiles, timeoutMs);
  } catch (error) {
    istanbulError = message(error);
  }
  const withIstanbul = { istanbul, ...(istanbulError ? { istanbulError } : {}) };
  try {
    const measured = await measureWithGate(root, scope, testFiles, detected.runner, timeoutMs);
    return { ...measured, ...withIstanbul, ms: performance.now() - started };
  } catch (error) {
    if (!isNotBuilt(error)) throw error;
    const measured = await measureWithV8(root, scope, testFiles, timeoutMs);
    return { ...measured, ...withIstanbul, ms: performance.now() - started };
  }
}

export interface PackageResult {
  name: string;
  version: string;
  why: string;
  /** `measured`: the kept suite was measured (0% when nothing was kept); `failed`: see `error`. */
  status: 'measured' | 'failed';
  error?: string;
  /** Where it failed: preparing the copy, generating, or measuring. */
  failedAt?: 'prepare' | 'generate' | 'measure';
  removed: number;
  dependencies: string[];
  scope: string[];
  engine?: Generated['engine'];
  funnel: Funnel;
  testFiles: string[];
  coverage?: SuiteCoverage;
  /** Why candidates stopped, by stage, most frequent first: what the engine should learn from. */
  stops: { stage: string; reason: string; count: number }[];
  notes: string[];
  prepareMs: number;
  generateMs: number;
}

/** Why verdicts stopped, grouped by stage and the first line of the reason. */
export function summariseStops(
  verdicts: readonly TestVerdict[],
): { stage: string; reason: string; count: number }[] {
  const counts = new Map<string, { stage: string; reason: string; count: number }>();
  for (const v of verdicts) {
    if (v.kept || v.reason === undefined) continue;
    const reason = (v.reason.split('\n')[0] ?? '').slice(0, 160);
    const key = `${v.stage}\u0000${reason}`;
    const entry = counts.get(key) ?? { stage: v.stage, reason, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).slice(0, 300);
}

/** Prepares, generates and measures one package; failures are data. */
export async function evaluatePackage(
  spec: PackageSpec,
  options: { dir: string; timeoutMs: number; onProgress?: (line: string) => void },
): Promise<PackageResult> {
  const progress = (line: string) => options.onProgress?.(`${spec.name}: ${line}`);
  const result: PackageResult = {
    name: spec.name,
    version: spec.version,
    why: spec.why,
    status: 'failed',
    removed: 0,
    dependencies: [],
    scope: [],
    funnel: emptyFunnel(),
    testFiles: [],
    stops: [],
    notes: [],
    prepareMs: 0,
    generateMs: 0,
  };
  let prepared: Prepared;
  try {
    prepared = await preparePackage(spec, options.dir);
  } catch (error) {
    return { ...result, failedAt: 'prepare', error: message(error) };
  }
  Object.assign(result, {
    removed: prepared.removed.length,
    dependencies: prepared.dependencies,
    scope: prepared.scope,
    prepareMs: prepared.ms,
  });
  progress(
    `prepared in ${(prepared.ms / 1000).toFixed(1)} s: ${prepared.scope.length} file(s) in scope, ${prepared.removed.length} test file(s) removed`,
  );
  let generated: Generated;
  try {
    generated = await generateSuite(prepared, options.dir, options.timeoutMs, progress);
  } catch (error) {
    return { ...result, failedAt: 'generate', error: message(error) };
  }
  Object.assign(result, {
    engine: generated.engine,
    funnel: generated.funnel,
    testFiles: generated.testFiles,
    stops: summariseStops(generated.verdicts),
    notes: generated.notes,
    generateMs: generated.ms,
  });
  try {
    result.coverage = await measureSuite(
      prepared.root,
      prepared.scope,
      generated.testFiles,
      options.timeoutMs,
    );
  } catch (error) {
    return { ...result, failedAt: 'measure', error: message(error) };
  }
  return { ...result, status: 'measured' };
}

/** The median of the values (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Published figures to compare with; none of them is computed here. */
export const ANCHORS = [
  {
    name: 'Nessie (feedback-directed, offline)',
    statements: 0.513,
    branches: 0.256,
    source:
      'Nessie: Arteca, Harner, Pradel, Tip, ICSE 2022; the figures are its medians on TestPilot’s 25 npm packages as reported by Schäfer, Nadi, Eghbali, Tip, “An Empirical Evaluation of Using Large Language Models for Automated Unit Test Generation”, IEEE TSE 2024 (arXiv:2302.06527)',
  },
  {
    name: 'TestPilot (gpt-3.5-turbo)',
    statements: 0.702,
    branches: 0.528,
    source: 'Schäfer et al., IEEE TSE 2024 (arXiv:2302.06527): medians on 25 npm packages',
  },
] as const;

/** Issue 15's target for the offline engine. */
export const TARGET = { statements: 0.6, branches: 0.35 } as const;

const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const secs = (ms: number) => (Number.isNaN(ms) ? 'n/a' : (ms / 1000).toFixed(1));
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export interface Summary {
  /** Packages measured with Istanbul (the medians' count). */
  measured: number;
  /** Medians of Istanbul's statement and branch coverage: comparable with the anchors. */
  statements: number;
  branches: number;
  /** Medians of the gate's V8 measure (lines as statements, V8's blocks as branches). */
  v8Lines: number;
  v8Branches: number;
  generateMs: number;
  funnel: Funnel;
  meetsTarget: boolean;
}

/** Medians over the measured packages (a package whose suite kept nothing counts as 0%). */
export function summarise(results: readonly PackageResult[]): Summary {
  const measured = results.filter((r) => r.coverage?.istanbul !== undefined);
  const v8 = results.filter((r) => r.coverage !== undefined);
  const statements = median(measured.map((r) => ratio(r.coverage!.istanbul!.statements)));
  const branches = median(measured.map((r) => ratio(r.coverage!.istanbul!.branches)));
  const funnel = emptyFunnel();
  for (const r of results) for (const s of FUNNEL_STAGES) funnel[s] += r.funnel[s];
  return {
    measured: measured.length,
    statements,
    branches,
    v8Lines: median(v8.map((r) => ratio(r.coverage!.statements))),
    v8Branches: median(v8.map((r) => ratio(r.coverage!.branches))),
    generateMs: median(v8.map((r) => r.generateMs)),
    funnel,
    meetsTarget: statements >= TARGET.statements && branches >= TARGET.branches,
  };
}

const counted = (c: CoverageCounts) => `${pct(ratio(c))} (${c.covered}/${c.total})`;

function packageRow(r: PackageResult): string {
  const c = r.coverage;
  const funnel = FUNNEL_STAGES.map((s) => r.funnel[s]).join(' / ');
  const istanbul = c?.istanbul
    ? `${counted(c.istanbul.statements)} | ${counted(c.istanbul.branches)} | ${pct(ratio(c.istanbul.functions))}`
    : `not measured${c?.istanbulError ? `: ${cell(c.istanbulError)}` : ''} | | `;
  const v8 = c ? `${pct(ratio(c.statements))} | ${pct(ratio(c.branches))}` : ' | ';
  const status = r.status === 'failed' ? `failed at ${r.failedAt}: ${r.error ?? ''}` : '';
  return `| ${r.name}@${r.version} | ${r.scope.length} | ${istanbul} | ${v8} | ${funnel} | ${r.testFiles.length} | ${secs(r.generateMs)} | ${cell(status)} |`;
}

function stopLines(results: readonly PackageResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const top = r.stops
      .slice(0, 3)
      .map((s) => `${s.count}× stopped after \`${s.stage}\`: ${cell(s.reason)}`);
    const none = r.notes.filter((n) => n.startsWith('no test proposed for '));
    if (top.length + none.length > 0) lines.push(`- ${r.name}: ${[...none, ...top].join('; ')}`);
  }
  return lines.length > 0
    ? [
        '',
        'Targets with no test proposed, and why candidate files stopped in the gate (most frequent first):',
        '',
        ...lines,
      ]
    : [];
}

/** This checkout's commit, and whether it has changes not committed (the code measured). */
function beastCommit(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  try {
    const head = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], {
      cwd: here,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: here,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} (with changes not committed)` : head;
  } catch {
    return 'an unknown commit (no git)';
  }
}

/** The docs section: per-package table, medians against the anchors, the funnel. */
export function renderSection(
  results: readonly PackageResult[],
  dropped: readonly DroppedSpec[],
): string {
  const s = summarise(results);
  const commit = beastCommit();
  const engines = [...new Set(results.map((r) => r.engine).filter((e) => e !== undefined))];
  const hows = [
    ...new Set(results.map((r) => r.coverage?.how.split(';')[0]).filter((h) => h !== undefined)),
  ];
  const meets = (x: number, t: number) =>
    Number.isNaN(x) ? 'not measured' : x >= t ? 'met' : 'not met';
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version} with BEAST MODE at ${commit}, offline engine only (\`builtin:testgen\`, no LLM), through ${engines.length ? engines.map((e) => (e === 'pipeline' ? '`generateRepositoryTests`' : 'the pipeline’s parts (explore, emit, gate)')).join(' and ') : 'nothing (no package reached generation)'}. Each package's own tests were deleted; coverage is of the kept generated suite alone, over the package's files that requiring its main loads plus its entry files (never node_modules). Statements, branches and functions are Istanbul's, measured as nyc does (the files instrumented, the kept tests run with node:test), as the published figures were; V8 lines and branches are the gate's own measure of the same suite (${hows.join('; ') || 'not measured'}), which counts every line of a loaded function, blank and comment lines included, and only the blocks V8 reports.`,
    '',
    '| package | files | statements | branches | functions | V8 lines | V8 branches | funnel: generated / built / passed / stable / useful / kept | test files kept | generation s | note |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
    ...results.map(packageRow),
    '',
    `| medians over ${s.measured} package(s) | statements | branches |`,
    '| --- | ---: | ---: |',
    `| **BEAST MODE \`builtin:testgen\` (offline, measured here, Istanbul)** | **${pct(s.statements)}** | **${pct(s.branches)}** |`,
    `| the same suites, V8 measure of the gate (lines, V8 blocks) | ${pct(s.v8Lines)} | ${pct(s.v8Branches)} |`,
    ...ANCHORS.map((a) => `| ${a.name}, published | ${pct(a.statements)} | ${pct(a.branches)} |`),
    `| target (issue 15, offline) | ≥ ${pct(TARGET.statements)} (${meets(s.statements, TARGET.statements)}) | ≥ ${pct(TARGET.branches)} (${meets(s.branches, TARGET.branches)}) |`,
    '',
    `Funnel over all packages (test cases): ${FUNNEL_STAGES.map((st) => `${st} ${s.funnel[st]}`).join(', ')}. Median generation time per package: ${secs(s.generateMs)} s.`,
    ...stopLines(results),
    '',
    'Published figures: ' + ANCHORS.map((a) => `${a.name}: ${a.source}.`).join(' '),
    ...(dropped.length
      ? [
          '',
          'Left out: ' +
            dropped
              .map((d) => `${d.name}${d.version !== '-' ? `@${d.version}` : ''} (${d.why})`)
              .join('; '),
        ]
      : []),
  ].join('\n');
}

function fail(text: string): never {
  console.error(`eval:testgen: ${text}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const configFile = path.resolve(
    flagValue(args, '--config') ?? path.join(here, 'testgen-packages.json'),
  );
  const raw = await readFile(configFile, 'utf8').catch(() => fail(`cannot read ${configFile}`));
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    fail(`${configFile} is not JSON: ${message(error)}`);
  }
  const { config, errors } = parseConfig(json);
  if (errors.length > 0) fail(`${configFile}: ${errors.join('; ')}`);
  const timeoutFlag = flagValue(args, '--timeout');
  const timeoutS = timeoutFlag === undefined ? 300 : Number(timeoutFlag);
  if (!(timeoutS > 0)) fail(`--timeout takes seconds, got ${timeoutFlag}`);
  const dir = path.resolve(flagValue(args, '--dir') ?? config.dir);
  const repoRoot = path.resolve(here, '..');
  if (dir === repoRoot || dir.startsWith(repoRoot + path.sep))
    fail(`--dir ${dir} is inside this repository: the packages' code must stay outside it`);
  const only = flagValue(args, '--only')?.split(',');
  const unknown = only?.filter((n) => !config.packages.some((p) => p.name === n)) ?? [];
  if (unknown.length > 0)
    fail(
      `--only: unknown package(s) ${unknown.join(', ')}; known: ${config.packages.map((p) => p.name).join(', ')}`,
    );
  const selected = only ? config.packages.filter((p) => only.includes(p.name)) : config.packages;
  if (args.includes('--prepare')) {
    // Packs and prepares only (the registry is needed here, nowhere after): what each copy holds.
    for (const spec of selected) {
      const p = await preparePackage(spec, dir).catch((error: unknown) =>
        fail(`${spec.name}: ${message(error)}`),
      );
      console.log(
        `${spec.name}@${spec.version}: ${p.root}, ${p.removed.length} test file(s) removed, dependencies: ${p.dependencies.join(', ') || 'none'}; scope (${p.scope.length}): ${p.scope.join(', ')}`,
      );
    }
    return;
  }
  if (args.includes('--measure-only')) {
    // Measures again the kept suites of an earlier run's copies (for working on the measurement).
    for (const spec of selected) {
      const renamed = renamedFolders(spec.entry);
      const root = path.join(dir, 'work', `${spec.name.replace('/', '+')}@${spec.version}`);
      const scope = await sourceScope(
        root,
        spec.entry.map((e) => renamePath(e, renamed)),
      );
      const testFiles = await addedFiles(root, 'main', 'HEAD');
      const c = await measureSuite(root, scope, testFiles, timeoutS * 1000);
      const i = c.istanbul;
      console.log(
        `${spec.name}: ${testFiles.length} test file(s); Istanbul statements ${i ? counted(i.statements) : c.istanbulError}, branches ${i ? counted(i.branches) : ''}; V8 lines ${counted(c.statements)}, branches ${counted(c.branches)}`,
      );
    }
    return;
  }
  const results: PackageResult[] = [];
  for (const spec of selected) {
    const started = performance.now();
    const result = await evaluatePackage(spec, {
      dir,
      timeoutMs: timeoutS * 1000,
      onProgress: (line) => console.error(line),
    });
    results.push(result);
    const c = result.coverage;
    console.error(
      `${spec.name}: ${result.status === 'failed' ? `failed at ${result.failedAt}: ${result.error}` : `Istanbul statements ${c!.istanbul ? pct(ratio(c!.istanbul.statements)) : 'n/a'}, branches ${c!.istanbul ? pct(ratio(c!.istanbul.branches)) : 'n/a'} (V8 lines ${pct(ratio(c!.statements))}, branches ${pct(ratio(c!.branches))}), kept ${result.funnel.kept} of ${result.funnel.generated}`} (${secs(performance.now() - started)} s)`,
    );
  }
  const body = renderSection(results, config.dropped);
  if (args.includes('--json')) {
    console.log(JSON.stringify({ results, summary: summarise(results) }, null, 2));
  } else console.log(`\n${body}\n`);
  if (args.includes('--write')) {
    if (only) fail('--write records all packages: run without --only');
    // recordSection says where it wrote on stdout, which --json keeps for the JSON alone.
    const log = console.log;
    if (args.includes('--json')) console.log = console.error;
    try {
      await recordSection('eval:testgen', body);
    } finally {
      console.log = log;
    }
  }
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href
)
  await main();
