import { isFunction, type AstNode } from '../ast.js';
import { field, flag, list, nodes } from './ast-utils.js';
import type { DefinitionKind } from './scope.js';
import { bind, READWRITE, WRITE, type Role, type ScopeBuilder } from './scope-builder.js';

/**
 * What the scope walk does on entering a node of one type (`Identifier` aside, which the builder
 * handles itself): open a scope, hand roles down to the identifiers below, or note a fact about the
 * file. Node types without a visitor play no part.
 */
export type ScopeVisitor = (b: ScopeBuilder, node: AstNode, parent: AstNode | undefined) => void;

/** Names under these keys are labels, keys or qualifiers: neither bindings nor references. */
function skipChildren(...keys: string[]): ScopeVisitor {
  return (b, node) => {
    for (const key of keys) b.skip(field(node, key));
  };
}

/** Hands the node's own role (a binding or an assignment) down to the child under `key`. */
function passRole(key: string): ScopeVisitor {
  return (b, node) => {
    const role = b.roles.get(node);
    if (role) b.assign(field(node, key), role);
  };
}

function markAmbientIfDeclared(b: ScopeBuilder, node: AstNode): void {
  if (flag(node, 'declare')) b.markAmbient(node);
}

// Names that are not references

function visitMemberExpression(b: ScopeBuilder, node: AstNode): void {
  if (!node.computed) b.skip(field(node, 'property'));
}

/** Class members and object type members: a non-computed key names no variable. */
function skipKey(b: ScopeBuilder, node: AstNode): void {
  if (!node.computed) b.skip(field(node, 'key'));
}

function visitProperty(b: ScopeBuilder, node: AstNode, parent: AstNode | undefined): void {
  const key = field(node, 'key');
  const value = field(node, 'value');
  // A shorthand property may hold one node as both key and value: the value wins.
  if (key && !node.computed && key !== value) b.skip(key);
  const role = b.roles.get(node);
  if (parent?.type === 'ObjectPattern' && value && role) b.assign(value, role);
}

function visitQualifiedName(b: ScopeBuilder, node: AstNode): void {
  b.skip(field(node, 'right'));
  if (b.roles.get(node)?.t === 'skip') b.skip(field(node, 'left'));
}

function visitIndexSignature(b: ScopeBuilder, node: AstNode): void {
  for (const parameter of nodes(node, 'parameters')) b.skip(parameter);
}

// Facts about the file

function visitCall(b: ScopeBuilder, node: AstNode): void {
  const callee = field(node, 'callee');
  if (callee?.type === 'Identifier' && callee.name === 'eval') b.dynamic = true;
}

function visitWith(b: ScopeBuilder): void {
  b.dynamic = true;
}

function markJsx(b: ScopeBuilder): void {
  b.hasJsx = true;
}

/** Component tag names (`<Foo>`, `<Foo.Bar>`) read a variable; intrinsic tags do not. */
function visitJsxIdentifier(b: ScopeBuilder, node: AstNode, parent: AstNode | undefined): void {
  const name = node.name as string;
  if (
    parent &&
    name !== 'this' &&
    (isComponentTag(node, parent, name) || isJsxObject(node, parent))
  )
    b.read(name);
}

function isComponentTag(node: AstNode, parent: AstNode, name: string): boolean {
  return (
    (parent.type === 'JSXOpeningElement' || parent.type === 'JSXClosingElement') &&
    parent.name === node &&
    /^[A-Z_$]/.test(name)
  );
}

function isJsxObject(node: AstNode, parent: AstNode): boolean {
  return parent.type === 'JSXMemberExpression' && parent.object === node;
}

// Patterns and assignments

function visitObjectPattern(b: ScopeBuilder, node: AstNode): void {
  const role = b.roles.get(node);
  if (!role) return;
  const properties = nodes(node, 'properties');
  const hasRest = properties.some((p) => p.type === 'RestElement');
  const inner: Role = hasRest && role.t === 'bind' ? { ...role, restSibling: true } : role;
  for (const property of properties) {
    b.roles.set(property, property.type === 'RestElement' ? role : inner);
  }
}

function visitArrayPattern(b: ScopeBuilder, node: AstNode): void {
  const role = b.roles.get(node);
  if (!role) return;
  for (const element of nodes(node, 'elements')) b.roles.set(element, role);
}

function visitAssignment(b: ScopeBuilder, node: AstNode): void {
  b.assign(field(node, 'left'), node.operator === '=' ? WRITE : READWRITE);
}

function visitUpdate(b: ScopeBuilder, node: AstNode): void {
  b.assign(field(node, 'argument'), READWRITE);
}

/** `(x as T) = v` and `x! = v` still write `x`. */
function visitTypeWrapper(b: ScopeBuilder, node: AstNode): void {
  const role = b.roles.get(node);
  if (role && role.t !== 'bind') b.assign(field(node, 'expression'), role);
}

// Modules

