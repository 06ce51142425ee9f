import ts from 'typescript';
import type { FunctionPlan } from './child-protocol.js';
import { sampleRegex } from './inputs-regex.js';
import type { Expression } from './types.js';

/**
 * Inputs drawn from a module's code, per function: for each parameter, the literals it is compared
 * with (`mode === 'fast'` gives `'fast'`; `n > 100` gives 99, 100, 101), the properties read from
 * it (`opts.verbose` gives `{ verbose: true }`), what its use says of its type (`s.trim()`: a
 * string), its default value, and (see `inputs-types.ts`) its declared type. Plans are keyed by
 * function name, `Class.method` and `Class.constructor`, and `default` for a default export.
 */
export interface InputPlans {
  plans: Record<string, FunctionPlan>;
  /** Literals of the whole file, for any parameter. */
  literals: Expression[];
}

/** Inputs for any parameter when the code says nothing better (Nessie's and Randoop's kind). */
export const DEFAULT_POOL: readonly Expression[] = [
  '0',
  '1',
  '-1',
  '1.5',
  '2',
  '100',
  'NaN',
  "''",
  "'a'",
  "'abc'",
  "'hello world'",
  "'Hello, World!'",
  "'foo/bar.js'",
  "'1'",
  '[]',
  '[1, 2, 3]',
  "['a', 'b']",
  '{}',
  "{ a: 1, b: 'x' }",
  'null',
  'undefined',
  'true',
  'false',
  '(x) => x',
  '() => {}',
  '(a, b) => a < b ? -1 : a > b ? 1 : 0',
  'new Date(0)',
  '/a/',
];

const STRING_METHODS = new Set([
  'trim',
  'trimStart',
  'trimEnd',
  'split',
  'toLowerCase',
  'toUpperCase',
  'charAt',
  'charCodeAt',
  'codePointAt',
  'startsWith',
  'endsWith',
  'padStart',
  'padEnd',
  'replace',
  'replaceAll',
  'match',
  'matchAll',
  'substring',
  'substr',
  'normalize',
  'localeCompare',
  'repeat',
  'search',
]);
const ARRAY_METHODS = new Set([
  'map',
  'forEach',
  'filter',
  'reduce',
  'reduceRight',
  'push',
  'pop',
  'shift',
  'unshift',
  'some',
  'every',
  'find',
  'findIndex',
  'flat',
  'flatMap',
  'sort',
  'reverse',
  'splice',
  'fill',
]);
const NUMBER_METHODS = new Set(['toFixed', 'toPrecision', 'toExponential']);
const FUNCTION_METHODS = new Set(['call', 'apply', 'bind']);

const STRINGS: Expression[] = ["'a'", "'hello world'", "''", "'Foo-Bar_baz 1'", "'  x  '"];
const ARRAYS: Expression[] = ['[1, 2, 3]', '[]', "['a', 'b', 'c']", '[3, 1, 2]', '[[1], [2, [3]]]'];
const NUMBERS: Expression[] = ['0', '1', '-1', '2.5', '10', '100'];
const FUNCTIONS: Expression[] = ['(x) => x', '() => {}', '() => true', '(a, b) => a - b'];
const BY_TYPEOF: Record<string, Expression[]> = {
  string: ["'a'", "''"],
  number: ['1', '0', '-1.5'],
  bigint: ['1n'],
  boolean: ['true', 'false'],
  function: ['(x) => x', '() => {}'],
  object: ['{}', '[]', 'null'],
  undefined: ['undefined'],
  symbol: ["Symbol('s')"],
};

function literalText(node: ts.Expression, source: ts.SourceFile): Expression | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return quote(node.text);
  if (ts.isNumericLiteral(node) || ts.isBigIntLiteral(node)) return node.getText(source);
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(node.operand)
  )
    return `-${node.operand.text}`;
  if (node.kind === ts.SyntaxKind.TrueKeyword) return 'true';
  if (node.kind === ts.SyntaxKind.FalseKeyword) return 'false';
  if (node.kind === ts.SyntaxKind.NullKeyword) return 'null';
  if (
    ts.isIdentifier(node) &&
    (node.text === 'undefined' || node.text === 'NaN' || node.text === 'Infinity')
  )
    return node.text;
  if (ts.isRegularExpressionLiteral(node)) return node.text;
  return undefined;
}

