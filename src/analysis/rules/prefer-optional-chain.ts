import type { AstNode } from '../ast.js';
import { field, isSimpleReference, nextToken, sameStructure } from './ast-utils.js';
import { inBooleanContext, MEMBER_PRECEDENCE, replaceExpression, titled } from './fix-utils.js';
import { declaredNames } from './scope.js';
import type { FileRule, RuleContext, TextEdit } from './types.js';

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

/** `x` when the guard is a loose nullish check, `x != null` (or `!= undefined`), else undefined. */
function looselyChecked(context: RuleContext, guard: AstNode | undefined): AstNode | undefined {
  if (guard?.type !== 'BinaryExpression' || guard.operator !== '!=') return undefined;
  const left = field(guard, 'left');
  const right = field(guard, 'right');
  const nullish = (node: AstNode | undefined): boolean =>
    isNullish(node) &&
    (node!.type === 'Literal' || !declaredNames(context.program, context.file).has('undefined'));
  if (nullish(right)) return left;
  if (nullish(left)) return right;
  return undefined;
}

/** `a.b.c` with `?.` after the part that matches `checked`: `a?.b.c`. */
function chainAfter(source: string, access: AstNode, checked: AstNode): string | undefined {
  let current: AstNode | undefined = access;
  while (current?.type === 'MemberExpression' || current?.type === 'CallExpression') {
    const inner = field(current, current.type === 'MemberExpression' ? 'object' : 'callee');
    if (inner && sameStructure(inner, checked)) {
      const next = nextToken(source, inner.end);
      const head = source.slice(access.start, inner.end);
      if (source[next] === '.') return `${head}?.${source.slice(next + 1, access.end)}`;
      if (source[next] === '[' || source[next] === '(') {
        return `${head}?.${source.slice(next, access.end)}`;
      }
      return undefined;
    }
    current = inner;
  }
  return undefined;
}

/**
 * `a != null && a.b` -> `a?.b`, only where the value is read as a condition: there `false` and
 * `undefined` are alike. A plain `a && a.b` is not fixed: for `a = 0` it gives 0 where `a?.b`
 * reads a property of 0, which may be truthy (`(0).toFixed`).
 */
function toOptionalChain(context: RuleContext, node: AstNode): TextEdit | undefined {
  if (!inBooleanContext(context.program, node)) return undefined;
  const left = field(node, 'left')!;
  const conjunction = left.type === 'LogicalExpression' && left.operator === '&&';
  const guard = conjunction ? field(left, 'right') : left;
  const checked = looselyChecked(context, guard);
  const chain = checked && chainAfter(context.source, field(node, 'right')!, checked);
  if (!chain) return undefined;
  // In `p && a != null && a.b` only the last two operands become `a?.b`.
  if (conjunction) return { start: guard!.start, end: node.end, text: chain };
  return replaceExpression(context, node, { text: chain, strength: MEMBER_PRECEDENCE });
}

export const preferOptionalChain: FileRule = {
  kind: 'file',
  meta: {
    id: 'prefer-optional-chain',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: '@typescript-eslint/prefer-optional-chain',
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
        context.report({
          node,
          message: 'Prefer an optional chain (`?.`) over `&&` guards.',
          fix: () => titled('Use an optional chain', toOptionalChain(context, node)),
        });
      },
    };
  },
};
