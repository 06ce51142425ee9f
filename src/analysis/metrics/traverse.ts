import { visitorKeys } from 'oxc-parser';
import type { AstNode } from '../ast.js';

/**
 * What the counters need to know about a node type, as bits, so each node's type is looked up once
 * per walk instead of once per counter (node types are not interned strings: every comparison or
 * set lookup on them costs a hash or a string compare).
 */
export const FUNCTION = 1 << 0;
/** Types, interfaces, signatures and bodiless functions: no control flow, no runtime tokens. */
export const TYPE_ONLY = 1 << 1;
/** Structural wrappers Halstead does not count. */
export const HALSTEAD_SKIP = 1 << 2;
/** Always a decision point for cyclomatic complexity. */
export const DECISION = 1 << 3;
/** A decision point depending on its fields (`case` with a test, `&&=`, `?.`). */
export const MAYBE_DECISION = 1 << 4;
/** Control statements ESLint's `max-depth` counts. */
export const NESTING = 1 << 5;
/** Always one logical line. */
export const STATEMENT = 1 << 6;
/** One logical line depending on its parent or declaration. */
export const MAYBE_STATEMENT = 1 << 7;
export const FOR = 1 << 8;
export const LOOP = 1 << 9;
/** Nodes whose children cognitive complexity may nest. */
export const NEST_PARENT = 1 << 10;
/** Nodes cognitive complexity looks at (besides functions). */
export const COGNITIVE = 1 << 11;
export const PROPERTY_DEFINITION = 1 << 12;
export const STATIC_BLOCK = 1 << 13;
export const IF = 1 << 14;
export const PROPERTY = 1 << 15;

/** TypeScript nodes that carry runtime code; every other `TS*` node is type-only. */
const RUNTIME_TS_TYPES: ReadonlySet<string> = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
  'TSEnumDeclaration',
  'TSEnumBody',
  'TSEnumMember',
  'TSModuleDeclaration',
  'TSModuleBlock',
  'TSParameterProperty',
  'TSExportAssignment',
  'TSImportEqualsDeclaration',
  'TSExternalModuleReference',
]);

const LOOPS = [
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
];

