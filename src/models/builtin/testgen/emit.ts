import { importSpecifier, type TestStyle } from '../../../fixes/index.js';
import type { CallSite, Exploration, Expression, ObservedCall, Outcome } from './types.js';

/** A generated test file. */
export interface EmittedTest {
  /** Root-relative path of the test file. */
  file: string;
  content: string;
  /** Test cases in it. */
  cases: number;
}

/** What makes two calls the same case when there is no coverage to tell them apart. */
function caseKey(call: ObservedCall): string {
  const { outcome } = call;
  const kind = outcome.kind === 'throw' ? `throw:${outcome.name}` : `return:${outcome.typeOf}`;
  return `${call.call.exportName}.${call.call.member ?? ''}:${call.call.kind}:${kind}`;
}

/**
 * The fewest calls that reach every key the exploration reached (greedy set cover), keeping only
 * deterministic calls.
 */
function isReferenceError(call: ObservedCall): boolean {
  return call.outcome.kind === 'throw' && call.outcome.name === 'ReferenceError';
}

export function minimiseCalls(calls: readonly ObservedCall[]): ObservedCall[] {
  const candidates = calls
    .map((call, index) => ({ call, index, keys: new Set(call.keys) }))
    // A ReferenceError is a missing global (`window` outside a browser), not behaviour to pin.
    .filter((c) => c.call.deterministic && !isReferenceError(c.call));
  if (candidates.every((c) => c.keys.size === 0)) {
    // No coverage to minimise over (it could not be measured): one call per export and outcome.
    const seen = new Set<string>();
    return candidates
      .filter((c) => !seen.has(caseKey(c.call)) && seen.add(caseKey(c.call)))
      .map((c) => c.call);
  }
  const covered = new Set<string>();
  const chosen: number[] = [];
  for (;;) {
    let best: (typeof candidates)[number] | undefined;
    let bestGain = 0;
    for (const candidate of candidates) {
      let gain = 0;
      for (const key of candidate.keys) if (!covered.has(key)) gain++;
      // Ties go to the earlier call: the order of discovery, so the result is deterministic.
      if (gain > bestGain) {
        best = candidate;
        bestGain = gain;
      }
    }
    if (best === undefined) break;
    for (const key of best.keys) covered.add(key);
    chosen.push(best.index);
  }
  return chosen.sort((a, b) => a - b).flatMap((index) => calls[index] ?? []);
}

/** How a file asserts and declares tests, from the runner and the repository's assertions. */
type Dialect = 'expect' | 'node:assert' | 'chai' | 'ava';

