import { isFunction, walk, type AstNode } from '../ast.js';
import { field, flag, list, nodes } from './ast-utils.js';

/**
 * A small scope analysis shared by the rules about bindings (unused-import, unused-variable,
 * prefer-const). One extra walk per file, memoised on the program node.
 *
 * Model: lexical scopes for modules, functions, blocks, loops, catch clauses, classes and TS type
 * parameter lists; `var` hoists to the function; types and values share one namespace (a reference
 * to either marks both, which can hide a finding but never invent one). Reads and writes are told
 * apart: `x = 1` writes, `x += 1` and `x++` read and write, everything else reads.
 */

export type DefinitionKind =
  | 'var'
  | 'let'
  | 'const'
  | 'using'
  | 'function'
  | 'function-name'
  | 'class'
  | 'class-name'
  | 'import'
  | 'param'
  | 'param-property'
  | 'catch'
  | 'type'
  | 'enum'
  | 'namespace'
  | 'type-param';

export interface Definition {
  kind: DefinitionKind;
  /** The binding identifier. */
  name: AstNode;
  /** The declarator, specifier, function, class or type declaration. */
  declaration: AstNode;
  /** The statement holding it (`VariableDeclaration`, `ImportDeclaration`), if any. */
  statement: AstNode | undefined;
  exported: boolean;
  /** Inside `declare`, `declare module`, `declare global`: a description of something elsewhere. */
  ambient: boolean;
  /** An object-pattern binding next to a `...rest` element: it exists to leave the rest. */
  restSibling: boolean;
  decorated: boolean;
  /** For parameters: the function and the parameter's position. */
  paramIndex: number;
}

export interface Scope {
  kind: 'module' | 'function' | 'block' | 'class' | 'catch' | 'type';
  node: AstNode;
  parent: Scope | undefined;
  variables: Map<string, Variable>;
}

export interface Variable {
  name: string;
  scope: Scope;
  definitions: Definition[];
  reads: number;
  writes: number;
}

export interface ScopeAnalysis {
  module: Scope;
  variables: Variable[];
  /** Top-level declarations are file-local: ES module, CommonJS, or `.mjs`/`.cjs`/`.mts`/`.cts`. */
  topLevelIsLocal: boolean;
  /** Direct `eval` or `with` defeat static analysis; binding rules stay silent then. */
  dynamic: boolean;
  hasJsx: boolean;
  /** Names referenced but declared nowhere in the file (globals). */
  unresolved: Set<string>;
}

type Role =
  | { t: 'skip' }
  | { t: 'write' }
  | { t: 'readwrite' }
  | {
      t: 'bind';
      scope: Scope;
      kind: DefinitionKind;
      declaration: AstNode;
      statement: AstNode | undefined;
      exported: boolean;
      restSibling: boolean;
      decorated: boolean;
      paramIndex: number;
    };

type Binding = Extract<Role, { t: 'bind' }>;

const SKIP: Role = { t: 'skip' };
const WRITE: Role = { t: 'write' };
const READWRITE: Role = { t: 'readwrite' };

/** How a reference uses its name, as bits. */
const READ = 1;
const WRITE_BIT = 2;

const cache = new WeakMap<AstNode, ScopeAnalysis>();

/** Analyses the bindings of a program once; later calls with the same program are free. */
export function analyzeScopes(program: AstNode, file: string): ScopeAnalysis {
  const cached = cache.get(program);
  if (cached) return cached;
  const result = analyze(program, file);
  cache.set(program, result);
  return result;
}

const KEYED_MEMBERS = new Set([
  'MethodDefinition',
  'PropertyDefinition',
  'AccessorProperty',
  'TSAbstractMethodDefinition',
  'TSAbstractPropertyDefinition',
  'TSAbstractAccessorProperty',
  'TSPropertySignature',
  'TSMethodSignature',
]);