function visitImport(b: ScopeBuilder, node: AstNode): void {
  for (const specifier of nodes(node, 'specifiers')) {
    b.skip(field(specifier, 'imported'));
    b.assign(field(specifier, 'local'), bind(b.current, 'import', specifier, { statement: node }));
  }
}

function visitExportNamed(b: ScopeBuilder, node: AstNode): void {
  b.markExported(field(node, 'declaration'));
  const fromSource = field(node, 'source') !== undefined;
  for (const specifier of nodes(node, 'specifiers')) {
    const exported = field(specifier, 'exported');
    const local = field(specifier, 'local');
    if (exported !== local) b.skip(exported);
    if (fromSource) b.skip(local);
  }
}

function visitExportDefault(b: ScopeBuilder, node: AstNode): void {
  b.markExported(field(node, 'declaration'));
}

function visitImportEquals(b: ScopeBuilder, node: AstNode): void {
  const role = bind(b.current, 'import', node, { statement: node, exported: b.isExported(node) });
  b.assign(field(node, 'id'), role);
}

// Declarations

const VARIABLE_KINDS: ReadonlyMap<string, DefinitionKind> = new Map([
  ['var', 'var'],
  ['let', 'let'],
  ['const', 'const'],
]);

function visitVariableDeclaration(b: ScopeBuilder, node: AstNode): void {
  markAmbientIfDeclared(b, node);
  const kind = node.kind as string;
  const definitionKind = VARIABLE_KINDS.get(kind) ?? 'using';
  const scope = kind === 'var' ? b.functionScope() : b.current;
  const exported = b.isExported(node);
  for (const declarator of nodes(node, 'declarations')) {
    const role = bind(scope, definitionKind, declarator, { statement: node, exported });
    b.assign(field(declarator, 'id'), role);
  }
}

/** A declaration binds its name outside the scope it opens; an expression's name, inside it. */
function visitFunction(b: ScopeBuilder, node: AstNode): void {
  markAmbientIfDeclared(b, node);
  const id = field(node, 'id');
  const outer = b.current;
  const scope = b.push('function', node);
  if (id) {
    b.assign(
      id,
      node.type === 'FunctionDeclaration'
        ? bind(outer, 'function', node, { exported: b.isExported(node) })
        : bind(scope, 'function-name', node),
    );
  }
  b.setParams(node, scope);
}

function visitDeclareFunction(b: ScopeBuilder, node: AstNode): void {
  markAmbientIfDeclared(b, node);
  b.assign(field(node, 'id'), bind(b.current, 'function', node, { exported: b.isExported(node) }));
  b.push('type', node);
  b.setParams(node, undefined);
}

/** Function types and signatures: their parameters name nothing that code can reference. */
function visitSignature(b: ScopeBuilder, node: AstNode): void {
  b.push('type', node);
  b.setParams(node, undefined);
}

function visitMethodSignature(b: ScopeBuilder, node: AstNode): void {
  skipKey(b, node);
  visitSignature(b, node);
}

function visitClass(b: ScopeBuilder, node: AstNode): void {
  markAmbientIfDeclared(b, node);
  const id = field(node, 'id');
  const outer = b.current;
  const scope = b.push('class', node);
  if (id) {
    b.assign(
      id,
      node.type === 'ClassDeclaration'
        ? bind(outer, 'class', node, {
            exported: b.isExported(node),
            decorated: list(node, 'decorators').length > 0,
          })
        : bind(scope, 'class-name', node),
    );
  }
}

function visitTypeDeclaration(b: ScopeBuilder, node: AstNode): void {
  markAmbientIfDeclared(b, node);
  const kind = node.type === 'TSEnumDeclaration' ? 'enum' : 'type';
  b.assign(field(node, 'id'), bind(b.current, kind, node, { exported: b.isExported(node) }));
  b.push('type', node);
}

/** `namespace A`, `namespace A.B.C` (its leftmost name), `declare module 'x'`, `declare global`. */
function visitModuleDeclaration(b: ScopeBuilder, node: AstNode): void {
  const id = field(node, 'id');
  const global = flag(node, 'global');
  if (global || isAmbientModule(node, id)) b.markAmbient(node);
  const role = bind(b.current, 'namespace', node, { exported: b.isExported(node) });
  if (id?.type === 'Identifier' && !global) b.assign(id, role);
  else if (id?.type === 'TSQualifiedName') b.assign(skipQualifiers(b, id), role);
  else b.skip(id);
}

/** `declare namespace A` and `module 'x'` describe code that lives elsewhere. */
function isAmbientModule(node: AstNode, id: AstNode | undefined): boolean {
  return flag(node, 'declare') || id?.type === 'Literal';
}

/** Skips the qualified names of `A.B.C` down to the leftmost name, which it returns. */
function skipQualifiers(b: ScopeBuilder, id: AstNode): AstNode | undefined {
  let leftmost: AstNode | undefined = id;
  while (leftmost?.type === 'TSQualifiedName') {
    b.skip(leftmost);
    leftmost = field(leftmost, 'left');
  }
  return leftmost;
}

