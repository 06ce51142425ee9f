import { walk, type AstNode } from '../ast.js';

/** One metric's view of the single walk: called before and after a node's children. */
export interface NodeVisitor {
  enter(node: AstNode, parent: AstNode | undefined): void;
  leave(node: AstNode, parent: AstNode | undefined): void;
}

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

/** Types, interfaces, signatures and bodiless functions: no control flow, no runtime tokens. */
export function isTypeOnly(node: AstNode): boolean {
  return node.type.startsWith('TS') && !RUNTIME_TS_TYPES.has(node.type);
}

/**
 * Walks `root` once and feeds every node to every visitor. Type-only subtrees are entered (so a
 * declaration can be counted) but their children are skipped: they cannot hold control flow.
 */
export function traverse(root: AstNode, visitors: readonly NodeVisitor[]): void {
  walk(root, {
    enter(node, parent) {
      for (const visitor of visitors) visitor.enter(node, parent);
      return !isTypeOnly(node);
    },
    leave(node, parent) {
      for (const visitor of visitors) visitor.leave(node, parent);
    },
  });
}

/** Reads a child node stored under `key`, or `undefined`. */
export function child(node: AstNode, key: string): AstNode | undefined {
  const value = node[key];
  return typeof value === 'object' && value !== null && 'type' in value
    ? (value as AstNode)
    : undefined;
}