/** Node types the scope walk acts on (besides `Identifier`): the cases of its switch and keyed members. */
const HANDLED_TYPES: ReadonlySet<string> = new Set([
  'MemberExpression',
  'CallExpression',
  'JSXIdentifier',
  'JSXOpeningElement',
  'JSXOpeningFragment',
  'ObjectPattern',
  'ArrayPattern',
  'AssignmentPattern',
  'RestElement',
  'Property',
  'LabeledStatement',
  'BreakStatement',
  'ContinueStatement',
  'MetaProperty',
  'ImportAttribute',
  'TSEnumMember',
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportDefaultDeclaration',
  'ExportAllDeclaration',
  'VariableDeclaration',
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'TSDeclareFunction',
  'TSEmptyBodyFunctionExpression',
  'TSFunctionType',
  'TSConstructorType',
  'TSCallSignatureDeclaration',
  'TSConstructSignatureDeclaration',
  'TSMethodSignature',
  'ClassDeclaration',
  'ClassExpression',
  'BlockStatement',
  'StaticBlock',
  'SwitchStatement',
  'ForStatement',
  'TSModuleBlock',
  'ForInStatement',
  'ForOfStatement',
  'CatchClause',
  'AssignmentExpression',
  'UpdateExpression',
  'TSTypeAliasDeclaration',
  'TSInterfaceDeclaration',
  'TSEnumDeclaration',
  'TSModuleDeclaration',
  'TSImportEqualsDeclaration',
  'TSQualifiedName',
  'TSImportType',
  'TSTypeParameter',
  'TSMappedType',
  'TSIndexSignature',
  'TSTypePredicate',
  'TSNamedTupleMember',
  'TSParameterProperty',
  'WithStatement',
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  ...KEYED_MEMBERS,
]);