/** Bits of the types that have more than the FUNCTION / TYPE_ONLY bits. */
const KINDS: ReadonlyMap<string, number> = (() => {
  const kinds = new Map<string, number>();
  const mark = (bits: number, types: readonly string[]): void => {
    for (const type of types) kinds.set(type, (kinds.get(type) ?? 0) | bits);
  };
  mark(FUNCTION, ['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
  mark(HALSTEAD_SKIP, [
    'Program',
    'BlockStatement',
    'ExpressionStatement',
    'EmptyStatement',
    'ClassBody',
    'ChainExpression',
    'ParenthesizedExpression',
    'JSXExpressionContainer',
    'JSXEmptyExpression',
    'JSXOpeningElement',
    'JSXClosingElement',
    'JSXOpeningFragment',
    'JSXClosingFragment',
    'TSEnumBody',
    'TSModuleBlock',
  ]);
  mark(DECISION, [
    'IfStatement',
    'ConditionalExpression',
    'LogicalExpression',
    ...LOOPS,
    'CatchClause',
    'AssignmentPattern',
  ]);
  mark(MAYBE_DECISION, [
    'SwitchCase',
    'AssignmentExpression',
    'MemberExpression',
    'CallExpression',
  ]);
  mark(NESTING, ['IfStatement', 'SwitchStatement', 'TryStatement', 'WithStatement', ...LOOPS]);
  mark(STATEMENT, [
    'ExpressionStatement',
    'IfStatement',
    ...LOOPS,
    'ReturnStatement',
    'ThrowStatement',
    'TryStatement',
    'SwitchStatement',
    'BreakStatement',
    'ContinueStatement',
    'DebuggerStatement',
    'WithStatement',
    'FunctionDeclaration',
    'ClassDeclaration',
    'ImportDeclaration',
    'ExportAllDeclaration',
    'MethodDefinition',
    'PropertyDefinition',
    'AccessorProperty',
    'StaticBlock',
    'TSAbstractMethodDefinition',
    'TSAbstractPropertyDefinition',
    'TSAbstractAccessorProperty',
    'TSInterfaceDeclaration',
    'TSTypeAliasDeclaration',
    'TSEnumDeclaration',
    'TSModuleDeclaration',
    'TSDeclareFunction',
    'TSImportEqualsDeclaration',
    'TSExportAssignment',
    'TSNamespaceExportDeclaration',
  ]);
  mark(MAYBE_STATEMENT, [
    'VariableDeclaration',
    'ExportNamedDeclaration',
    'ExportDefaultDeclaration',
  ]);
  mark(FOR, ['ForStatement', 'ForInStatement', 'ForOfStatement']);
  mark(LOOP, LOOPS);
  mark(NEST_PARENT, [
    'IfStatement',
    'SwitchStatement',
    'CatchClause',
    'ConditionalExpression',
    ...LOOPS,
  ]);
  mark(COGNITIVE, [
    'IfStatement',
    'SwitchStatement',
    'ContinueStatement',
    'BreakStatement',
    'CatchClause',
    'ConditionalExpression',
    'LogicalExpression',
    'ReturnStatement',
    ...LOOPS,
  ]);
  mark(PROPERTY_DEFINITION, ['PropertyDefinition']);
  mark(STATIC_BLOCK, ['StaticBlock']);
  mark(IF, ['IfStatement']);
  mark(PROPERTY, ['Property']);
  return kinds;
})();

/** Everything the walk and the counters need about one node type; one per type, shared by all files. */
export class TypeInfo {
  readonly kind: number;
  /** oxc's visitor keys: where the children are. */
  readonly keys: readonly string[] | undefined;
  /** Halstead operator ids of this type, by variant (operator, kind, access form). */
  readonly operatorIds = new Map<string, number>();

  constructor(readonly type: string) {
    this.kind = (KINDS.get(type) ?? 0) | (isTypeOnly(type) ? TYPE_ONLY : 0);
    this.keys = visitorKeys[type];
  }
}

// Seeded from the visitor keys, whose property names are interned strings, so `info.type` compares
// by pointer; the `type` of a parsed node is a fresh string each time.
const TYPE_INFO = new Map<string, TypeInfo>(
  Object.keys(visitorKeys).map((type) => [type, new TypeInfo(type)]),
);

export function typeInfo(type: string): TypeInfo {
  let info = TYPE_INFO.get(type);
  if (info === undefined) TYPE_INFO.set(type, (info = new TypeInfo(type)));
  return info;
}

function isTypeOnly(type: string): boolean {
  return type.startsWith('TS') && !RUNTIME_TS_TYPES.has(type);
}

/**
 * One metric's view of the single walk: called before and after a node's children, with the bits
 * of the node's and its parent's types (0 for the root's missing parent).
 */
export interface NodeVisitor {
  enter(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void;
  leave(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void;
}

const ENTER = -1;

/**
 * Walks `root` once, depth first and iteratively (deep trees cannot overflow the stack), and feeds
 * every node to `visitor`. Type-only subtrees are entered (so a declaration can be counted) but
 * their children are skipped: they cannot hold control flow.
 */
export function traverse(root: AstNode, visitor: NodeVisitor): void {
  // Quads of (node, parent, parent's kind, ENTER | the node's TypeInfo for its exit).
  const stack: unknown[] = [root, undefined, 0, ENTER];
  while (stack.length > 0) {
    const phase = stack.pop() as TypeInfo | typeof ENTER;
    const parentKind = stack.pop() as number;
    const parent = stack.pop() as AstNode | undefined;
    const node = stack.pop() as AstNode;
    if (phase !== ENTER) {
      visitor.leave(node, phase, parent, parentKind);
      continue;
    }
    const info = typeInfo(node.type);
    visitor.enter(node, info, parent, parentKind);
    const kind = info.kind;
    if ((kind & TYPE_ONLY) !== 0) {
      visitor.leave(node, info, parent, parentKind);
      continue;
    }
    stack.push(node, parent, parentKind, info);
    const keys = info.keys;
    if (keys === undefined) continue;
    for (let k = keys.length - 1; k >= 0; k--) {
      const value = node[keys[k]!];
      if (value === null || typeof value !== 'object') continue;
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          const item = value[i] as AstNode | null;
          if (item !== null && typeof item === 'object' && typeof item.type === 'string')
            stack.push(item, node, kind, ENTER);
        }
      } else if (typeof (value as AstNode).type === 'string') {
        stack.push(value, node, kind, ENTER);
      }
    }
  }
}

/** Reads a child node stored under `key`, or `undefined`. */
export function child(node: AstNode, key: string): AstNode | undefined {
  const value = node[key];
  return typeof value === 'object' && value !== null && 'type' in value
    ? (value as AstNode)
    : undefined;
}
