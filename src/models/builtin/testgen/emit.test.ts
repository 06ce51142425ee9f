import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  detectTestRunner,
  runTests,
  testPathFor,
  type TestRun,
  type TestStyle,
} from '../../../fixes/index.js';
import { RUN_TIMEOUT_MS, createFixture, type Fixture } from '../../../fixes/gate/testing.js';
import { emitTestFile, minimiseCalls } from './emit.js';
import type { CallSite, Exploration, ObservedCall, Outcome } from './types.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

const slow = { timeout: RUN_TIMEOUT_MS * 4 };

const BODY = `function add(a, b) { return a + b; }
function pair(a, b) { return { a, b, sum: a + b }; }
function range(n) { return Array.from({ length: n }, (_, i) => i); }
function parse(text) {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  return JSON.parse(text);
}
async function later(x) { return x * 2; }
async function fail(message) { throw new RangeError(message); }
function makeAdder(n) { return (x) => x + n; }
function shout() { throw 'boom'; }
function apply(f, x) { return f(x); }
function rand() { return Math.random(); }
function flaky() { throw new Error('at ' + Math.random()); }
class Point { constructor(x, y) { this.x = x; this.y = y; } }
function point(x, y) { return new Point(x, y); }
class Counter {
  constructor(start) { this.count = start; }
  inc(by = 1) { this.count += by; return this.count; }
  static zero() { return new Counter(0); }
}
`;
const NAMES =
  'add, pair, range, parse, later, fail, makeAdder, shout, apply, rand, flaky, point, Counter';

const ESM_SOURCE = `${BODY}export { ${NAMES} };
export default function greet(name) { return \`hi \${name}\`; }
`;
const CJS_SOURCE = `${BODY}module.exports = { ${NAMES} };\n`;

const TS_SOURCE = `export function add(a: number, b: number): number { return a + b; }
export function pair(a: number, b: number): { a: number; b: number; sum: number } {
  return { a, b, sum: a + b };
}
export function range(n: number): number[] { return Array.from({ length: n }, (_, i) => i); }
export function parse(text: string): unknown {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  return JSON.parse(text);
}
export async function later(x: number): Promise<number> { return x * 2; }
export async function fail(message: string): Promise<never> { throw new RangeError(message); }
export function makeAdder(n: number): (x: number) => number { return (x) => x + n; }
export function shout(): never { throw 'boom'; }
export function apply<T>(f: (x: number) => T, x: number): T { return f(x); }
export function rand(): number { return Math.random(); }
export function flaky(): never { throw new Error('at ' + Math.random()); }
class Point { constructor(public x: number, public y: number) {} }
export function point(x: number, y: number): Point { return new Point(x, y); }
export class Counter {
  count: number;
  constructor(start: number) { this.count = start; }
  inc(by = 1): number { this.count += by; return this.count; }
  static zero(): Counter { return new Counter(0); }
}
export default function greet(name: string): string { return \`hi \${name}\`; }
`;

const ret = (value: string | undefined, typeOf: string, async = false): Outcome => ({
  kind: 'return',
  value,
  typeOf,
  async,
});
const thr = (name: string, message: string, async = false): Outcome => ({
  kind: 'throw',
  name,
  message,
  async,
});
const fn = (exportName: string, ...args: string[]): CallSite => ({
  exportName,
  kind: 'function',
  args,
});
const observed = (call: CallSite, outcome: Outcome, deterministic = true): ObservedCall => ({
  call,
  outcome,
  keys: [],
  deterministic,
});

/** What exploring the module above could have found: every kind of call and outcome. */
function exploration(file: string, withDefault: boolean): Exploration {
  const calls: ObservedCall[] = [
    observed(fn('add', '1', '2'), ret('3', 'number')),
    observed(fn('add', "'a'", "'b'"), ret("'ab'", 'string')),
    observed(fn('pair', '1', '2'), ret('{ a: 1, b: 2, sum: 3 }', 'object')),
    observed(fn('range', '3'), ret('[0, 1, 2]', 'array')),
    observed(fn('parse', '42'), thr('TypeError', 'text must be a string')),
    observed(fn('parse', `'{"x":[1]}'`), ret('{ x: [1] }', 'object')),
    observed(fn('later', '2'), ret('4', 'number', true)),
    observed(fn('fail', "'nope'"), thr('RangeError', 'nope', true)),
    observed(fn('makeAdder', '1'), ret(undefined, 'function')),
    observed(fn('shout'), thr('string', 'boom')),
    observed(fn('apply', '(x) => x * 2', '3'), ret('6', 'number')),
    observed(fn('rand'), ret('0.25', 'number'), false),
    observed(fn('flaky'), thr('Error', 'at 0.5'), false),
    observed(fn('point', '1', '2'), ret('{ x: 1, y: 2 }', 'Point')),
    observed(fn('point', '3', '4'), ret(undefined, 'Point')),
    observed(
      {
        exportName: 'Counter',
        kind: 'method',
        member: 'inc',
        constructorArgs: ['1'],
        before: [{ member: 'inc', args: [] }],
        args: ['2'],
      },
      ret('4', 'number'),
    ),
    observed(
      { exportName: 'Counter', kind: 'static', member: 'zero', args: [] },
      ret(undefined, 'Counter'),
    ),
    observed(
      { exportName: 'Counter', kind: 'constructor', args: ['5'] },
      ret('{ count: 5 }', 'Counter'),
    ),
  ];
  if (withDefault) calls.push(observed(fn('default', "'ann'"), ret("'hi ann'", 'string')));
  return { file, calls, totalKeys: 0, coveredKeys: 0, skipped: [], tried: 40, durationMs: 1 };
}