function analyze(program: AstNode, file: string): ScopeAnalysis {
  const module: Scope = { kind: 'module', node: program, parent: undefined, variables: new Map() };
  const all: Variable[] = [];
  // References as parallel arrays: one object per identifier would dominate the allocation.
  const referenceNames: string[] = [];
  const referenceScopes: Scope[] = [];
  const referenceUses: number[] = [];
  const roles = new Map<AstNode, Role>();
  const exportedDeclarations = new Set<AstNode>();
  const ambientNodes = new Set<AstNode>();
  let ambientDepth = 0;
  let current = module;
  let dynamic = false;
  let hasJsx = false;

  const push = (kind: Scope['kind'], node: AstNode): Scope => {
    current = { kind, node, parent: current, variables: new Map() };
    return current;
  };
  const functionScope = (scope: Scope): Scope => {
    let s: Scope | undefined = scope;
    while (s && s.kind !== 'function' && s.kind !== 'module') s = s.parent;
    return s ?? module;
  };
  const bind = (
    scope: Scope,
    kind: DefinitionKind,
    declaration: AstNode,
    extra: Partial<Binding> = {},
  ): Binding => ({
    t: 'bind',
    scope,
    kind,
    declaration,
    statement: undefined,
    exported: false,
    restSibling: false,
    decorated: false,
    paramIndex: -1,
    ...extra,
  });
  const declare = (name: AstNode, role: Binding): void => {
    const key = name.name as string;
    let variable = role.scope.variables.get(key);
    if (!variable) {
      variable = { name: key, scope: role.scope, definitions: [], reads: 0, writes: 0 };
      role.scope.variables.set(key, variable);
      all.push(variable);
    }
    variable.definitions.push({
      kind: role.kind,
      name,
      declaration: role.declaration,
      statement: role.statement,
      exported: role.exported,
      ambient: ambientDepth > 0,
      restSibling: role.restSibling,
      decorated: role.decorated,
      paramIndex: role.paramIndex,
    });
  };
  const reference = (name: string, read: boolean, write: boolean): void => {
    referenceNames.push(name);
    referenceScopes.push(current);
    referenceUses.push((read ? READ : 0) | (write ? WRITE_BIT : 0));
  };
  const setParams = (fn: AstNode, scope: Scope | undefined): void => {
    list(fn, 'params').forEach((param, index) => {
      if (!param) return;
      if (param.type === 'Identifier' && param.name === 'this') roles.set(param, SKIP);
      else if (!scope) roles.set(param, SKIP);
      else if (param.type === 'TSParameterProperty') {
        roles.set(param, bind(scope, 'param-property', fn, { paramIndex: index }));
      } else roles.set(param, bind(scope, 'param', fn, { paramIndex: index }));
    });
  };
  const markAmbient = (node: AstNode): void => {
    ambientNodes.add(node);
    ambientDepth++;
  };

  walk(program, {
    enter(node, parent) {
      const type = node.type;
      if (type === 'Identifier') {
        const role = roles.get(node);
        if (role === undefined) reference(node.name as string, true, false);
        else if (role.t === 'bind') declare(node, role);
        else if (role.t === 'write') reference(node.name as string, false, true);
        else if (role.t === 'readwrite') reference(node.name as string, true, true);
        return;
      }
      // Most nodes play no part; one set lookup spares them the long switch below.
      if (!HANDLED_TYPES.has(type)) return;
      const role = roles.get(node);
      switch (type) {
        case 'MemberExpression': {
          const property = field(node, 'property');
          if (property && !node.computed) roles.set(property, SKIP);
          return;
        }
        case 'CallExpression': {
          const callee = field(node, 'callee');
          if (callee?.type === 'Identifier' && callee.name === 'eval') dynamic = true;
          return;
        }
        case 'JSXIdentifier': {
          const name = node.name as string;
          if (!parent) return;
          const isTagName =
            (parent.type === 'JSXOpeningElement' || parent.type === 'JSXClosingElement') &&
            parent.name === node &&
            /^[A-Z_$]/.test(name);
          const isObject = parent.type === 'JSXMemberExpression' && parent.object === node;
          if ((isTagName || isObject) && name !== 'this') reference(name, true, false);
          return;
        }
        case 'JSXOpeningElement':
        case 'JSXOpeningFragment':
          hasJsx = true;
          return;
        case 'ObjectPattern':
        case 'ArrayPattern':
        case 'AssignmentPattern':
        case 'RestElement':
          if (role) propagatePattern(node, role, roles);
          return;
        case 'Property': {
          const key = field(node, 'key');
          const value = field(node, 'value');
          // A shorthand property may hold one node as both key and value: the value wins.
          if (key && !node.computed && key !== value) roles.set(key, SKIP);
          if (parent?.type === 'ObjectPattern' && value && role) roles.set(value, role);
          return;
        }
        case 'LabeledStatement':
        case 'BreakStatement':
        case 'ContinueStatement': {
          const label = field(node, 'label');
          if (label) roles.set(label, SKIP);
          return;
        }
        case 'MetaProperty':
          for (const key of ['meta', 'property']) {
            const child = field(node, key);
            if (child) roles.set(child, SKIP);
          }
          return;
        case 'ImportAttribute':
        case 'TSEnumMember': {
          const key = field(node, node.type === 'ImportAttribute' ? 'key' : 'id');
          if (key) roles.set(key, SKIP);
          return;
        }
        case 'ImportDeclaration': {
          for (const specifier of nodes(node, 'specifiers')) {
            const imported = field(specifier, 'imported');
            if (imported) roles.set(imported, SKIP);
            const local = field(specifier, 'local');
            if (local) {
              roles.set(local, bind(current, 'import', specifier, { statement: node }));
            }
          }
          return;
        }
        case 'ExportNamedDeclaration': {
          const declaration = field(node, 'declaration');
          if (declaration) exportedDeclarations.add(declaration);
          const fromSource = field(node, 'source') !== undefined;
          for (const specifier of nodes(node, 'specifiers')) {
            const exported = field(specifier, 'exported');
            const local = field(specifier, 'local');
            if (exported && exported !== local) roles.set(exported, SKIP);
            if (local && fromSource) roles.set(local, SKIP);
          }
          return;
        }
        case 'ExportDefaultDeclaration': {
          const declaration = field(node, 'declaration');
          if (declaration) exportedDeclarations.add(declaration);
          return;
        }
        case 'ExportAllDeclaration': {
          const exported = field(node, 'exported');
          if (exported) roles.set(exported, SKIP);
          return;
        }
        case 'VariableDeclaration': {
          if (flag(node, 'declare')) markAmbient(node);
          const kind = node.kind as string;
          const definitionKind: DefinitionKind =
            kind === 'var' ? 'var' : kind === 'let' ? 'let' : kind === 'const' ? 'const' : 'using';
          const scope = kind === 'var' ? functionScope(current) : current;
          const exported = exportedDeclarations.has(node);
          for (const declarator of nodes(node, 'declarations')) {
            const id = field(declarator, 'id');
            if (id) {
              roles.set(id, bind(scope, definitionKind, declarator, { statement: node, exported }));
            }
          }
          return;
        }
        case 'FunctionDeclaration':
        case 'FunctionExpression':
        case 'ArrowFunctionExpression': {
          if (flag(node, 'declare')) markAmbient(node);
          const id = field(node, 'id');
          const outer = current;
          const scope = push('function', node);
          if (id) {
            roles.set(
              id,
              node.type === 'FunctionDeclaration'
                ? bind(outer, 'function', node, { exported: exportedDeclarations.has(node) })
                : bind(scope, 'function-name', node),
            );
          }
          setParams(node, scope);
          return;
        }
        case 'TSDeclareFunction': {
          if (flag(node, 'declare')) markAmbient(node);
          const id = field(node, 'id');
          if (id) {
            roles.set(
              id,
              bind(current, 'function', node, { exported: exportedDeclarations.has(node) }),
            );
          }
          push('type', node);
          setParams(node, undefined);
          return;
        }
        case 'TSEmptyBodyFunctionExpression':
        case 'TSFunctionType':
        case 'TSConstructorType':
        case 'TSCallSignatureDeclaration':
        case 'TSConstructSignatureDeclaration':
        case 'TSMethodSignature':
          if (node.type === 'TSMethodSignature') skipKey(node, roles);
          push('type', node);
          setParams(node, undefined);
          return;
        case 'ClassDeclaration':
        case 'ClassExpression': {
          if (flag(node, 'declare')) markAmbient(node);
          const id = field(node, 'id');
          const outer = current;
          const scope = push('class', node);
          if (id) {
            roles.set(
              id,
              node.type === 'ClassDeclaration'
                ? bind(outer, 'class', node, {
                    exported: exportedDeclarations.has(node),
                    decorated: list(node, 'decorators').length > 0,
                  })
                : bind(scope, 'class-name', node),
            );
          }
          return;
        }
        case 'BlockStatement':
          if (!(parent && isFunction(parent) && parent.body === node)) push('block', node);
          return;
        case 'StaticBlock':
        case 'SwitchStatement':
        case 'ForStatement':
        case 'TSModuleBlock':
          push('block', node);
          return;
        case 'ForInStatement':
        case 'ForOfStatement': {
          push('block', node);
          const left = field(node, 'left');
          if (left && left.type !== 'VariableDeclaration') roles.set(left, WRITE);
          return;
        }
        case 'CatchClause': {
          const scope = push('catch', node);
          const param = field(node, 'param');
          if (param) roles.set(param, bind(scope, 'catch', node));
          return;
        }
        case 'AssignmentExpression': {
          const left = field(node, 'left');
          if (left) roles.set(left, node.operator === '=' ? WRITE : READWRITE);
          return;
        }
        case 'UpdateExpression': {
          const argument = field(node, 'argument');
          if (argument) roles.set(argument, READWRITE);
          return;
        }
        case 'TSTypeAliasDeclaration':
        case 'TSInterfaceDeclaration':
        case 'TSEnumDeclaration': {
          if (flag(node, 'declare')) markAmbient(node);
          const id = field(node, 'id');
          const kind = node.type === 'TSEnumDeclaration' ? 'enum' : 'type';
          if (id) {
            roles.set(id, bind(current, kind, node, { exported: exportedDeclarations.has(node) }));
          }
          push('type', node);
          return;
        }
        case 'TSModuleDeclaration': {
          const id = field(node, 'id');
          if (flag(node, 'declare') || flag(node, 'global') || id?.type === 'Literal') {
            markAmbient(node);
          }
          if (id?.type === 'Identifier' && !flag(node, 'global')) {
            roles.set(
              id,
              bind(current, 'namespace', node, { exported: exportedDeclarations.has(node) }),
            );
          } else if (id?.type === 'TSQualifiedName') {
            let leftmost: AstNode | undefined = id;
            while (leftmost?.type === 'TSQualifiedName') {
              roles.set(leftmost, SKIP);
              leftmost = field(leftmost, 'left');
            }
            if (leftmost) {
              roles.set(
                leftmost,
                bind(current, 'namespace', node, { exported: exportedDeclarations.has(node) }),
              );
            }
          } else if (id) roles.set(id, SKIP);
          return;
        }
        case 'TSImportEqualsDeclaration': {
          const id = field(node, 'id');
          if (id) {
            roles.set(
              id,
              bind(current, 'import', node, {
                statement: node,
                exported: exportedDeclarations.has(node),
              }),
            );
          }
          return;
        }
        case 'TSQualifiedName': {
          const right = field(node, 'right');
          if (right) roles.set(right, SKIP);
          const left = field(node, 'left');
          if (role?.t === 'skip' && left) roles.set(left, SKIP);
          return;
        }
        case 'TSImportType': {
          const qualifier = field(node, 'qualifier');
          if (qualifier) roles.set(qualifier, SKIP);
          return;
        }
        case 'TSTypeParameter': {
          const name = field(node, 'name');
          if (name) roles.set(name, bind(current, 'type-param', node));
          return;
        }
        case 'TSMappedType': {
          const scope = push('type', node);
          const key = field(node, 'key');
          if (key) roles.set(key, bind(scope, 'type-param', node));
          return;
        }
        case 'TSIndexSignature':
          for (const parameter of nodes(node, 'parameters')) roles.set(parameter, SKIP);
          return;
        case 'TSTypePredicate': {
          const name = field(node, 'parameterName');
          if (name) roles.set(name, SKIP);
          return;
        }
        case 'TSNamedTupleMember': {
          const label = field(node, 'label');
          if (label) roles.set(label, SKIP);
          return;
        }
        case 'TSParameterProperty': {
          const parameter = field(node, 'parameter');
          if (parameter && role) roles.set(parameter, role);
          return;
        }
        case 'WithStatement':
          dynamic = true;
          return;
        case 'TSAsExpression':
        case 'TSSatisfiesExpression':
        case 'TSNonNullExpression':
        case 'TSTypeAssertion': {
          // `(x as T) = v` and `x! = v` still write `x`.
          const expression = field(node, 'expression');
          if (expression && role && role.t !== 'bind') roles.set(expression, role);
          return;
        }
        default:
          if (KEYED_MEMBERS.has(node.type)) skipKey(node, roles);
      }
    },
    leave(node) {
      if (current.node === node && current.parent) current = current.parent;
      // A marked node is open while the depth is positive: no lookup needed otherwise.
      if (ambientDepth > 0 && ambientNodes.has(node)) ambientDepth--;
    },
  });

  const unresolved = new Set<string>();
  for (let i = 0; i < referenceNames.length; i++) {
    const name = referenceNames[i]!;
    let scope: Scope | undefined = referenceScopes[i];
    let variable: Variable | undefined;
    while (scope && !variable) {
      variable = scope.variables.get(name);
      scope = scope.parent;
    }
    if (!variable) {
      unresolved.add(name);
      continue;
    }
    const uses = referenceUses[i]!;
    if ((uses & READ) !== 0) variable.reads++;
    if ((uses & WRITE_BIT) !== 0) variable.writes++;
  }

  const commonJs =
    unresolved.has('require') || unresolved.has('module') || unresolved.has('exports');
  return {
    module,
    variables: all,
    topLevelIsLocal: program.sourceType === 'module' || /\.[cm][jt]sx?$/.test(file) || commonJs,
    dynamic,
    hasJsx,
    unresolved,
  };
}

