import { readFile, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseJsonc } from '../../core/index.js';
import type { RunnerPart, TestRunnerInfo, TestRunnerName } from './test-runner.js';

/**
 * How a repository writes its tests, read from the tests it has: the runner, where test files go
 * and how they are named, the module system, how they import the code, which assertions they use.
 * Generated tests follow it so that they look like the repository's own.
 */
export interface TestStyle {
  runner: TestRunnerName;
  /** The package folder the runner runs in, relative to the root ('' for the root). */
  packageDir: string;
  /**
   * Where the test of `src/a/b.ts` goes: beside it (`src/a/b.test.ts`), or in a folder (`test`,
   * `__tests__`), mirroring the source path below the package's source folder when `mirror`.
   */
  placement:
    | { kind: 'beside' }
    | {
        kind: 'folder';
        /** The folder, relative to the package folder (`test`, `src/__tests__`). */
        dir: string;
        mirror: boolean;
        /**
         * The package's source folder (`src`, `lib`, '' for the package folder) that a mirrored
         * path is taken below; `src` or `lib` when absent, whichever starts the source's path.
         */
        sourceDir?: string;
        /**
         * The folder sits in each source file's own folder, as jest's `__tests__` often does
         * (`src/a/__tests__/b.test.ts`); `dir` is then its name.
         */
        nested?: boolean;
      };
  /** `.test`, `.spec` or '' (`test/b.js` under mocha). */
  infix: string;
  /** The generated file's extension: `.ts`, `.mts`, `.js`, `.mjs`, `.cjs`. */
  extension: string;
  module: 'esm' | 'cjs';
  /**
   * What a test writes after the imported source's name: '' (bundler resolution), `.js`
   * (NodeNext on TypeScript), `.ts`, or `same` (the source's own extension).
   */
  importExtension: '' | '.js' | '.ts' | 'same';
  /** Runner globals are on: no import of `describe`, `it`, `expect` (jest, vitest `globals`). */
  globals: boolean;
  /** The assertions the tests use. */
  assertions: 'expect' | 'node:assert' | 'chai' | 'ava';
  /** An existing test file, relative to the root, to show as an example; undefined if none. */
  example: string | undefined;
}

/** What detection reads of one package: its files and the texts of its tests and configs. */
export interface StyleFacts {
  runner: TestRunnerName;
  packageDir: string;
  /** Every file of the package (relative to it, `/` separators), other packages and builds left out. */
  files: readonly string[];
  /** The package's folders, relative to it. */
  dirs: ReadonlySet<string>;
  /** The texts of the test files read (their beginnings), by path relative to the package. */
  tests: ReadonlyMap<string, string>;
  /** `type` of the package's package.json (or the root's). */
  packageType: string | undefined;
  /** The package's dependencies of every kind, by name. */
  dependencies: ReadonlySet<string>;
  /** A tsconfig.json is there (the package's or the root's). */
  typescript: boolean;
  /** Its `module` or `moduleResolution` is Node16/NodeNext. */
  nodeNext: boolean;
  /** vitest's config turns `globals` on. */
  vitestGlobals: boolean;
}

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', 'out', 'lib-cov']);
const MAX_ENTRIES = 20_000;
const MAX_TESTS_READ = 60;
const READ_CHARS = 20_000;

const CODE = /\.[cm]?[jt]sx?$/;
const INFIXED = /\.(test|spec)\.[cm]?[jt]sx?$/;
const TEST_FOLDER = /^(test|tests|__tests__)$/;
const FIXTURES = /(^|\/)(fixtures?|__fixtures__|__mocks__|__snapshots__)\//;
/** Code in a test folder that is no test, when tests are told apart by their folder alone. */
const NOT_TESTS = /(^|\/)(fixtures?|__fixtures__|helpers?|support|mocks?|__mocks__|setup)(\/|\.|$)/;

async function walk(
  root: string,
  dir: string,
  out: { files: string[]; dirs: Set<string> },
): Promise<void> {
  if (out.files.length + out.dirs.size > MAX_ENTRIES) return;
  const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
  // Another workspace package below this one has its own runner and style.
  if (dir !== '' && entries.some((e) => e.isFile() && e.name === 'package.json')) return;
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of sorted) {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      out.dirs.add(path);
      await walk(root, path, out);
    } else if (entry.isFile()) out.files.push(path);
  }
}