const STYLE: TestStyle = {
  runner: 'vitest',
  packageDir: '',
  placement: { kind: 'beside' },
  infix: '.test',
  extension: '.js',
  module: 'esm',
  importExtension: 'same',
  globals: false,
  assertions: 'expect',
  example: undefined,
};

interface Setup {
  name: string;
  files: Record<string, string | object>;
  style: Partial<TestStyle>;
  source: 'esm' | 'cjs' | 'ts';
}

const TEST_FOLDER = { kind: 'folder', dir: 'test', mirror: false } as const;

const SETUPS: Setup[] = [
  {
    name: 'vitest, ESM',
    files: { 'package.json': { type: 'module', scripts: { test: 'vitest run' } } },
    style: {},
    source: 'esm',
  },
  {
    name: 'vitest, globals, CommonJS source',
    files: {
      'package.json': { scripts: { test: 'vitest run' } },
      'vitest.config.mjs': 'export default { test: { globals: true } };\n',
    },
    style: { globals: true, module: 'cjs', importExtension: '' },
    source: 'cjs',
  },
  {
    name: 'jest, CommonJS, globals',
    files: { 'package.json': { scripts: { test: 'jest' } } },
    style: {
      runner: 'jest',
      placement: TEST_FOLDER,
      module: 'cjs',
      importExtension: '',
      globals: true,
    },
    source: 'cjs',
  },
  {
    name: 'jest, ESM, @jest/globals',
    files: {
      'package.json': {
        type: 'module',
        scripts: { test: 'node --experimental-vm-modules node_modules/jest/bin/jest.js' },
      },
    },
    style: { runner: 'jest' },
    source: 'esm',
  },
  {
    name: 'mocha, CommonJS, node:assert',
    files: { 'package.json': { scripts: { test: 'mocha "test/**/*.test.js"' } } },
    style: {
      runner: 'mocha',
      placement: TEST_FOLDER,
      module: 'cjs',
      importExtension: '',
      globals: true,
      assertions: 'node:assert',
    },
    source: 'cjs',
  },
  {
    name: 'mocha, ESM, chai',
    files: { 'package.json': { type: 'module', scripts: { test: 'mocha "test/*.spec.js"' } } },
    style: {
      runner: 'mocha',
      placement: TEST_FOLDER,
      infix: '.spec',
      globals: true,
      assertions: 'chai',
    },
    source: 'esm',
  },
  {
    name: 'mocha, CommonJS, chai',
    files: { 'package.json': { scripts: { test: 'mocha "test/*.spec.js"' } } },
    style: {
      runner: 'mocha',
      placement: TEST_FOLDER,
      infix: '.spec',
      module: 'cjs',
      importExtension: '',
      globals: true,
      assertions: 'chai',
    },
    source: 'cjs',
  },
  {
    name: 'node:test, ESM, a test folder without infix',
    files: { 'package.json': { type: 'module', scripts: { test: 'node --test test/' } } },
    style: { runner: 'node:test', placement: TEST_FOLDER, infix: '', assertions: 'node:assert' },
    source: 'esm',
  },
  {
    name: 'node:test, CommonJS',
    files: { 'package.json': { scripts: { test: 'node --test' } } },
    style: { runner: 'node:test', module: 'cjs', importExtension: '', assertions: 'node:assert' },
    source: 'cjs',
  },
  {
    name: 'ava, ESM',
    files: { 'package.json': { type: 'module', scripts: { test: 'ava' } } },
    style: { runner: 'ava', placement: TEST_FOLDER, assertions: 'ava' },
    source: 'esm',
  },
  {
    name: 'ava, CommonJS',
    files: { 'package.json': { scripts: { test: 'ava' } } },
    style: {
      runner: 'ava',
      placement: TEST_FOLDER,
      module: 'cjs',
      importExtension: '',
      assertions: 'ava',
    },
    source: 'cjs',
  },
];