interface Writer {
  style: TestStyle;
  dialect: Dialect;
  typescript: boolean;
  esm: boolean;
  /** Local names of the exports, by export name. */
  names: Map<string, string>;
  /** Exports that are classes the test can name (for `instanceof`). */
  classes: Set<string>;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(
  (
    'describe it test expect assert result thrown threw instance t break case catch class const ' +
    'continue debugger default delete do else export extends finally for function if import in ' +
    'instanceof new return super switch this throw try typeof var void while with yield let ' +
    'static enum await implements package protected interface private public null true false'
  ).split(' '),
);

/** Built-in classes an observed `typeOf` may name, checked with `instanceof`. */
const GLOBAL_CLASSES = new Set([
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'Date',
  'RegExp',
  'Promise',
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'ArrayBuffer',
  'DataView',
  'Uint8Array',
  'Int8Array',
  'Uint16Array',
  'Int16Array',
  'Uint32Array',
  'Int32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'URL',
  'URLSearchParams',
]);

const TYPEOF_NAMES = new Set([
  'string',
  'number',
  'boolean',
  'bigint',
  'symbol',
  'function',
  'object',
  'undefined',
]);

/** A JavaScript string literal: single-quoted, or double-quoted when that escapes less. */
function quote(text: string): string {
  const json = JSON.stringify(text);
  if (text.includes("'") && !text.includes('"')) return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

/** An expression on one line, cut to `max` characters. */
function compact(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

const ARROW_PARAMS = /(^|[^\w$.])\(([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)*)\)(\s*=>)/g;
const ARROW_PARAM = /(^|[(,:[=?]\s*)([A-Za-z_$][\w$]*)(\s*=>)/g;

/**
 * An argument as a TypeScript test writes it: cast `as never`, which type-checks whatever the
 * parameter's type (an observed input need not match the declared one), with the parameters of
 * an arrow function typed `any`, since a cast gives them no contextual type. Strings are left as
 * they are.
 */
function looseArgument(arg: Expression): string {
  const parts = arg.split(/('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`)/);
  const typed = parts
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(
              ARROW_PARAMS,
              (_, before: string, params: string, arrow: string) =>
                `${before}(${params
                  .split(',')
                  .map((p) => `${p.trim()}: any`)
                  .join(', ')})${arrow}`,
            )
            .replace(
              ARROW_PARAM,
              (_, before: string, param: string, arrow: string) =>
                `${before}(${param}: any)${arrow}`,
            ),
    )
    .join('');
  const bare =
    /^[\w$.-]+$/.test(typed) ||
    (parts.length === 3 && parts[0] === '' && parts[2] === '') ||
    enclosed(typed);
  return `${bare ? typed : `(${typed})`} as never`;
}

/** Whether an expression is one bracketed literal (`[1, 2]`, `{ a: 1 }`), needing no parentheses. */
function enclosed(text: string): boolean {
  const close: Record<string, string> = { '[': ']', '{': '}' };
  const first = text[0] ?? '';
  if (close[first] === undefined || !text.endsWith(close[first])) return false;
  let depth = 0;
  let quoteChar: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quoteChar !== undefined) {
      if (c === '\\') i++;
      else if (c === quoteChar) quoteChar = undefined;
    } else if (c === "'" || c === '"' || c === '`') quoteChar = c;
    else if ('[{('.includes(c)) depth++;
    else if (']})'.includes(c) && --depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}

function argumentList(writer: Writer, args: readonly Expression[]): string {
  return args.map((a) => (writer.typescript ? looseArgument(a) : a)).join(', ');
}

function memberAccess(member: string): string {
  return IDENTIFIER.test(member) ? `.${member}` : `[${quote(member)}]`;
}

function localName(writer: Writer, exportName: string): string {
  return writer.names.get(exportName) ?? exportName;
}

/** The instance a method call sequence runs on: `counter` for `Counter`. */
function instanceName(writer: Writer, exportName: string): string {
  const local = localName(writer, exportName);
  const lower = local.charAt(0).toLowerCase() + local.slice(1);
  const taken = new Set(writer.names.values());
  return lower !== local && IDENTIFIER.test(lower) && !RESERVED.has(lower) && !taken.has(lower)
    ? lower
    : 'instance';
}

/** The statements before the call and the call expression itself. */
function callCode(writer: Writer, call: CallSite): { setup: string[]; expression: string } {
  const name = localName(writer, call.exportName);
  const args = argumentList(writer, call.args);
  const member = memberAccess(call.member ?? '');
  switch (call.kind) {
    case 'function':
      return { setup: [], expression: `${name}(${args})` };
    case 'constructor':
      return { setup: [], expression: `new ${name}(${args})` };
    case 'static':
      return { setup: [], expression: `${name}${member}(${args})` };
    case 'method': {
      const instance = instanceName(writer, call.exportName);
      const setup = [
        `const ${instance} = new ${name}(${argumentList(writer, call.constructorArgs ?? [])});`,
        ...(call.before ?? []).map(
          (b) => `${instance}${memberAccess(b.member)}(${argumentList(writer, b.args)});`,
        ),
      ];
      return { setup, expression: `${instance}${member}(${args})` };
    }
  }
}

/** What the title says was called: `add(1, 2)`, `new Counter(0).inc().value()`. */
function callTitle(writer: Writer, call: CallSite): string {
  const name = localName(writer, call.exportName);
  const args = (list: readonly Expression[] | undefined) =>
    (list ?? []).map((a) => compact(a, 24)).join(', ');
  switch (call.kind) {
    case 'function':
      return `${name}(${args(call.args)})`;
    case 'constructor':
      return `new ${name}(${args(call.args)})`;
    case 'static':
      return `${name}.${call.member ?? ''}(${args(call.args)})`;
    case 'method':
      return [
        `new ${name}(${args(call.constructorArgs)})`,
        ...(call.before ?? []).map((b) => `${b.member}(${args(b.args)})`),
        `${call.member ?? ''}(${args(call.args)})`,
      ].join('.');
  }
}

/** Whether the observed value is asserted by deep equality (else by its type). */
function writtenValue(call: ObservedCall): string | undefined {
  const { outcome } = call;
  return outcome.kind === 'return' && call.deterministic ? outcome.value : undefined;
}

function typeWords(typeOf: string): string {
  if (typeOf === 'null' || typeOf === 'undefined') return typeOf;
  return article(typeOf);
}

function outcomeTitle(call: ObservedCall): string {
  const { outcome } = call;
  if (outcome.kind === 'throw') {
    const what = !call.deterministic
      ? isErrorName(outcome.name)
        ? outcome.name
        : article(outcome.name)
      : isErrorName(outcome.name)
        ? compact(`${outcome.name}: ${outcome.message}`, 50)
        : `${article(outcome.name)} (${compact(outcome.message, 30)})`;
    return outcome.async ? `rejects with ${what}` : `throws ${what}`;
  }
  const value = writtenValue(call);
  const verb = outcome.async ? 'resolves to' : 'returns';
  if (value !== undefined && compact(value, 1000).length <= 30)
    return `${verb} ${compact(value, 30)}`;
  return `${verb} ${typeWords(outcome.typeOf)}`;
}

/** A thrown value's `name` is an error's when it is not a `typeof` word. */
function isErrorName(name: string): boolean {
  return !TYPEOF_NAMES.has(name);
}

/** A class instance written as an object literal: compared by its own properties. */
function ownProperties(writer: Writer, outcome: Outcome, expression: string): string {
  if (outcome.kind !== 'return' || outcome.value?.trimStart().startsWith('{') !== true) {
    return expression;
  }
  // toEqual ignores prototypes; node:assert, chai and ava compare them.
  if (writer.dialect !== 'expect' && /^[A-Z]/.test(outcome.typeOf) && outcome.typeOf !== 'Object') {
    return writer.typescript ? `{ ...(${expression} as object) }` : `{ ...${expression} }`;
  }
  return expression;
}

/** Checks of a value's type, on `result`. */
function typeChecks(writer: Writer, typeOf: string): string[] {
  const assert = assertion(writer);
  const obj = writer.typescript ? '(result as object)' : 'result';
  if (typeOf === 'array') return [assert.true('Array.isArray(result)')];
  if (typeOf === 'null') return [assert.is('result', 'null')];
  if (typeOf === 'undefined') return [assert.is('result', 'undefined')];
  if (TYPEOF_NAMES.has(typeOf)) return [assert.is('typeof result', quote(typeOf))];
  const local = writer.classes.has(typeOf) ? localName(writer, typeOf) : undefined;
  if (local !== undefined || GLOBAL_CLASSES.has(typeOf)) {
    return [assert.true(`result instanceof ${local ?? typeOf}`)];
  }
  return [assert.is(`${obj}.constructor.name`, quote(typeOf))];
}

/** The dialect's basic assertions, as statements. */
function assertion(writer: Writer): {
  is: (actual: string, expected: string) => string;
  true: (actual: string) => string;
  deep: (actual: string, expected: string) => string;
} {
  switch (writer.dialect) {
    case 'expect':
      return {
        is: (a, e) =>
          e === 'null'
            ? `expect(${a}).toBeNull();`
            : e === 'undefined'
              ? `expect(${a}).toBeUndefined();`
              : `expect(${a}).toBe(${e});`,
        true: (a) => `expect(${a}).toBe(true);`,
        deep: (a, e) => `expect(${a}).toEqual(${e});`,
      };
    case 'node:assert':
      return {
        is: (a, e) => `assert.strictEqual(${a}, ${e});`,
        true: (a) => `assert.ok(${a});`,
        deep: (a, e) => `assert.deepStrictEqual(${a}, ${e});`,
      };
    case 'chai':
      return {
        is: (a, e) => `expect(${a}).to.equal(${e});`,
        true: (a) => `expect(${a}).to.equal(true);`,
        deep: (a, e) => `expect(${a}).to.deep.equal(${e});`,
      };
    case 'ava':
      return {
        is: (a, e) => `t.is(${a}, ${e});`,
        true: (a) => `t.true(${a});`,
        // ava's deepEqual ties the expected type to the actual one: loosened in TypeScript.
        deep: (a, e) => `t.deepEqual(${a}${writer.typescript ? ' as unknown' : ''}, ${e});`,
      };
  }
}

/** `{ name: 'TypeError', message: 'x' }`; the name alone when the message varies between runs. */
function errorShape(name: string, message: string | undefined): string {
  return message === undefined
    ? `{ name: ${quote(name)} }`
    : `{ name: ${quote(name)}, message: ${quote(message)} }`;
}

/**
 * `const thrown = (() => { try { act; } catch (error) { return error; } return sentinel; })();`:
 * what the call threw, as one declaration whose value comes from the call (so an assertion on it
 * checks the target), or a sentinel whose type is not `name` when it threw nothing.
 */
function catchThrown(writer: Writer, name: string, act: string, isAsync: boolean): string[] {
  const sentinel = name === 'symbol' ? "'nothing was thrown'" : "Symbol('nothing was thrown')";
  return [
    `const thrown${writer.typescript ? ': unknown' : ''} = ${isAsync ? 'await (async ' : '('}() => {`,
    '  try {',
    `    ${act};`,
    '  } catch (error) {',
    '    return error;',
    '  }',
    `  return ${sentinel};`,
    '})();',
  ];
}

/** The statements that check a thrown value that is not an error. */
function caughtChecks(
  writer: Writer,
  outcome: Extract<Outcome, { kind: 'throw' }>,
  act: string,
  deterministic: boolean,
): string[] {
  const assert = assertion(writer);
  const printable =
    deterministic && ['string', 'number', 'boolean', 'bigint'].includes(outcome.name);
  return [
    ...catchThrown(writer, outcome.name, act, outcome.async),
    assert.is('typeof thrown', quote(outcome.name)),
    ...(printable ? [assert.is('String(thrown)', quote(outcome.message))] : []),
  ];
}

function throwStatements(
  writer: Writer,
  call: ObservedCall,
  outcome: Extract<Outcome, { kind: 'throw' }>,
  expression: string,
): string[] {
  const act = outcome.async ? `await ${expression}` : expression;
  if (!isErrorName(outcome.name)) return caughtChecks(writer, outcome, act, call.deterministic);
  const shape = errorShape(outcome.name, call.deterministic ? outcome.message : undefined);
  switch (writer.dialect) {
    case 'expect':
      return outcome.async
        ? [`await expect(${expression}).rejects.toMatchObject(${shape});`]
        : [`expect(() => ${expression}).toThrow(expect.objectContaining(${shape}));`];
    case 'node:assert':
      return outcome.async
        ? [`await assert.rejects(async () => ${expression}, ${shape});`]
        : [`assert.throws(() => ${expression}, ${shape});`];
    case 'ava':
      return outcome.async
        ? [`await t.throwsAsync(async () => ${expression}, ${shape});`]
        : [`t.throws(() => ${expression}, ${shape});`];
    case 'chai':
      if (!outcome.async)
        return [`expect(() => ${expression}).to.throw().that.includes(${shape});`];
      return [
        ...catchThrown(writer, outcome.name, act, true),
        `expect(thrown).to.include(${shape});`,
      ];
  }
}

/** A value compared by identity: a primitive (NaN aside, which chai's `equal` never matches). */
function isPrimitive(typeOf: string, value: string): boolean {
  const primitive = ['number', 'string', 'boolean', 'bigint', 'undefined', 'null'].includes(typeOf);
  return primitive && value !== 'NaN';
}

function returnStatements(
  writer: Writer,
  call: ObservedCall,
  outcome: Extract<Outcome, { kind: 'return' }>,
  expression: string,
): string[] {
  const value = writtenValue(call);
  const assert = assertion(writer);
  if (value !== undefined) {
    if (writer.dialect === 'expect' && outcome.async) {
      const matcher = isPrimitive(outcome.typeOf, value) ? 'toBe' : 'toEqual';
      return [`await expect(${expression}).resolves.${matcher}(${value});`];
    }
    const actual = outcome.async ? `await ${expression}` : expression;
    if (isPrimitive(outcome.typeOf, value)) return [assert.is(actual, value)];
    return [assert.deep(ownProperties(writer, outcome, actual), value)];
  }
  const declare = writer.typescript ? ': unknown' : '';
  return [
    `const result${declare} = ${outcome.async ? 'await ' : ''}${expression};`,
    ...typeChecks(writer, outcome.typeOf),
  ];
}

/** One test case: its title and body statements. */
function caseOf(writer: Writer, call: ObservedCall): { title: string; body: string[] } {
  const { setup, expression } = callCode(writer, call.call);
  const { outcome } = call;
  const checks =
    outcome.kind === 'throw'
      ? throwStatements(writer, call, outcome, expression)
      : returnStatements(writer, call, outcome, expression);
  return {
    title: compact(`${callTitle(writer, call.call)} ${outcomeTitle(call)}`, 100),
    body: [...setup, ...checks],
  };
}

function dialectOf(style: TestStyle): Dialect {
  if (style.runner === 'vitest' || style.runner === 'jest') return 'expect';
  if (style.runner === 'ava') return 'ava';
  return style.assertions === 'chai' ? 'chai' : 'node:assert';
}

/** An identifier for the default export: the file's name, `Counter` for a class. */
function defaultName(file: string, isClass: boolean, taken: ReadonlySet<string>): string {
  const base = (file.split('/').pop() ?? '').replace(/\..*$/, '');
  const camel = base.replace(/[-_.\s]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
  const name = isClass ? camel.charAt(0).toUpperCase() + camel.slice(1) : camel;
  return IDENTIFIER.test(name) && !RESERVED.has(name) && !taken.has(name) ? name : 'defaultExport';
}

/** The local name of every export the calls use, default last. */
function nameExports(
  exploration: Exploration,
  calls: readonly ObservedCall[],
): Map<string, string> {
  const used = [...new Set(calls.map((c) => c.call.exportName))];
  const names = new Map<string, string>();
  for (const name of used.filter((n) => n !== 'default')) {
    names.set(name, RESERVED.has(name) ? `${name}Export` : name);
  }
  if (used.includes('default')) {
    const isClass = calls.some(
      (c) => c.call.exportName === 'default' && c.call.kind !== 'function',
    );
    names.set('default', defaultName(exploration.file, isClass, new Set(names.values())));
  }
  return names;
}

function runnerImports(writer: Writer): string[] {
  const { style, esm } = writer;
  const from = (names: string, module: string) =>
    esm ? `import ${names} from ${quote(module)};` : `const ${names} = require(${quote(module)});`;
  const lines: string[] = [];
  if (style.runner === 'vitest' && !style.globals) {
    lines.push(from('{ describe, expect, it }', 'vitest'));
  }
  if (style.runner === 'jest' && !style.globals) {
    lines.push(from('{ describe, expect, it }', '@jest/globals'));
  }
  if (style.runner === 'node:test') lines.push(from('{ describe, it }', 'node:test'));
  if (style.runner === 'ava') lines.push(from('test', 'ava'));
  if (writer.dialect === 'node:assert') lines.push(from('assert', 'node:assert/strict'));
  if (writer.dialect === 'chai') lines.push(from('{ expect }', 'chai'));
  return lines;
}

function sourceImport(writer: Writer, specifier: string, esModuleInterop: boolean): string[] {
  const named = [...writer.names].filter(([exported]) => exported !== 'default');
  const list = named
    .map(([exported, local]) => (exported === local ? local : `${exported} as ${local}`))
    .join(', ');
  const fallback = writer.names.get('default');
  const spec = quote(specifier);
  if (writer.esm) {
    const parts = [fallback, named.length > 0 ? `{ ${list} }` : undefined].filter(Boolean);
    return [`import ${parts.join(', ')} from ${spec};`];
  }
  const destructure = named
    .map(([exported, local]) => (exported === local ? local : `${exported}: ${local}`))
    .join(', ');
  // A CommonJS module's default export is `module.exports` itself, as `import()` sees it, unless
  // it was compiled from ES modules (`exports.__esModule`): then it is `.default`.
  if (fallback === undefined) return [`const { ${destructure} } = require(${spec});`];
  if (esModuleInterop) {
    const lines = [`const ${fallback} = require(${spec}).default;`];
    if (named.length > 0) lines.push(`const { ${destructure} } = require(${spec});`);
    return lines;
  }
  const lines = [`const ${fallback} = require(${spec});`];
  if (named.length > 0) lines.push(`const { ${destructure} } = ${fallback};`);
  return lines;
}

function indent(lines: readonly string[], depth: number): string[] {
  const pad = '  '.repeat(depth);
  return lines.map((line) => (line === '' ? '' : `${pad}${line}`));
}

function testBlock(writer: Writer, title: string, body: readonly string[]): string[] {
  const isAsync = body.some((line) => /\bawait\b/.test(line));
  const prefix = isAsync ? 'async ' : '';
  const open =
    writer.style.runner === 'ava'
      ? `test(${quote(title)}, ${prefix}(t) => {`
      : `it(${quote(title)}, ${prefix}() => {`;
  return [open, ...indent(body, 1), '});'];
}

/**
 * Writes a characterisation test for an exploration in the repository's style: one test per
 * call, asserting the observed return value (deep equality), type or thrown error.
 */
export function emitTestFile(
  style: TestStyle,
  exploration: Exploration,
  testFile: string,
): EmittedTest {
  const calls = exploration.calls;
  const typescript = /\.[cm]?tsx?$/.test(testFile);
  const esm =
    typescript ||
    style.runner === 'vitest' ||
    /\.m[jt]s$/.test(testFile) ||
    (style.module === 'esm' && !testFile.endsWith('.cjs'));
  const names = nameExports(exploration, calls);
  const classes = new Set(
    calls
      .filter((c) => c.call.kind !== 'function' && c.call.exportName !== 'default')
      .map((c) => c.call.exportName),
  );
  const writer: Writer = { style, dialect: dialectOf(style), typescript, esm, names, classes };
  const seen = new Map<string, number>();
  const cases = calls.map((call) => {
    const made = caseOf(writer, call);
    const count = (seen.get(made.title) ?? 0) + 1;
    seen.set(made.title, count);
    return { ...made, title: count > 1 ? `${made.title} (${count})` : made.title, call };
  });
  const header = [
    `// Generated by BEAST MODE's builtin:testgen: characterisation tests of ${exploration.file}.`,
    '// They pin its current behaviour, as observed: a failure means that behaviour changed.',
  ];
  const imports = [
    ...runnerImports(writer),
    ...(names.size > 0
      ? sourceImport(
          writer,
          importSpecifier(style, testFile, exploration.file),
          exploration.esModuleInterop === true,
        )
      : []),
  ];
  const body: string[] = [];
  if (style.runner === 'ava') {
    for (const c of cases) body.push('', ...testBlock(writer, c.title, c.body));
  } else {
    const groups = [...new Set(cases.map((c) => c.call.call.exportName))];
    for (const group of groups) {
      const title = group === 'default' ? `${localName(writer, group)} (default export)` : group;
      const inner = cases
        .filter((c) => c.call.call.exportName === group)
        .flatMap((c, i) => [...(i > 0 ? [''] : []), ...testBlock(writer, c.title, c.body)]);
      body.push('', `describe(${quote(title)}, () => {`, ...indent(inner, 1), '});');
    }
  }
  const content = [...header, ...(imports.length > 0 ? ['', ...imports] : []), ...body, ''].join(
    '\n',
  );
  return { file: testFile, content, cases: cases.length };
}
