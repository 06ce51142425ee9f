import path from 'node:path';
import type * as TS from 'typescript';
import { bundledTypeScript } from '../../fixes/index.js';
import { caseKey, findTestCases, type TestCase } from './prune.js';

/**
 * Whether each case of a generated test asserts something: at least one assertion (`expect(x).toY`,
 * chai's `expect(x).to…`, `assert.*`, `assert(…)`, AVA's and node:test's `t.*`) whose checked
 * expression calls or references what the file imports from the target module, directly or through
 * a variable of the case. A constant compared with a constant (`expect(true).toBe(true)`) and a
 * snapshot of the whole module are not assertions of the target's behaviour.
 */

/** The verdict on one case. */
export interface AssertionCheck {
  /** The case's key (`describe > title`). */
  key: string;
  title: string;
  ok: boolean;
  /** Why not, for a person; undefined when ok. */
  reason: string | undefined;
  /** Assertions found, and those that check the target. */
  assertions: number;
  meaningful: number;
}

const ASSERT_MODULES = new Set(['assert', 'node:assert', 'assert/strict', 'node:assert/strict']);
const CHAI_MODULES = new Set(['chai']);
const SNAPSHOT_MATCHERS = new Set([
  'toMatchSnapshot',
  'toMatchInlineSnapshot',
  'toMatchFileSnapshot',
  'toThrowErrorMatchingSnapshot',
  'toThrowErrorMatchingInlineSnapshot',
]);
/** Methods of AVA's and node:test's `t` that assert (not `plan`, `log`, `pass`, `teardown`). */
const T_ASSERTIONS = new Set([
  'is',
  'not',
  'deepEqual',
  'notDeepEqual',
  'like',
  'true',
  'false',
  'truthy',
  'falsy',
  'throws',
  'throwsAsync',
  'notThrows',
  'notThrowsAsync',
  'regex',
  'notRegex',
  'snapshot',
  'assert',
]);
const SOURCE_EXTENSION = /\.(?:[cm]?[jt]sx?)$/;

/** Root-relative path without its extension and `/index`, to compare a specifier with a target. */
function moduleId(file: string): string {
  return path.posix
    .normalize(file)
    .replace(SOURCE_EXTENSION, '')
    .replace(/\/index$/, '');
}

/** Whether an import specifier in `testFile` points at `target` (both root-relative). */
export function importsTarget(specifier: string, testFile: string, target: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const resolved = path.posix.join(path.posix.dirname(testFile), specifier);
  return moduleId(resolved) === moduleId(target);
}

interface FileNames {
  /** Local names bound to the target's exports (or the module object). */
  target: Set<string>;
  /** Names bound to the target's whole module (`import * as m`, `require(...)`). */
  module: Set<string>;
  /** `assert`, `strictEqual` and friends imported from node:assert. */
  assert: Set<string>;
  /** `expect` imported from chai, or a runner's global. */
  expect: Set<string>;
}

function stringArgument(ts: typeof TS, call: TS.CallExpression): string | undefined {
  const first = call.arguments[0];
  return first !== undefined &&
    (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))
    ? first.text
    : undefined;
}

/** `require('x')`, `await import('x')`: the specifier. */
function requiredModule(ts: typeof TS, node: TS.Expression): string | undefined {
  let expr = node;
  if (ts.isAwaitExpression(expr)) expr = expr.expression;
  if (!ts.isCallExpression(expr)) return undefined;
  const isRequire = ts.isIdentifier(expr.expression) && expr.expression.text === 'require';
  const isImport = expr.expression.kind === ts.SyntaxKind.ImportKeyword;
  return isRequire || isImport ? stringArgument(ts, expr) : undefined;
}

function bindNames(ts: typeof TS, name: TS.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else
    for (const element of name.elements)
      if (!ts.isOmittedExpression(element)) bindNames(ts, element.name, into);
}

