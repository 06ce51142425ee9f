import type { AstNode } from '../ast.js';
import { field, isSimpleReference, sameStructure } from './ast-utils.js';
import type { FileRule } from './types.js';

function isNullish(node: AstNode | undefined): boolean {
  return (
    (node?.type === 'Literal' && node.value === null && node.raw === 'null') ||
    (node?.type === 'Identifier' && node.name === 'undefined')
  );
}

/** What a guard checks: `a` for `a`, `a != null`, `a !== undefined`. */
function guarded(guard: AstNode | undefined): AstNode | undefined {
  if (!guard) return undefined;
  if (guard.type === 'BinaryExpression' && (guard.operator === '!=' || guard.operator === '!==')) {
    const left = field(guard, 'left');
    const right = field(guard, 'right');
    if (isNullish(right)) return left;
    if (isNullish(left)) return right;
    return undefined;
  }
  return guard;
}

function matches(node: AstNode): boolean {
  if (node.type !== 'LogicalExpression' || node.operator !== '&&') return false;
  const left = field(node, 'left');
  const guard = guarded(
    left?.type === 'LogicalExpression' && left.operator === '&&' ? field(left, 'right') : left,
  );
  if (!guard || !isSimpleReference(guard)) return false;
  let current: AstNode | undefined = field(node, 'right');
  if (current?.type !== 'MemberExpression' && current?.type !== 'CallExpression') return false;
  while (current?.type === 'MemberExpression' || current?.type === 'CallExpression') {
    current = field(current, current.type === 'MemberExpression' ? 'object' : 'callee');
    if (current && sameStructure(current, guard)) return true;
  }
  return false;
}

export const preferOptionalChain: FileRule = {
  kind: 'file',
  meta: {
    id: 'prefer-optional-chain',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'suggestion',
    description: 'Guarded property access (`a && a.b`) should use optional chaining (`a?.b`).',
    docs: '`a && a.b && a.b.c` repeats each step of the path to guard against null or undefined; `a?.b?.c` says the same once. Rewrite the chain with `?.`. The result differs only when a guard is falsy but not nullish (`0`, `""`, `false`): `&&` yields that value, `?.` yields undefined, which matters outside of conditions.',
  },
  create(context) {
    return {
      LogicalExpression(node, parent) {
        if (!matches(node)) return;
        // Report the longest chain once.
        if (
          parent &&
          parent.type === 'LogicalExpression' &&
          parent.left === node &&
          matches(parent)
        )
          return;
        context.report({ node, message: 'Prefer an optional chain (`?.`) over `&&` guards.' });
      },
    };
  },
};
