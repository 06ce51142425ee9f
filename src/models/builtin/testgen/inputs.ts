import ts from 'typescript';
import type { FunctionPlan } from './child-protocol.js';
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

/** A parameter's evidence, gathered from its uses. */
interface ParamFacts {
  name: string | undefined;
  /** Literal values, as expressions, in the order found. */
  values: Expression[];
  /** Properties read, with values they are compared to. */
  props: Map<string, Expression[]>;
  hints: Expression[];
  defaultValue?: Expression;
  rest: boolean;
}

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

/** `p`, `p.x`, `p['x']`, `typeof p`, `p.length`, `p.x.length`: which parameter, and how. */
interface Reference {
  param: string;
  prop?: string;
  typeofOf?: boolean;
  length?: boolean;
}

function reference(node: ts.Expression, params: Set<string>): Reference | undefined {
  let e = node;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (ts.isTypeOfExpression(e)) {
    const inner = reference(e.expression, params);
    return inner && inner.prop === undefined ? { ...inner, typeofOf: true } : undefined;
  }
  if (ts.isIdentifier(e)) return params.has(e.text) ? { param: e.text } : undefined;
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
    const name = e.name.text;
    if (ts.isIdentifier(e.expression) && params.has(e.expression.text))
      return name === 'length'
        ? { param: e.expression.text, length: true }
        : { param: e.expression.text, prop: name };
    return undefined;
  }
  if (ts.isElementAccessExpression(e) && ts.isStringLiteral(e.argumentExpression)) {
    if (ts.isIdentifier(e.expression) && params.has(e.expression.text))
      return { param: e.expression.text, prop: e.argumentExpression.text };
  }
  return undefined;
}

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

