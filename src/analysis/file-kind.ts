import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { FileKind } from '../core/index.js';

/** Bump when the conventions below change: cached repository results depend on them. */
export const FILE_KIND_VERSION = 1;

/**
 * Where the repository's own test runner says its tests are, read from configuration that is plain
 * data: package.json's `jest.testMatch`/`jest.testRegex`, `ava.files` and `mocha.spec`, and
 * `.mocharc.json`'s `spec`. Configuration written as code (vitest.config.ts, jest.config.js) is
 * never executed; the runners' default patterns are covered by the conventions.
 */
export interface TestPatterns {
  /** Globs relative to the repository root. */
  globs: string[];
  /** Regular expressions matched against `/` + the repository-relative path, as Jest does. */
  regexes: string[];
}

export const NO_TEST_PATTERNS: TestPatterns = { globs: [], regexes: [] };

const FIXTURE_DIRS = new Set([
  'fixtures',
  'fixture',
  '__fixtures__',
  '__mocks__',
  '__snapshots__',
  'testdata',
  'test-data',
]);
const BENCH_DIRS = new Set(['bench', 'benches', 'benchmark', 'benchmarks', '__benchmarks__']);
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'e2e']);
// `foo.test.ts`, `foo.spec.tsx`, vitest's type tests `foo.test-d.ts`, Nest's `app.e2e-spec.ts`.
const TEST_NAME = /\.(?:test|spec|test-d|spec-d|e2e|e2e-spec)\.[cm]?[jt]sx?$/;
const BENCH_NAME = /\.(?:bench|benchmark)\.[cm]?[jt]sx?$/;
// ava's default `test.js` and jasmine's `spec/` folder, only at the top: deeper they may be product.
const ROOT_TEST_NAME = /^tests?\.[cm]?[jt]sx?$/;
const ROOT_TEST_DIRS = new Set(['spec']);

/**
 * Pure: a file's kind by the conventions test runners and most repositories follow. Fixture
 * folders win (a repository inside `test/fixtures/` is data for the tests), then the file's name
 * (`*.test.*`, `*.bench.*`), then its folders (`bench/`, `test/`, `__tests__/`, `e2e/`).
 */
export function kindByConvention(file: string): FileKind {
  const segments = file.split('/');
  const dirs = segments.slice(0, -1).map((d) => d.toLowerCase());
  const base = (segments[segments.length - 1] ?? file).toLowerCase();
  if (dirs.some((d) => FIXTURE_DIRS.has(d))) return 'fixture';
  if (TEST_NAME.test(base)) return 'test';
  if (BENCH_NAME.test(base)) return 'bench';
  if (dirs.some((d) => BENCH_DIRS.has(d))) return 'bench';
  if (dirs.some((d) => TEST_DIRS.has(d))) return 'test';
  if (dirs.length === 0 && ROOT_TEST_NAME.test(base)) return 'test';
  if (dirs[0] !== undefined && ROOT_TEST_DIRS.has(dirs[0])) return 'test';
  return 'source';
}

/**
 * Pure: classifies repository-relative paths by the conventions, and as `test` any other file the
 * runner's configuration names as a test. A pattern that is not a valid glob or regular expression
 * is ignored.
 */
export function createFileClassifier(
  patterns: TestPatterns = NO_TEST_PATTERNS,
): (file: string) => FileKind {
  const globs = patterns.globs.length > 0 ? picomatch(patterns.globs, { dot: true }) : undefined;
  const regexes: RegExp[] = [];
  for (const source of patterns.regexes) {
    try {
      regexes.push(new RegExp(source));
    } catch {
      // Jest would refuse it too; conventions still apply.
    }
  }
  return (file) => {
    const kind = kindByConvention(file);
    if (kind !== 'source') return kind;
    if (globs?.(file) || regexes.some((r) => r.test(`/${file}`))) return 'test';
    return kind;
  };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A runner's glob as a root-relative one: `<rootDir>/` and `./` dropped, negations left out. */
function normaliseGlob(glob: string): string | undefined {
  if (glob.startsWith('!')) return undefined;
  const bare = glob.replace(/^<rootDir>\//, '').replace(/^\.\//, '');
  return bare === '' ? undefined : bare;
}

/**
 * Pure: the test patterns in a parsed package.json and `.mocharc.json` (either may be anything
 * JSON can hold; what is not the expected shape is ignored).
 */
export function parseTestPatterns(packageJson: unknown, mocharc?: unknown): TestPatterns {
  const globs: string[] = [];
  const regexes: string[] = [];
  if (isRecord(packageJson)) {
    const { jest, ava, mocha } = packageJson;
    if (isRecord(jest)) {
      globs.push(...strings(jest.testMatch));
      regexes.push(...strings(jest.testRegex));
    }
    if (isRecord(ava)) globs.push(...strings(ava.files));
    if (isRecord(mocha)) globs.push(...strings(mocha.spec));
  }
  if (isRecord(mocharc)) globs.push(...strings(mocharc.spec));
  const kept = globs.map(normaliseGlob).filter((g): g is string => g !== undefined);
  return { globs: [...new Set(kept)].sort(), regexes: [...new Set(regexes)].sort() };
}

/** Larger than any real package.json: not worth reading for test patterns. */
const MAX_CONFIG_BYTES = 1024 * 1024;

async function readJson(file: string): Promise<unknown> {
  try {
    // A symlink may lead out of the repository, which a scan never reads.
    const info = await lstat(file);
    if (!info.isFile() || info.size > MAX_CONFIG_BYTES) return undefined;
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    // Missing or not JSON: the conventions are enough, and other checks report a broken package.json.
    return undefined;
  }
}

/** Reads the test patterns of the repository at `root` from its package.json and `.mocharc.json`. */
export async function loadTestPatterns(root: string): Promise<TestPatterns> {
  const [packageJson, mocharc] = await Promise.all([
    readJson(path.join(root, 'package.json')),
    readJson(path.join(root, '.mocharc.json')),
  ]);
  return parseTestPatterns(packageJson, mocharc);
}

/** Whether a kind is test code (scored apart from the source, left out of the default gate). */
export function isTestCode(kind: FileKind | undefined): boolean {
  return kind !== undefined && kind !== 'source';
}