function visitTypeParameter(b: ScopeBuilder, node: AstNode): void {
  b.assign(field(node, 'name'), bind(b.current, 'type-param', node));
}

function visitMappedType(b: ScopeBuilder, node: AstNode): void {
  const scope = b.push('type', node);
  b.assign(field(node, 'key'), bind(scope, 'type-param', node));
}

function visitCatch(b: ScopeBuilder, node: AstNode): void {
  const scope = b.push('catch', node);
  b.assign(field(node, 'param'), bind(scope, 'catch', node));
}

// Blocks

/** A function's body shares the function's scope. */
function visitBlock(b: ScopeBuilder, node: AstNode, parent: AstNode | undefined): void {
  if (!(parent && isFunction(parent) && parent.body === node)) b.push('block', node);
}

function openBlock(b: ScopeBuilder, node: AstNode): void {
  b.push('block', node);
}

/** `for (x of xs)` writes `x`; `for (const x of xs)` declares it. */
function visitForInOf(b: ScopeBuilder, node: AstNode): void {
  b.push('block', node);
  const left = field(node, 'left');
  if (left && left.type !== 'VariableDeclaration') b.assign(left, WRITE);
}

const KEYED_MEMBERS = [
  'MethodDefinition',
  'PropertyDefinition',
  'AccessorProperty',
  'TSAbstractMethodDefinition',
  'TSAbstractPropertyDefinition',
  'TSAbstractAccessorProperty',
  'TSPropertySignature',
] as const;

const skipLabel = skipChildren('label');

/** The scope walk's visitors by node type. */
export const SCOPE_VISITORS: ReadonlyMap<string, ScopeVisitor> = new Map<string, ScopeVisitor>([
  ['MemberExpression', visitMemberExpression],
  ['CallExpression', visitCall],
  ['JSXIdentifier', visitJsxIdentifier],
  ['JSXOpeningElement', markJsx],
  ['JSXOpeningFragment', markJsx],
  ['ObjectPattern', visitObjectPattern],
  ['ArrayPattern', visitArrayPattern],
  ['AssignmentPattern', passRole('left')],
  ['RestElement', passRole('argument')],
  ['Property', visitProperty],
  ['LabeledStatement', skipLabel],
  ['BreakStatement', skipLabel],
  ['ContinueStatement', skipLabel],
  ['MetaProperty', skipChildren('meta', 'property')],
  ['ImportAttribute', skipChildren('key')],
  ['TSEnumMember', skipChildren('id')],
  ['ImportDeclaration', visitImport],
  ['ExportNamedDeclaration', visitExportNamed],
  ['ExportDefaultDeclaration', visitExportDefault],
  ['ExportAllDeclaration', skipChildren('exported')],
  ['VariableDeclaration', visitVariableDeclaration],
  ['FunctionDeclaration', visitFunction],
  ['FunctionExpression', visitFunction],
  ['ArrowFunctionExpression', visitFunction],
  ['TSDeclareFunction', visitDeclareFunction],
  ['TSEmptyBodyFunctionExpression', visitSignature],
  ['TSFunctionType', visitSignature],
  ['TSConstructorType', visitSignature],
  ['TSCallSignatureDeclaration', visitSignature],
  ['TSConstructSignatureDeclaration', visitSignature],
  ['TSMethodSignature', visitMethodSignature],
  ['ClassDeclaration', visitClass],
  ['ClassExpression', visitClass],
  ['BlockStatement', visitBlock],
  ['StaticBlock', openBlock],
  ['SwitchStatement', openBlock],
  ['ForStatement', openBlock],
  ['TSModuleBlock', openBlock],
  ['ForInStatement', visitForInOf],
  ['ForOfStatement', visitForInOf],
  ['CatchClause', visitCatch],
  ['AssignmentExpression', visitAssignment],
  ['UpdateExpression', visitUpdate],
  ['TSTypeAliasDeclaration', visitTypeDeclaration],
  ['TSInterfaceDeclaration', visitTypeDeclaration],
  ['TSEnumDeclaration', visitTypeDeclaration],
  ['TSModuleDeclaration', visitModuleDeclaration],
  ['TSImportEqualsDeclaration', visitImportEquals],
  ['TSQualifiedName', visitQualifiedName],
  ['TSImportType', skipChildren('qualifier')],
  ['TSTypeParameter', visitTypeParameter],
  ['TSMappedType', visitMappedType],
  ['TSIndexSignature', visitIndexSignature],
  ['TSTypePredicate', skipChildren('parameterName')],
  ['TSNamedTupleMember', skipLabel],
  ['TSParameterProperty', passRole('parameter')],
  ['WithStatement', visitWith],
  ['TSAsExpression', visitTypeWrapper],
  ['TSSatisfiesExpression', visitTypeWrapper],
  ['TSNonNullExpression', visitTypeWrapper],
  ['TSTypeAssertion', visitTypeWrapper],
  ...KEYED_MEMBERS.map((type): [string, ScopeVisitor] => [type, skipKey]),
]);