/** Gathers evidence about the parameters from a function body. */
function gather(fn: ts.SignatureDeclaration, source: ts.SourceFile): ParamFacts[] {
  const facts: ParamFacts[] = fn.parameters.map((p) => ({
    name: ts.isIdentifier(p.name) ? p.name.text : undefined,
    values: [],
    props: new Map(),
    hints: [],
    rest: p.dotDotDotToken !== undefined,
    ...(p.initializer ? { defaultValue: p.initializer.getText(source) } : {}),
  }));
  const byName = new Map<string, ParamFacts>();
  const propAliases = new Map<string, { facts: ParamFacts; prop: string }>();
  for (const f of facts) if (f.name) byName.set(f.name, f);
  // Destructured parameters: `{ a, b = 1 }` reads properties a and b.
  fn.parameters.forEach((p, i) => {
    if (ts.isObjectBindingPattern(p.name)) {
      for (const element of p.name.elements) {
        const name = (element.propertyName ?? element.name).getText(source);
        facts[i]!.props.set(name, []);
        if (ts.isIdentifier(element.name)) {
          // Uses of the bound name are uses of the property.
          byName.set(element.name.text, {
            ...facts[i]!,
            name: element.name.text,
            values: [],
            props: new Map(),
            hints: [],
          });
          propAliases.set(element.name.text, { facts: facts[i]!, prop: name });
        }
      }
    } else if (ts.isArrayBindingPattern(p.name)) {
      facts[i]!.hints.push('[1, 2]', "['a', 'b']");
    }
  });
  const params = new Set(byName.keys());
  const record = (ref: Reference, value: Expression): void => {
    const alias = propAliases.get(ref.param);
    if (alias && ref.prop === undefined && !ref.typeofOf && !ref.length) {
      addUnique(alias.facts.props.get(alias.prop) ?? [], value);
      return;
    }
    const target = alias ? alias.facts : byName.get(ref.param)!;
    if (ref.typeofOf) {
      const strip = value.replace(/^'|'$/g, '');
      addUnique(target.hints, ...(BY_TYPEOF[strip] ?? []));
    } else if (ref.length) {
      const n = Number(value);
      if (Number.isInteger(n)) addUnique(target.hints, ...lengthValues(n));
    } else if (ref.prop !== undefined && !alias) {
      const list = target.props.get(ref.prop) ?? [];
      addUnique(list, ...around(value));
      target.props.set(ref.prop, list);
    } else {
      addUnique(target.values, ...around(value));
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) {
      for (const [a, b] of [
        [node.left, node.right],
        [node.right, node.left],
      ] as const) {
        const ref = reference(a, params);
        const lit = literalText(b, source);
        if (ref && lit !== undefined) record(ref, lit);
      }
    } else if (ts.isSwitchStatement(node)) {
      const ref = reference(node.expression, params);
      if (ref)
        for (const clause of node.caseBlock.clauses)
          if (ts.isCaseClause(clause)) {
            const lit = literalText(clause.expression, source);
            if (lit !== undefined) record(ref, lit);
          }
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword) {
      const ref = reference(node.right, params);
      const lit = ts.isStringLiteral(node.left) ? node.left.text : undefined;
      if (ref && ref.prop === undefined && lit !== undefined) {
        const target = byName.get(ref.param)!;
        if (!target.props.has(lit)) target.props.set(lit, []);
      }
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword
    ) {
      const ref = reference(node.left, params);
      if (ref && ref.prop === undefined && ts.isIdentifier(node.right)) {
        const hint = INSTANCES[node.right.text];
        if (hint) addUnique(byName.get(ref.param)!.hints, ...hint);
      }
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        const ref = reference(callee.expression, params);
        if (ref && ref.prop === undefined && !ref.length && !ref.typeofOf) {
          const target = propAliases.get(ref.param)?.facts ?? byName.get(ref.param)!;
          if (STRING_METHODS.has(method)) addUnique(target.hints, ...STRINGS);
          else if (ARRAY_METHODS.has(method)) addUnique(target.hints, ...ARRAYS);
          else if (NUMBER_METHODS.has(method)) addUnique(target.hints, ...NUMBERS);
          else if (FUNCTION_METHODS.has(method)) addUnique(target.hints, ...FUNCTIONS);
          // `s.startsWith('x')`, `list.includes('x')`: the argument is a likely part of the value.
          const arg = node.arguments[0];
          const lit = arg ? literalText(arg, source) : undefined;
          if (
            lit !== undefined &&
            /^'/.test(lit) &&
            ['startsWith', 'endsWith', 'includes', 'indexOf', 'split'].includes(method)
          ) {
            const inner = lit.slice(1, -1);
            addUnique(target.values, quote(`${inner}x`), quote(`x${inner}y`), lit);
          }
        }
        // `Array.isArray(p)`, `Number.isInteger(p)`.
        const arg = node.arguments[0];
        const argRef = arg ? reference(arg, params) : undefined;
        if (argRef && argRef.prop === undefined && ts.isIdentifier(callee.expression)) {
          const hint = STATIC_CHECKS[`${callee.expression.text}.${method}`];
          const target = propAliases.get(argRef.param)?.facts ?? byName.get(argRef.param);
          if (hint && target) addUnique(target.hints, ...hint);
        }
        // `re.test(p)`: strings the regular expression's literal parts suggest.
        if (argRef && method === 'test' && ts.isRegularExpressionLiteral(callee.expression)) {
          const target = propAliases.get(argRef.param)?.facts ?? byName.get(argRef.param);
          if (target) addUnique(target.values, ...regexSamples(callee.expression.text));
        }
      } else if (
        ts.isIdentifier(callee) &&
        params.has(callee.text) &&
        !propAliases.has(callee.text)
      ) {
        addUnique(byName.get(callee.text)!.hints, ...FUNCTIONS);
      }
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const ref = reference(node, params);
      if (ref?.prop !== undefined && !propAliases.has(ref.param)) {
        const target = byName.get(ref.param)!;
        if (
          !target.props.has(ref.prop) &&
          !STRING_METHODS.has(ref.prop) &&
          !ARRAY_METHODS.has(ref.prop)
        )
          target.props.set(ref.prop, []);
      }
    } else if (ts.isForOfStatement(node)) {
      const ref = reference(node.expression, params);
      if (ref && ref.prop === undefined)
        addUnique((propAliases.get(ref.param)?.facts ?? byName.get(ref.param)!).hints, ...ARRAYS);
    } else if (ts.isForInStatement(node)) {
      const ref = reference(node.expression, params);
      if (ref && ref.prop === undefined) addUnique(byName.get(ref.param)!.hints, '{ a: 1, b: 2 }');
    }
    ts.forEachChild(node, visit);
  };
  const body = (fn as { body?: ts.Node }).body;
  if (body) visit(body);
  fn.parameters.forEach((p) => p.initializer && visit(p.initializer));
  return facts;
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

/** A few strings from a regular expression's literal characters (best effort, not a solver). */
export function regexSamples(literal: string): Expression[] {
  const body = literal.slice(1, literal.lastIndexOf('/'));
  const plain = body
    .replace(/\\d/g, '1')
    .replace(/\\w/g, 'a')
    .replace(/\\s/g, ' ')
    .replace(/\\(.)/g, '$1')
    .replace(/\[\^?([^\]]*)\]/g, (_, set: string) => set.replace(/-.*/, '').slice(0, 1) || 'a')
    .replace(/[\^$()|?*+{}]/g, '')
    .replace(/\d+,?\d*/g, (m) => m);
  return plain === '' ? [] : [quote(plain), quote(`${plain}${plain}`)];
}

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

function planOf(fn: ts.SignatureDeclaration, source: ts.SourceFile): FunctionPlan {
  const facts = gather(fn, source);
  const params = facts.map((f) => {
    const out: Expression[] = [];
    addUnique(out, ...f.values, ...objects(f.props), ...f.hints);
    if (f.defaultValue !== undefined && isClosed(f.defaultValue)) addUnique(out, f.defaultValue);
    if (f.defaultValue !== undefined) addUnique(out, 'undefined');
    return out;
  });
  return { params, arity: fn.parameters.length, examples: [] };
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
  const plans: Record<string, FunctionPlan> = {};
  const literals: Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node)
    ) {
      const plan = planOf(node, source);
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
  return { plans, literals: literals.slice(0, 200) };
}