export function quote(text: string): Expression {
  return `'${text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}

/** Values around a number compared with: both sides of the boundary. */
function around(text: Expression): Expression[] {
  const n = Number(text);
  if (!Number.isFinite(n)) return [text];
  const out = [n, n - 1, n + 1];
  if (!Number.isInteger(n)) out.push(Math.floor(n), Math.ceil(n));
  return [...new Set(out)].map((v) => (Object.is(v, -0) ? '0' : String(v)));
}

const COMPARISONS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);

function addUnique(list: Expression[], ...items: Expression[]): void {
  for (const item of items) if (!list.includes(item)) list.push(item);
}

function lengthValues(n: number): Expression[] {
  const sizes = [...new Set([n, n + 1, Math.max(0, n - 1)])].filter((s) => s <= 64);
  return sizes.flatMap((s) => [
    quote('a'.repeat(s)),
    `[${Array.from({ length: s }, (_, i) => i + 1).join(', ')}]`,
  ]);
}

/** A parameter's evidence, gathered from its uses. */
interface ParamFacts {
  name: string | undefined;
  /** Literal values, as expressions, in the order found. */
  values: Expression[];
  /** Properties read, with values they are compared to. */
  props: Map<string, Expression[]>;
  /** Values its elements are compared to (it is indexed or iterated). */
  elements: Expression[];
  /** Whether it is indexed or iterated at all. */
  indexed: boolean;
  hints: Expression[];
  defaultValue?: Expression;
  rest: boolean;
  /** Functions it is passed to, and as which argument. */
  forwards: { callee: string; index: number }[];
}

/** Where a use of an expression lands: the parameter's value, one of its properties or elements. */
interface Slot {
  facts: ParamFacts;
  via: 'value' | 'element' | 'prop';
  prop?: string;
}

/** How an expression relates to a slot: itself, its `typeof`, or its `.length`. */
interface Reference extends Slot {
  typeofOf?: boolean;
  length?: boolean;
}

/** Calls that keep a value's identity for our purpose: `String(s)`, `s.trim()`, `s.toLowerCase()`. */
const SAME_VALUE_CALLS = new Set(['String', 'Number', 'Boolean', 'parseInt', 'parseFloat']);
const SAME_VALUE_METHODS = new Set([
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'toString',
  'valueOf',
  'slice',
  'substring',
  'substr',
  'normalize',
  'concat',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
]);

function unwrap(node: ts.Expression): ts.Expression {
  let e = node;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isTypeAssertionExpression(e) ||
    ts.isSatisfiesExpression(e)
  )
    e = e.expression;
  return e;
}

/** Gathers evidence about the parameters from a function body. */
function gather(
  fn: ts.SignatureDeclaration,
  source: ts.SourceFile,
  regexes: Map<string, string>,
): ParamFacts[] {
  const facts: ParamFacts[] = fn.parameters.map((p) => ({
    name: ts.isIdentifier(p.name) ? p.name.text : undefined,
    values: [],
    props: new Map(),
    elements: [],
    indexed: false,
    hints: [],
    forwards: [],
    rest: p.dotDotDotToken !== undefined,
    ...(p.initializer ? { defaultValue: p.initializer.getText(source) } : {}),
  }));
  /** Names that stand for a parameter, a property or an element of one. */
  const names = new Map<string, Slot>();
  fn.parameters.forEach((p, i) => {
    const f = facts[i]!;
    if (ts.isIdentifier(p.name))
      names.set(p.name.text, { facts: f, via: f.rest ? 'element' : 'value' });
    else if (ts.isObjectBindingPattern(p.name)) {
      for (const element of p.name.elements) {
        const prop = (element.propertyName ?? element.name).getText(source);
        f.props.set(prop, []);
        if (ts.isIdentifier(element.name))
          names.set(element.name.text, { facts: f, via: 'prop', prop });
      }
    } else if (ts.isArrayBindingPattern(p.name)) {
      f.indexed = true;
      for (const element of p.name.elements)
        if (ts.isBindingElement(element) && ts.isIdentifier(element.name))
          names.set(element.name.text, { facts: f, via: 'element' });
    }
  });

  const reference = (node: ts.Expression): Reference | undefined => {
    const e = unwrap(node);
    if (ts.isTypeOfExpression(e)) {
      const inner = reference(e.expression);
      return inner ? { ...inner, typeofOf: true } : undefined;
    }
    if (ts.isIdentifier(e)) return names.get(e.text);
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
      const base = reference(e.expression);
      if (!base || base.typeofOf || base.length) return undefined;
      if (e.name.text === 'length') return { ...base, length: true };
      if (base.via === 'value') return { facts: base.facts, via: 'prop', prop: e.name.text };
      return undefined;
    }
    if (ts.isElementAccessExpression(e)) {
      const base = reference(e.expression);
      if (!base || base.typeofOf || base.length) return undefined;
      const arg = unwrap(e.argumentExpression);
      if (ts.isStringLiteral(arg) && base.via === 'value')
        return { facts: base.facts, via: 'prop', prop: arg.text };
      if (base.via === 'value') {
        base.facts.indexed = true;
        return { facts: base.facts, via: 'element' };
      }
      return undefined;
    }
    if (ts.isCallExpression(e)) {
      const callee = unwrap(e.expression);
      if (ts.isIdentifier(callee) && SAME_VALUE_CALLS.has(callee.text) && e.arguments[0])
        return reference(e.arguments[0]);
      if (ts.isPropertyAccessExpression(callee) && SAME_VALUE_METHODS.has(callee.name.text))
        return reference(callee.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'at') {
        const base = reference(callee.expression);
        if (base?.via === 'value') return { facts: base.facts, via: 'element' };
      }
    }
    if (
      ts.isBinaryExpression(e) &&
      (e.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    )
      return reference(e.left);
    return undefined;
  };

  const record = (slot: Reference, value: Expression): void => {
    const f = slot.facts;
    if (slot.typeofOf) {
      const type = value.replace(/^'|'$/g, '');
      addUnique(f.hints, ...(BY_TYPEOF[type] ?? []));
      return;
    }
    if (slot.length) {
      const n = Number(value);
      if (Number.isInteger(n) && slot.via === 'value') addUnique(f.hints, ...lengthValues(n));
      return;
    }
    const values =
      slot.via === 'value'
        ? f.values
        : slot.via === 'element'
          ? f.elements
          : propList(f, slot.prop!);
    addUnique(values, ...around(value));
  };
  const hint = (slot: Reference, ...values: Expression[]): void => {
    if (slot.typeofOf || slot.length) return;
    const f = slot.facts;
    if (slot.via === 'value') addUnique(f.hints, ...values);
    else if (slot.via === 'element') addUnique(f.elements, ...values.slice(0, 2));
    else addUnique(propList(f, slot.prop!), ...values.slice(0, 2));
  };
  const regexOf = (node: ts.Expression): string | undefined => {
    const e = unwrap(node);
    if (ts.isRegularExpressionLiteral(e)) return e.text;
    if (ts.isIdentifier(e)) return regexes.get(e.text);
    return undefined;
  };
  const fromRegex = (slot: Reference, literal: string): void => {
    const end = literal.lastIndexOf('/');
    for (const sample of sampleRegex(literal.slice(1, end), literal.slice(end + 1), 12))
      hint(slot, quote(sample));
  };

  // Local names that stand for a parameter: `const s = str.trim()`, `for (const arg of args)`,
  // `const arg = args[i]`, `const { verbose } = options`. Two passes for chains.
  const aliases = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const ref = reference(node.initializer);
      if (ref && (ref.typeofOf || ref.length) && ts.isIdentifier(node.name)) {
        if (!names.has(node.name.text)) names.set(node.name.text, ref);
      } else if (ref) {
        if (ts.isIdentifier(node.name)) {
          if (!names.has(node.name.text)) names.set(node.name.text, ref);
        } else if (ts.isObjectBindingPattern(node.name) && ref.via === 'value') {
          for (const element of node.name.elements) {
            const prop = (element.propertyName ?? element.name).getText(source);
            propList(ref.facts, prop);
            if (ts.isIdentifier(element.name) && !names.has(element.name.text))
              names.set(element.name.text, { facts: ref.facts, via: 'prop', prop });
          }
        }
      }
    }
    if (
      (ts.isForOfStatement(node) || ts.isForInStatement(node)) &&
      ts.isVariableDeclarationList(node.initializer)
    ) {
      const ref = reference(node.expression);
      const decl = node.initializer.declarations[0];
      if (ref?.via === 'value' && decl && ts.isIdentifier(decl.name)) {
        ref.facts.indexed = true;
        if (ts.isForOfStatement(node))
          names.set(decl.name.text, { facts: ref.facts, via: 'element' });
      }
    }
    ts.forEachChild(node, aliases);
  };
  const body = (fn as { body?: ts.Node }).body;
  if (body) {
    aliases(body);
    aliases(body);
  }

  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) {
      for (const [a, b] of [
        [node.left, node.right],
        [node.right, node.left],
      ] as const) {
        const ref = reference(a);
        const lit = literalText(b, source);
        if (ref && lit !== undefined) record(ref, lit);
      }
    } else if (ts.isSwitchStatement(node)) {
      const ref = reference(node.expression);
      if (ref)
        for (const clause of node.caseBlock.clauses)
          if (ts.isCaseClause(clause)) {
            const lit = literalText(clause.expression, source);
            if (lit !== undefined) record(ref, lit);
          }
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword) {
      const ref = reference(node.right);
      if (ref?.via === 'value' && !ref.typeofOf && ts.isStringLiteral(node.left))
        propList(ref.facts, node.left.text);
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword
    ) {
      const ref = reference(node.left);
      if (ref && ts.isIdentifier(node.right)) {
        const values = INSTANCES[node.right.text];
        if (values) hint(ref, ...values);
      }
    } else if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      const arg = node.arguments[0];
      // `parse(str)`: what `parse` wants for its parameter is wanted here too.
      const calleeName = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : undefined;
      if (calleeName !== undefined)
        node.arguments.forEach((a, index) => {
          const ref = reference(a);
          if (ref?.via === 'value' && !ref.typeofOf && !ref.length)
            ref.facts.forwards.push({ callee: calleeName, index });
        });
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        const ref = reference(callee.expression);
        if (ref && !ref.typeofOf && !ref.length) {
          if (STRING_METHODS.has(method)) hint(ref, ...STRINGS);
          else if (ARRAY_METHODS.has(method)) {
            if (ref.via === 'value') ref.facts.indexed = true;
            hint(ref, ...ARRAYS);
          } else if (NUMBER_METHODS.has(method)) hint(ref, ...NUMBERS);
          else if (FUNCTION_METHODS.has(method)) hint(ref, ...FUNCTIONS);
          else if (
            ref.via === 'value' &&
            !ARRAY_METHODS.has(method) &&
            !STRING_METHODS.has(method) &&
            !SAME_VALUE_METHODS.has(method) &&
            method !== 'includes' &&
            method !== 'indexOf' &&
            method !== 'hasOwnProperty'
          )
            // `opts.log('x')`: an object with that method.
            addUnique(propList(ref.facts, method), '() => {}', '(x) => x');
          // `s.startsWith('x')`, `list.includes('x')`: the argument is a likely part of the value.
          const lit = arg ? literalText(arg, source) : undefined;
          if (
            lit !== undefined &&
            lit.startsWith("'") &&
            ['startsWith', 'endsWith', 'includes', 'indexOf', 'split', 'lastIndexOf'].includes(
              method,
            )
          ) {
            const inner = lit.slice(1, -1);
            const whole =
              method === 'startsWith'
                ? `${inner}x`
                : method === 'endsWith'
                  ? `x${inner}`
                  : `x${inner}y`;
            hint(ref, quote(whole), lit);
          }
          // `s.match(/re/)`, `s.replace(/re/, ...)`.
          const re =
            arg &&
            ['match', 'matchAll', 'replace', 'replaceAll', 'split', 'search'].includes(method)
              ? regexOf(arg)
              : undefined;
          if (re) fromRegex(ref, re);
        }
        // `/re/.test(s)`, `RE.exec(s)`.
        const argRef = arg ? reference(arg) : undefined;
        if (argRef && (method === 'test' || method === 'exec')) {
          const re = regexOf(callee.expression);
          if (re) fromRegex(argRef, re);
        }
        // `Array.isArray(p)`, `Number.isInteger(p)`.
        if (argRef && ts.isIdentifier(callee.expression)) {
          const values = STATIC_CHECKS[`${callee.expression.text}.${method}`];
          if (values) hint(argRef, ...values);
        }
      } else if (ts.isIdentifier(callee)) {
        const ref = names.get(callee.text);
        if (ref) hint(ref, ...FUNCTIONS);
      }
    } else if (ts.isPropertyAccessExpression(node)) {
      const ref = reference(node);
      if (ref?.via === 'prop' && !STRING_METHODS.has(ref.prop!) && !ARRAY_METHODS.has(ref.prop!))
        propList(ref.facts, ref.prop!);
    } else if (ts.isForInStatement(node)) {
      const ref = reference(node.expression);
      if (ref) hint(ref, '{ a: 1, b: 2 }');
    } else if (ts.isSpreadElement(node) || ts.isSpreadAssignment(node)) {
      const ref = reference(node.expression);
      if (ref?.via === 'value') ref.facts.indexed ||= ts.isSpreadElement(node);
    }
    ts.forEachChild(node, visit);
  };
  if (body) visit(body);
  fn.parameters.forEach((p) => p.initializer && visit(p.initializer));
  return facts;
}

function propList(f: ParamFacts, prop: string): Expression[] {
  let list = f.props.get(prop);
  if (!list) {
    list = [];
    if (f.props.size < 24) f.props.set(prop, list);
  }
  return list;
}

const INSTANCES: Record<string, Expression[]> = {
  Date: ['new Date(0)', "new Date('2020-02-29T12:34:56Z')"],
  RegExp: ['/a+/g', '/^x$/i'],
  Map: ["new Map([['a', 1]])", 'new Map()'],
  Set: ['new Set([1, 2])', 'new Set()'],
  Array: ['[1, 2, 3]', '[]'],
  Error: ["new Error('boom')"],
  Function: ['(x) => x'],
  Object: ['{ a: 1 }'],
  Promise: ['Promise.resolve(1)'],
  Buffer: ["Buffer.from('abc')"],
  Uint8Array: ['new Uint8Array([1, 2, 3])'],
};

const STATIC_CHECKS: Record<string, Expression[]> = {
  'Array.isArray': ['[1, 2, 3]', '[]', "['a']"],
  'Number.isInteger': ['3', '3.5'],
  'Number.isFinite': ['1', 'Infinity'],
  'Number.isNaN': ['NaN', '1'],
  'Number.isSafeInteger': ['1', '2 ** 60'],
  'Buffer.isBuffer': ["Buffer.from('abc')"],
  'Object.keys': ['{ a: 1, b: 2 }'],
  'Object.entries': ['{ a: 1, b: 2 }'],
};

/** Candidate objects for a parameter whose properties are read. */
function objects(props: Map<string, Expression[]>): Expression[] {
  if (props.size === 0) return [];
  const names = [...props.keys()].slice(0, 12);
  const key = (n: string): string => (/^[A-Za-z_$][\w$]*$/.test(n) ? n : quote(n));
  const write = (pick: (n: string, values: Expression[]) => Expression | undefined): Expression => {
    const parts = names
      .map((n) => [n, pick(n, props.get(n)!)] as const)
      .filter((p): p is readonly [string, Expression] => p[1] !== undefined)
      .map(([n, v]) => `${key(n)}: ${v}`);
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  };
  const out = [
    write((_, v) => v[0] ?? 'true'),
    write((_, v) => v[1] ?? v[0] ?? "'a'"),
    write((_, v) => v[2] ?? '1'),
    write(() => 'true'),
  ];
  for (const n of names) {
    for (const v of props.get(n)!.slice(0, 3)) out.push(`{ ${key(n)}: ${v} }`);
  }
  return [...new Set(out)];
}

function planOf(
  fn: ts.SignatureDeclaration,
  source: ts.SourceFile,
  regexes: Map<string, string>,
): { plan: FunctionPlan; forwards: { param: number; callee: string; index: number }[] } {
  const facts = gather(fn, source, regexes);
  const params = facts.map((f) => {
    const out: Expression[] = [];
    const arrays = f.indexed || f.elements.length > 0 ? arraysOf(f.elements) : [];
    // A rest parameter's candidates are single arguments.
    if (f.rest) addUnique(out, ...f.elements, ...f.values, ...f.hints);
    else addUnique(out, ...f.values, ...objects(f.props), ...arrays, ...f.hints);
    if (f.defaultValue !== undefined && isClosed(f.defaultValue)) addUnique(out, f.defaultValue);
    if (f.defaultValue !== undefined) addUnique(out, 'undefined');
    return out;
  });
  const forwards = facts.flatMap((f, param) => f.forwards.map((w) => ({ param, ...w })));
  return { plan: { params, arity: fn.parameters.length, examples: [] }, forwards };
}

/** Arrays of the values elements were compared with: one, a few, all of them. */
function arraysOf(elements: readonly Expression[]): Expression[] {
  if (elements.length === 0) return ARRAYS.slice(0, 3);
  const out = elements.slice(0, 6).map((e) => `[${e}]`);
  for (let k = 0; k + 1 < elements.length && k < 8; k += 2)
    out.push(`[${elements.slice(k, k + 3).join(', ')}]`);
  out.push(`[${elements.slice(0, 8).join(', ')}]`);
  out.push(`[${[...elements].reverse().slice(0, 4).join(', ')}]`);
  return [...new Set(out)];
}

/** Whether an expression stands alone: no identifiers other than globals (a default value). */
function isClosed(text: string): boolean {
  return /^(-?\d[\d_.e]*|'[^']*'|"[^"]*"|true|false|null|undefined|\[\]|\{\})$/.test(text.trim());
}

function nameOf(node: ts.Node, source: ts.SourceFile): string | undefined {
  const name = (node as { name?: ts.Node }).name;
  if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)))
    return name.getText(source).replace(/^['"]|['"]$/g, '');
  return undefined;
}

/** The names a function is known by: its own, the variable or property it is assigned to. */
function namesOf(fn: ts.SignatureDeclaration, source: ts.SourceFile): string[] {
  const names: string[] = [];
  const own = nameOf(fn, source);
  const parent = fn.parent;
  if (
    ts.isMethodDeclaration(fn) ||
    ts.isConstructorDeclaration(fn) ||
    ts.isGetAccessor(fn) ||
    ts.isSetAccessor(fn)
  ) {
    const cls = ts.isClassLike(parent) ? parent : undefined;
    const member = ts.isConstructorDeclaration(fn) ? 'constructor' : own;
    const className = cls ? (cls.name?.text ?? classAssignedName(cls, source)) : undefined;
    if (className && member) names.push(`${className}.${member}`);
    if (cls && isDefaultExport(cls) && member) names.push(`default.${member}`);
    if (member && member !== 'constructor') names.push(member);
    if (className && member === 'constructor') names.push(className);
    return names;
  }
  if (own) names.push(own);
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name))
    names.push(parent.name.text);
  if (ts.isPropertyAssignment(parent)) {
    const prop = nameOf(parent, source);
    if (prop) names.push(prop);
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = parent.left.getText(source);
    if (left === 'module.exports') names.push('default');
    const m = /(?:^|\.)(\w+)$/.exec(left);
    if (m && left !== 'module.exports') names.push(m[1]!);
    // `Foo.prototype.bar = function`: a method of Foo.
    const proto = /^(\w+)\.prototype\.(\w+)$/.exec(left);
    if (proto) names.push(`${proto[1]}.${proto[2]}`);
  }
  if (isDefaultExport(fn) || ts.isExportAssignment(parent)) names.push('default');
  return names;
}

function classAssignedName(
  cls: ts.ClassLikeDeclaration,
  source: ts.SourceFile,
): string | undefined {
  const parent = cls.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  void source;
  return undefined;
}

function isDefaultExport(node: ts.Node): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return (
    modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) === true &&
    modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** `function f(a) {}` in a CommonJS `function F(opts)` constructor's `this.x = ...`: nothing more. */
export function scriptKindOf(file: string): ts.ScriptKind {
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/.test(file)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(file)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** Plans for every function-like declaration of a module's source, and its literals. */
export function planInputs(file: string, text: string): InputPlans {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  // No prototype: a function named `constructor` or `toString` must not find Object's.
  const plans = Object.create(null) as Record<string, FunctionPlan>;
  const literals: Expression[] = [];
  // Regular expressions bound to names anywhere in the file (`const RE = /x/`), for `RE.test(s)`.
  const regexes = new Map<string, string>();
  const findRegexes = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isRegularExpressionLiteral(unwrap(node.initializer))
    )
      regexes.set(node.name.text, (unwrap(node.initializer) as ts.RegularExpressionLiteral).text);
    else if (
      ts.isPropertyAssignment(node) &&
      ts.isIdentifier(node.name) &&
      ts.isRegularExpressionLiteral(unwrap(node.initializer))
    )
      regexes.set(node.name.text, (unwrap(node.initializer) as ts.RegularExpressionLiteral).text);
    ts.forEachChild(node, findRegexes);
  };
  findRegexes(source);
  const pending: {
    plan: FunctionPlan;
    forwards: { param: number; callee: string; index: number }[];
  }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node)
    ) {
      const { plan, forwards } = planOf(node, source, regexes);
      if (forwards.length > 0) pending.push({ plan, forwards });
      for (const name of namesOf(node, source)) {
        // The first declaration of a name wins (overloads and re-assignments aside).
        if (!plans[name] || plans[name]!.params.flat().length < plan.params.flat().length)
          plans[name] = plan;
      }
    }
    if (ts.isClassLike(node)) {
      // A class without a constructor of its own still gets a plan (no arguments).
      const className = node.name?.text ?? classAssignedName(node, source);
      if (className && !node.members.some(ts.isConstructorDeclaration)) {
        plans[`${className}.constructor`] ??= { params: [], arity: 0, examples: [] };
      }
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const importLike =
        ts.isImportDeclaration(node.parent) ||
        ts.isExportDeclaration(node.parent) ||
        (ts.isCallExpression(node.parent) && node.parent.expression.getText(source) === 'require');
      if (!importLike && node.text.length <= 40) addUnique(literals, quote(node.text));
    } else if (ts.isNumericLiteral(node)) {
      addUnique(literals, node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // Twice, so that candidates flow through two calls (`default` -> `parse` -> `parseUnit`).
  for (let round = 0; round < 2; round++)
    for (const { plan, forwards } of pending)
      for (const { param, callee, index } of forwards) {
        const target = plans[callee];
        const list = plan.params[param];
        if (!target || target === plan || !list) continue;
        addUnique(list, ...(target.params[index] ?? []).slice(0, 16));
      }
  return { plans, literals: literals.slice(0, 200) };
}