async function runEmitted(
  setup: Setup,
  mutate?: (source: string) => string,
): Promise<{ run: TestRun; cases: number; content: string }> {
  const sourceFile = setup.source === 'ts' ? 'src/lib.ts' : 'src/lib.js';
  const text = { esm: ESM_SOURCE, cjs: CJS_SOURCE, ts: TS_SOURCE }[setup.source];
  const style = { ...STYLE, ...setup.style };
  const testFile = testPathFor(style, sourceFile);
  const emitted = emitTestFile(style, exploration(sourceFile, setup.source !== 'cjs'), testFile);
  fixture = await createFixture({
    ...setup.files,
    [sourceFile]: mutate ? mutate(text) : text,
    [testFile]: emitted.content,
  });
  const detected = await detectTestRunner(fixture.root);
  if (!('runner' in detected)) throw new Error(detected.reason);
  const run = await runTests(detected.runner, {
    cwd: fixture.root,
    timeoutMs: RUN_TIMEOUT_MS,
    testFiles: [testFile],
  });
  return { run, cases: emitted.cases, content: emitted.content };
}

/** Changes every behaviour a case pins, except five that nothing below changes or that are asserted by type. */
function mutate(source: string): string {
  const changes: [string, string][] = [
    ['return a + b;', 'return a - b;'],
    ['sum: a + b', 'sum: a + b + 1'],
    ['(_, i) => i)', '(_, i) => i + 1)'],
    ["throw new TypeError('text must be a string')", "throw new Error('text must be a string')"],
    ['return x * 2; }', 'return x * 3; }'],
    ['throw new RangeError(message)', "throw new RangeError(message + '!')"],
    ['return (x) => x + n;', 'return n;'],
    ["throw 'boom'", "throw 'bang'"],
    ['this.y = y;', 'this.y = -y;'],
    ['this.count += by;', 'this.count += by + 1;'],
    ['static zero() { return new Counter(0); }', 'static zero() { return { count: 0 }; }'],
    ['`hi ${name}`', '`hello ${name}`'],
  ];
  let changed = source;
  for (const [from, to] of changes) {
    // The CommonJS module has no default export.
    if (from.includes('hi ') && !changed.includes(from)) continue;
    if (!changed.includes(from)) throw new Error(`mutation not applied: ${from}`);
    changed = changed.replace(from, to);
  }
  return changed;
}

/** Titles of the cases the mutation leaves passing: nothing they pin changed. */
const UNCHANGED = [
  'apply((x) => x * 2, 3) returns 6',
  'flaky() throws Error',
  'new Counter(5) returns { count: 5 }',
  `parse('{"x":[1]}') returns { x: [1] }`,
  'point(3, 4) returns a Point',
  'rand() returns a number',
];

function titles(run: TestRun, outcome: 'pass' | 'fail'): string[] {
  return Object.entries(run.tests)
    .filter(([, o]) => o === outcome)
    .map(([id]) => id.replace(/^.* (>|›) /, ''))
    .map((title) => UNCHANGED.find((t) => title.endsWith(t)) ?? title) // mocha: `describe title`
    .sort();
}

describe('emitted tests run and pass under the real runners, and fail on a changed source', () => {
  it.each(SETUPS)('$name', slow, async (setup) => {
    const { run, cases, content } = await runEmitted(setup);
    expect(cases).toBe(setup.source === 'cjs' ? 18 : 19);
    expect(run.status, `${content}\n${run.output}`).toBe('ran');
    expect({ executed: run.executed, failed: run.failed }, `${content}\n${run.output}`).toEqual({
      executed: cases,
      failed: 0,
    });
    await fixture?.remove();
    const mutated = (await runEmitted(setup, mutate)).run;
    expect(mutated.executed, mutated.output).toBe(cases);
    expect(titles(mutated, 'pass'), mutated.output).toEqual(UNCHANGED);
    expect(mutated.failed).toBe(cases - UNCHANGED.length);
  });

  it('type-checks and passes as TypeScript under vitest (NodeNext)', slow, async () => {
    const setup: Setup = {
      name: 'vitest, TypeScript',
      files: {
        'package.json': { type: 'module', scripts: { test: 'vitest run' } },
        'tsconfig.json': {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: [],
          },
          include: ['src'],
        },
      },
      style: { extension: '.ts', importExtension: '.js' },
      source: 'ts',
    };
    const { run, cases, content } = await runEmitted(setup);
    expect(content).toContain("from './lib.js'");
    expect({ executed: run.executed, failed: run.failed }, `${content}\n${run.output}`).toEqual({
      executed: cases,
      failed: 0,
    });
    const tsc = join(fixture?.root ?? '', 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: fixture?.root,
    }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(checked, content).toBe('');
  });
});