async function readText(path: string, max = READ_CHARS): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text?.slice(0, max);
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readText(path, Number.MAX_SAFE_INTEGER);
  if (text === undefined) return undefined;
  try {
    const json = parseJsonc(text);
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The candidate test files of a package: named `.test`/`.spec`, else code in a test folder. */
export function findTestFiles(files: readonly string[]): string[] {
  const code = files.filter((f) => CODE.test(f) && !f.endsWith('.d.ts'));
  const infixed = code.filter((f) => INFIXED.test(f) && !FIXTURES.test(f));
  if (infixed.length > 0) return infixed;
  return code.filter(
    (f) =>
      f
        .split('/')
        .slice(0, -1)
        .some((part) => TEST_FOLDER.test(part)) && !NOT_TESTS.test(f),
  );
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

async function readTsconfig(
  root: string,
  packageDir: string,
): Promise<{ typescript: boolean; nodeNext: boolean }> {
  for (const dir of packageDir === '' ? [''] : [packageDir, '']) {
    const json = await readJson(join(root, dir, 'tsconfig.json'));
    if (json === undefined) continue;
    const options = record(json.compilerOptions);
    const said = [options.module, options.moduleResolution].map((v) => String(v).toLowerCase());
    return { typescript: true, nodeNext: said.some((v) => v === 'nodenext' || v === 'node16') };
  }
  return { typescript: false, nodeNext: false };
}

const VITEST_CONFIG = /^vit(est|e)\.(config|workspace)\.[cm]?[jt]s$/;

async function readVitestGlobals(root: string, packageDir: string): Promise<boolean> {
  for (const dir of packageDir === '' ? [''] : [packageDir, '']) {
    const names = (await readdir(join(root, dir)).catch(() => [])).filter((n) =>
      VITEST_CONFIG.test(n),
    );
    for (const name of names.sort()) {
      const text = await readText(join(root, dir, name));
      if (text !== undefined && /\bglobals\s*:\s*true\b/.test(text)) return true;
    }
    if (names.length > 0) return false;
  }
  return false;
}

/** Reads what `resolveTestStyle` decides from: the package's files, tests and configs. */
export async function readStyleFacts(root: string, part: RunnerPart): Promise<StyleFacts> {
  const packageDir = part.dir;
  const walked = { files: [] as string[], dirs: new Set<string>() };
  await walk(join(root, packageDir), '', walked);
  const tests = new Map<string, string>();
  for (const file of findTestFiles(walked.files).slice(0, MAX_TESTS_READ)) {
    const text = await readText(join(root, packageDir, file));
    if (text !== undefined) tests.set(file, text);
  }
  const pkg = (await readJson(join(root, packageDir, 'package.json'))) ?? {};
  const rootPkg = packageDir === '' ? pkg : ((await readJson(join(root, 'package.json'))) ?? {});
  const dependencies = new Set(
    [pkg, rootPkg].flatMap((p) =>
      ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((k) =>
        Object.keys(record(p[k])),
      ),
    ),
  );
  const type = typeof pkg.type === 'string' ? pkg.type : rootPkg.type;
  return {
    runner: part.name,
    packageDir,
    files: walked.files,
    dirs: walked.dirs,
    tests,
    packageType: typeof type === 'string' ? type : undefined,
    dependencies,
    ...(await readTsconfig(root, packageDir)),
    vitestGlobals: part.name === 'vitest' && (await readVitestGlobals(root, packageDir)),
  };
}

/** The most frequent value, ties broken by the order of `order`. */
function majority<T>(values: readonly T[], order: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestCount = 0;
  for (const candidate of order) {
    const count = values.filter((v) => v === candidate).length;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** The test folder a test file sits in (`test`, `src/a/__tests__`), or undefined beside its source. */
function testFolderOf(file: string): string | undefined {
  const parts = file.split('/').slice(0, -1);
  const at = parts.findIndex((part) => TEST_FOLDER.test(part));
  return at === -1 ? undefined : parts.slice(0, at + 1).join('/');
}

function infixOf(file: string): string {
  const match = /\.(test|spec)\.[^.]+$/.exec(file);
  return match ? `.${match[1]}` : '';
}

function extensionOf(file: string): string {
  const ext = posix.extname(file);
  return ext === '.tsx' ? '.ts' : ext === '.jsx' ? '.js' : ext;
}

const SOURCE_DIRS = ['src', 'lib', 'source'];

function resolvePlacement(facts: StyleFacts, tests: readonly string[]): TestStyle['placement'] {
  const folders = tests.map(testFolderOf);
  const inFolders = folders.filter((f): f is string => f !== undefined);
  if (inFolders.length === 0 || inFolders.length * 2 < tests.length) return { kind: 'beside' };
  const distinct = [...new Set(inFolders)].sort();
  const names = new Set(distinct.map((d) => posix.basename(d)));
  if (distinct.length > 1 && names.size === 1 && distinct.some((d) => d.includes('/'))) {
    return { kind: 'folder', dir: [...names][0] ?? '__tests__', mirror: false, nested: true };
  }
  const dir = majority(inFolders, distinct) ?? 'test';
  // Mirrored when a subfolder of the test folder is a folder of the source tree too.
  const subs = tests
    .filter((_, i) => folders[i] === dir)
    .map((t) => posix.dirname(t.slice(dir.length + 1)))
    .filter((sub) => sub !== '.');
  const sourceDir = SOURCE_DIRS.find((d) => facts.dirs.has(d)) ?? '';
  for (const sub of subs) {
    if (sourceDir !== '' && facts.dirs.has(`${sourceDir}/${sub}`)) {
      return { kind: 'folder', dir, mirror: true, sourceDir };
    }
    if (facts.dirs.has(sub)) return { kind: 'folder', dir, mirror: true, sourceDir: '' };
  }
  return { kind: 'folder', dir, mirror: false, sourceDir };
}

const IMPORTS = /\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
const REQUIRES = /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiers(text: string): { imports: string[]; requires: string[] } {
  const imports = [...text.matchAll(IMPORTS)].map((m) => m[1] ?? m[2] ?? '');
  const requires = [...text.matchAll(REQUIRES)].map((m) => m[1] ?? '');
  return { imports, requires };
}

const TS_FOR: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '.jsx': ['.tsx'],
};

/** How one relative specifier of a test ends: see `TestStyle.importExtension`; undefined: no say. */
function importExtensionOf(
  files: ReadonlySet<string>,
  testFile: string,
  spec: string,
): TestStyle['importExtension'] | undefined {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(testFile), spec));
  const ext = posix.extname(spec);
  if (ext === '.json') return undefined;
  if (!/^\.[cm]?[jt]sx?$/.test(ext)) return '';
  if (ext.includes('t')) return '.ts';
  const stem = target.slice(0, -ext.length);
  const typescript = (TS_FOR[ext] ?? []).some((t) => files.has(stem + t));
  return typescript && !files.has(target) ? '.js' : 'same';
}

function resolveModule(
  facts: StyleFacts,
  extension: string,
  texts: readonly string[],
): TestStyle['module'] {
  if (extension === '.mjs' || extension === '.mts') return 'esm';
  if (extension === '.cjs' || extension === '.cts') return 'cjs';
  const esm = texts.filter((t) => specifiers(t).imports.length > 0).length;
  const cjs = texts.filter((t) => specifiers(t).requires.length > 0).length;
  if (extension === '.ts') return cjs > esm ? 'cjs' : 'esm';
  if (esm !== cjs) return esm > cjs ? 'esm' : 'cjs';
  if (facts.packageType === 'module' || facts.runner === 'vitest') return 'esm';
  return 'cjs';
}

const TS_RUNNERS = ['ts-jest', '@swc/jest', 'ts-node', 'tsx', '@babel/preset-typescript'];

function resolveExtension(facts: StyleFacts, tests: readonly string[]): string {
  const found = majority(tests.map(extensionOf), ['.ts', '.js', '.mjs', '.mts', '.cjs', '.cts']);
  if (found !== undefined) return found;
  const canRunTs =
    facts.runner === 'vitest' || TS_RUNNERS.some((name) => facts.dependencies.has(name));
  return facts.typescript && canRunTs ? '.ts' : '.js';
}

function resolveAssertions(facts: StyleFacts, texts: readonly string[]): TestStyle['assertions'] {
  if (facts.runner === 'vitest' || facts.runner === 'jest') return 'expect';
  if (facts.runner === 'ava') return 'ava';
  const uses = (pattern: RegExp) => texts.filter((t) => pattern.test(t)).length;
  const chai = uses(/['"]chai['"]/);
  return chai > 0 && chai >= uses(/['"](node:)?assert(\/strict)?['"]/) ? 'chai' : 'node:assert';
}

function resolveGlobals(facts: StyleFacts, texts: readonly string[]): boolean {
  switch (facts.runner) {
    case 'vitest':
      return facts.vitestGlobals;
    case 'jest':
      return !texts.some((t) => /['"]@jest\/globals['"]/.test(t));
    case 'mocha':
      return true;
    default:
      return false;
  }
}

/** Pure: the style the facts of one package show; see `detectTestStyle`. */
export function resolveTestStyle(facts: StyleFacts): TestStyle {
  const tests = [...facts.tests.keys()];
  const texts = [...facts.tests.values()];
  const placement = resolvePlacement(facts, tests);
  const foundInfix = majority(tests.map(infixOf), ['.test', '.spec', '']) ?? '.test';
  const infix = placement.kind === 'beside' && foundInfix === '' ? '.test' : foundInfix;
  const extension = resolveExtension(facts, tests);
  const module = resolveModule(facts, extension, texts);
  const typescript = extension === '.ts' || extension === '.mts' || extension === '.cts';
  const files = new Set(facts.files);
  const said = [...facts.tests].flatMap(([file, text]) => {
    const { imports, requires } = specifiers(text);
    return [...imports, ...requires]
      .map((spec) => importExtensionOf(files, file, spec))
      .filter((e): e is TestStyle['importExtension'] => e !== undefined);
  });
  const fallback: TestStyle['importExtension'] = typescript
    ? facts.nodeNext
      ? '.js'
      : ''
    : module === 'esm'
      ? 'same'
      : '';
  const importExtension =
    majority<TestStyle['importExtension']>(said, ['.js', '', 'same', '.ts']) ?? fallback;
  const matching = tests.filter(
    (t) =>
      infixOf(t) === infix && (testFolderOf(t) === undefined) === (placement.kind === 'beside'),
  );
  const example = matching[0] ?? tests[0];
  return {
    runner: facts.runner,
    packageDir: facts.packageDir,
    placement,
    infix,
    extension,
    module,
    importExtension,
    globals: resolveGlobals(facts, texts),
    assertions: resolveAssertions(facts, texts),
    example: example === undefined ? undefined : posix.join(facts.packageDir, example),
  };
}

/**
 * The repository's test style, from its runner and its existing test files; undefined when no
 * part runs a runner we can write for (a test script we only run as it is).
 */
export async function detectTestStyle(
  root: string,
  info: TestRunnerInfo,
): Promise<TestStyle | undefined> {
  const part = info.parts.find((p): p is RunnerPart => p.kind === 'runner');
  if (part === undefined) return undefined;
  return resolveTestStyle(await readStyleFacts(root, part));
}

const SOURCE_EXTENSION = /\.[cm]?[jt]sx?$/;

/** Where the generated test for `sourceFile` (root-relative) goes, root-relative. */
export function testPathFor(style: TestStyle, sourceFile: string): string {
  const file = sourceFile.split('\\').join('/');
  const { placement } = style;
  // Beside its source, a test needs an infix not to take the source's own name.
  const infix = placement.kind === 'beside' && style.infix === '' ? '.test' : style.infix;
  const name = `${posix.basename(file).replace(SOURCE_EXTENSION, '')}${infix}${style.extension}`;
  if (placement.kind === 'beside') return posix.join(posix.dirname(file), name);
  if (placement.nested === true) return posix.join(posix.dirname(file), placement.dir, name);
  const inPackage =
    style.packageDir !== '' && file.startsWith(`${style.packageDir}/`)
      ? file.slice(style.packageDir.length + 1)
      : file;
  if (!placement.mirror) return posix.join(style.packageDir, placement.dir, name);
  const sourceDir =
    placement.sourceDir ?? SOURCE_DIRS.find((d) => inPackage.startsWith(`${d}/`)) ?? '';
  const below =
    sourceDir !== '' && inPackage.startsWith(`${sourceDir}/`)
      ? inPackage.slice(sourceDir.length + 1)
      : inPackage;
  return posix.join(style.packageDir, placement.dir, posix.dirname(below), name);
}

const JS_FOR: Record<string, string> = {
  '.ts': '.js',
  '.tsx': '.js',
  '.mts': '.mjs',
  '.cts': '.cjs',
  '.jsx': '.js',
};

/** The import specifier a test at `testFile` writes for `sourceFile` (both root-relative). */
export function importSpecifier(style: TestStyle, testFile: string, sourceFile: string): string {
  const source = sourceFile.split('\\').join('/');
  const ext = posix.extname(source);
  const relative = posix.relative(posix.dirname(testFile.split('\\').join('/')), source);
  const path = relative.startsWith('.') ? relative : `./${relative}`;
  const stem = SOURCE_EXTENSION.test(ext) ? path.slice(0, -ext.length) : path;
  switch (style.importExtension) {
    case '':
      return stem;
    case '.js':
      return stem + (JS_FOR[ext] ?? ext);
    case '.ts':
    case 'same':
      return path;
  }
}
