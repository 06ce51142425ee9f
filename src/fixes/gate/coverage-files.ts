/**
 * Which files a coverage report leaves out: test code and the tools' own files, by the conventions
 * test runners and c8 follow (the same as `analysis`' file kinds, which `fixes` may not import).
 */

const TEST_DIRS = new Set([
  'test',
  'tests',
  '__tests__',
  'e2e',
  '__mocks__',
  'fixtures',
  '__fixtures__',
]);
// `foo.test.ts`, `foo.spec.tsx`, vitest's type tests `foo.test-d.ts`, Nest's `app.e2e-spec.ts`.
const TEST_NAME = /\.(?:test|spec|test-d|spec-d|e2e|e2e-spec)\.[cm]?[jt]sx?$/;
// ava's default `test.js` and jasmine's `spec/` folder, only at the top: deeper they may be product.
const ROOT_TEST_NAME = /^tests?\.[cm]?[jt]sx?$/;
const ROOT_TEST_DIRS = new Set(['spec']);
/** Runner, bundler and linter configuration: c8's default exclusions. */
const TOOL_CONFIG =
  /^(?:vitest|vite|jest|ava|karma|rollup|webpack|babel|nyc|eslint|prettier|tsup|playwright)\.(?:config|workspace|setup)\.[cm]?[jt]s$|^\.(?:eslint|mocha|prettier)rc\.c?js$/;

/**
 * Pure: whether a root-relative path (`/` separators) is test code or a tool's configuration,
 * not source whose coverage counts. Declaration files count as neither.
 */
export function isTestOrToolFile(file: string): boolean {
  const segments = file.split('/');
  const dirs = segments.slice(0, -1).map((d) => d.toLowerCase());
  const base = (segments.at(-1) ?? file).toLowerCase();
  if (TEST_NAME.test(base) || base.endsWith('.d.ts') || TOOL_CONFIG.test(base)) return true;
  if (dirs.some((d) => TEST_DIRS.has(d) || d === 'node_modules' || d === 'coverage')) return true;
  if (dirs.length === 0 && ROOT_TEST_NAME.test(base)) return true;
  return dirs[0] !== undefined && ROOT_TEST_DIRS.has(dirs[0]);
}