describe('emitTestFile', () => {
  it('writes readable, deterministic tests', () => {
    const style: TestStyle = { ...STYLE, extension: '.ts', importExtension: '.js' };
    const first = emitTestFile(style, exploration('src/lib.ts', true), 'src/lib.test.ts');
    const again = emitTestFile(style, exploration('src/lib.ts', true), 'src/lib.test.ts');
    expect(again).toEqual(first);
    expect(first.content).toMatch(/^\/\/ Generated by BEAST MODE's builtin:testgen/);
    expect(first.content).toContain(
      "import lib, { add, pair, range, parse, later, fail, makeAdder, shout, apply, rand, flaky, point, Counter } from './lib.js';",
    );
    expect(first.content).toContain(
      "  it('add(1, 2) returns 3', () => {\n    expect(add(1 as never, 2 as never)).toBe(3);\n  });",
    );
    expect(first.content).toContain('apply(((x: any) => x * 2) as never, 3 as never)');
    expect(first.content).toContain(
      "it('new Counter(1).inc().inc(2) returns 4', () => {\n    const counter = new Counter(1 as never);\n    counter.inc();\n",
    );
    expect(first.content).toContain(
      "it('rand() returns a number', () => {\n    const result: unknown = rand();\n    expect(typeof result).toBe('number');",
    );
  });

  it('names repeated titles apart', () => {
    const twice: Exploration = {
      ...exploration('src/lib.js', false),
      calls: [
        observed(fn('add', '1', '2'), ret('3', 'number')),
        observed(fn('add', '1', '2'), ret('3', 'number')),
      ],
    };
    const { content, cases } = emitTestFile(
      { ...STYLE, runner: 'ava', assertions: 'ava' },
      twice,
      'test/lib.test.js',
    );
    expect(cases).toBe(2);
    expect(content).toContain("test('add(1, 2) returns 3 (2)', (t) => {");
  });
});

describe('CommonJS compiled from ES modules', () => {
  it('takes the default export from require(...).default when the module set __esModule', () => {
    const style: TestStyle = {
      ...STYLE,
      module: 'cjs',
      runner: 'node:test',
      assertions: 'node:assert',
    };
    const base: Exploration = {
      file: 'lib/delta.js',
      calls: [
        observed(
          { exportName: 'default', kind: 'constructor', args: ['[]'] },
          ret(undefined, 'Delta'),
        ),
      ],
      totalKeys: 1,
      coveredKeys: 1,
      skipped: [],
      tried: 1,
      durationMs: 1,
    };
    const plain = emitTestFile(style, base, 'lib/delta.test.js').content;
    const compiled = emitTestFile(
      style,
      { ...base, esModuleInterop: true },
      'lib/delta.test.js',
    ).content;
    expect(plain).toMatch(/const \w+ = require\('\.\/delta\.js'\);/);
    expect(compiled).toMatch(/const \w+ = require\('\.\/delta\.js'\)\.default;/);
  });
});

describe('minimiseCalls', () => {
  const keyed = (keys: string[], deterministic = true): ObservedCall => ({
    ...observed(fn('f', String(keys.length)), ret('1', 'number'), deterministic),
    keys,
  });

  it('keeps the fewest calls that reach every key, in their order', () => {
    const a = keyed(['s:1', 's:2']);
    const b = keyed(['s:1', 's:2', 's:3']);
    const c = keyed(['s:4']);
    const d = keyed(['s:3']);
    expect(minimiseCalls([a, b, c, d])).toEqual([b, c]);
  });

  it('drops calls that throw a ReferenceError: a missing global is not behaviour', () => {
    const missing = observed(fn('readRoute'), thr('ReferenceError', 'window is not defined'));
    const kept = observed(fn('routeHref', '1'), ret("'#repo=1'", 'string'));
    expect(
      minimiseCalls([
        { ...missing, keys: ['s:1', 's:2'] },
        { ...kept, keys: ['s:3'] },
      ]),
    ).toEqual([{ ...kept, keys: ['s:3'] }]);
  });

  it('drops calls that are not deterministic, even when they reach more', () => {
    const a = keyed(['s:1', 's:2', 's:3'], false);
    const b = keyed(['s:1']);
    expect(minimiseCalls([a, b])).toEqual([b]);
  });

  it('keeps one call per export and outcome when there is no coverage to go by', () => {
    const a = keyed([]);
    const b = keyed([]);
    const c = { ...keyed([]), outcome: thr('TypeError', 'x') };
    expect(minimiseCalls([a, b, c])).toEqual([a, c]);
  });
});