function namesOf(ts: typeof TS, source: TS.SourceFile, file: string, target: string): FileNames {
  const names: FileNames = {
    target: new Set(),
    module: new Set(),
    assert: new Set(),
    expect: new Set(['expect']),
  };
  const add = (specifier: string, bound: { names: Set<string>; whole: Set<string> }) => {
    if (importsTarget(specifier, file, target)) {
      for (const n of bound.names) names.target.add(n);
      for (const n of bound.whole) {
        names.target.add(n);
        names.module.add(n);
      }
    } else if (ASSERT_MODULES.has(specifier)) {
      for (const n of [...bound.names, ...bound.whole]) names.assert.add(n);
    } else if (CHAI_MODULES.has(specifier) && bound.names.has('expect')) {
      names.expect.add('expect');
    }
  };
  const visit = (node: TS.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bound = { names: new Set<string>(), whole: new Set<string>() };
      if (clause?.name) bound.whole.add(clause.name.text);
      const named = clause?.namedBindings;
      if (named && ts.isNamespaceImport(named)) bound.whole.add(named.name.text);
      if (named && ts.isNamedImports(named))
        for (const e of named.elements) bound.names.add(e.name.text);
      add(node.moduleSpecifier.text, bound);
    } else if (ts.isVariableDeclaration(node) && node.initializer) {
      const specifier = requiredModule(ts, node.initializer);
      if (specifier !== undefined) {
        const bound = { names: new Set<string>(), whole: new Set<string>() };
        bindNames(ts, node.name, ts.isIdentifier(node.name) ? bound.whole : bound.names);
        add(specifier, bound);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** Variables of the file: their initialisers and the values assigned to them. */
function variableValues(ts: typeof TS, source: TS.SourceFile): Map<string, TS.Node[]> {
  const values = new Map<string, TS.Node[]>();
  const record = (name: string, value: TS.Node) =>
    values.set(name, [...(values.get(name) ?? []), value]);
  const visit = (node: TS.Node): void => {
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const bound = new Set<string>();
      bindNames(ts, node.name, bound);
      for (const name of bound) record(name, node.initializer);
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left)
    ) {
      record(node.left.text, node.right);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return values;
}

/** Whether an expression reads a target import, directly or through variables (bounded). */
function readsTarget(
  ts: typeof TS,
  node: TS.Node,
  names: FileNames,
  values: Map<string, TS.Node[]>,
  seen: Set<string> = new Set(),
): boolean {
  if (ts.isIdentifier(node)) {
    if (names.target.has(node.text)) return true;
    if (seen.has(node.text)) return false;
    seen.add(node.text);
    return (values.get(node.text) ?? []).some((v) => readsTarget(ts, v, names, values, seen));
  }
  // A property name (`x.name`) is not a reference to a variable `name`.
  if (ts.isPropertyAccessExpression(node))
    return readsTarget(ts, node.expression, names, values, seen);
  return (
    ts.forEachChild(node, (child) => readsTarget(ts, child, names, values, seen) || undefined) ??
    false
  );
}

interface Assertion {
  /** The expressions it checks. */
  checked: TS.Node[];
  /** A snapshot of a whole module. */
  wholeModuleSnapshot: boolean;
}

/** `expect(x)` (or `expect.soft(x)`, `chai.expect(x)`) as the root of a member chain. */
function expectSubject(
  ts: typeof TS,
  call: TS.CallExpression,
  names: FileNames,
): TS.Expression | undefined {
  const callee = call.expression;
  const isExpect =
    (ts.isIdentifier(callee) && names.expect.has(callee.text)) ||
    (ts.isPropertyAccessExpression(callee) &&
      ((ts.isIdentifier(callee.expression) && names.expect.has(callee.expression.text)) ||
        callee.name.text === 'expect'));
  return isExpect ? call.arguments[0] : undefined;
}

/** The member names chained after a node (`.not.toBe`), and the outermost node of the chain. */
function chainAfter(ts: typeof TS, node: TS.Node): { members: string[]; outer: TS.Node } {
  const members: string[] = [];
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === current) {
      members.push(parent.name.text);
      current = parent;
    } else if (ts.isCallExpression(parent) && parent.expression === current) {
      current = parent;
    } else return { members, outer: current };
  }
}

function findAssertions(
  ts: typeof TS,
  body: TS.Node,
  testParam: string | undefined,
  names: FileNames,
): Assertion[] {
  const found: Assertion[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) {
      const subject = expectSubject(ts, node, names);
      if (subject !== undefined) {
        const { members, outer } = chainAfter(ts, node);
        if (members.length > 0) {
          const snapshot = members.some((m) => SNAPSHOT_MATCHERS.has(m));
          const matcherArgs = ts.isCallExpression(outer) ? [...outer.arguments] : [];
          const wholeModule =
            snapshot && ts.isIdentifier(subject) && names.module.has(subject.text);
          found.push({
            checked: [subject, ...(snapshot ? [] : matcherArgs)],
            wholeModuleSnapshot: wholeModule,
          });
        }
      }
      const callee = node.expression;
      const base = ts.isPropertyAccessExpression(callee) ? rootName(ts, callee) : undefined;
      const isAssert =
        (ts.isIdentifier(callee) && names.assert.has(callee.text)) ||
        (base !== undefined && names.assert.has(base));
      const isT =
        testParam !== undefined &&
        ts.isPropertyAccessExpression(callee) &&
        base === testParam &&
        (T_ASSERTIONS.has(callee.name.text) ||
          (ts.isPropertyAccessExpression(callee.expression) &&
            callee.expression.name.text === 'assert'));
      if (isAssert || isT) {
        const snapshot =
          isT && ts.isPropertyAccessExpression(callee) && callee.name.text === 'snapshot';
        const first = node.arguments[0];
        const wholeModule =
          snapshot && first !== undefined && ts.isIdentifier(first) && names.module.has(first.text);
        found.push({ checked: [...node.arguments], wholeModuleSnapshot: wholeModule });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

function rootName(ts: typeof TS, node: TS.Expression): string | undefined {
  let current: TS.Expression = node;
  while (ts.isPropertyAccessExpression(current)) current = current.expression;
  return ts.isIdentifier(current) ? current.text : undefined;
}

/** The case's callback: the last function argument, and the name of its first parameter. */
function callbackOf(
  ts: typeof TS,
  testCase: TestCase,
): { body: TS.Node; param: string | undefined } | undefined {
  const fn = [...testCase.call.arguments]
    .reverse()
    .find(
      (a): a is TS.ArrowFunction | TS.FunctionExpression =>
        ts.isArrowFunction(a) || ts.isFunctionExpression(a),
    );
  if (fn === undefined) return undefined;
  const first = fn.parameters[0];
  return {
    body: fn.body,
    param: first && ts.isIdentifier(first.name) ? first.name.text : undefined,
  };
}

/** Checks each case of a test file for an assertion of the target's behaviour. */
export function checkAssertions(text: string, file: string, target: string): AssertionCheck[] {
  const ts = bundledTypeScript();
  const { source, cases } = findTestCases(text, file);
  const names = namesOf(ts, source, file, target);
  const values = variableValues(ts, source);
  return cases.map((testCase) => {
    const verdict = (
      ok: boolean,
      reason: string | undefined,
      assertions = 0,
      meaningful = 0,
    ): AssertionCheck => ({
      key: caseKey(testCase),
      title: testCase.title,
      ok,
      reason,
      assertions,
      meaningful,
    });
    if (names.target.size === 0) {
      return verdict(false, `imports nothing from ${target}`);
    }
    const callback = callbackOf(ts, testCase);
    if (callback === undefined) return verdict(false, 'has no test function');
    const assertions = findAssertions(ts, callback.body, callback.param, names);
    if (assertions.length === 0) return verdict(false, 'has no assertion');
    const meaningful = assertions.filter(
      (a) => !a.wholeModuleSnapshot && a.checked.some((c) => readsTarget(ts, c, names, values)),
    );
    if (meaningful.length > 0)
      return verdict(true, undefined, assertions.length, meaningful.length);
    const reason = assertions.every((a) => a.wholeModuleSnapshot)
      ? `only snapshots the whole module ${target}`
      : `asserts nothing that comes from ${target} (constants compared with constants)`;
    return verdict(false, reason, assertions.length, 0);
  });
}