function skipKey(node: AstNode, roles: Map<AstNode, Role>): void {
  const key = field(node, 'key');
  if (key && !node.computed) roles.set(key, SKIP);
}

/** Hands a binding or assignment role down from a pattern to the names inside it. */
function propagatePattern(node: AstNode, role: Role, roles: Map<AstNode, Role>): void {
  switch (node.type) {
    case 'ObjectPattern': {
      const properties = nodes(node, 'properties');
      const hasRest = properties.some((p) => p.type === 'RestElement');
      const inner = hasRest && role.t === 'bind' ? { ...role, restSibling: true } : role;
      for (const property of properties) {
        roles.set(property, property.type === 'RestElement' ? role : inner);
      }
      return;
    }
    case 'ArrayPattern':
      for (const element of nodes(node, 'elements')) roles.set(element, role);
      return;
    case 'AssignmentPattern': {
      const left = field(node, 'left');
      if (left) roles.set(left, role);
      return;
    }
    case 'RestElement': {
      const argument = field(node, 'argument');
      if (argument) roles.set(argument, role);
      return;
    }
  }
}

/** Every name declared anywhere in the file, at any depth. */
export function declaredNames(program: AstNode, file: string): Set<string> {
  return new Set(analyzeScopes(program, file).variables.map((v) => v.name));
}
