import type { AstNode } from '../ast.js';
import { field } from './ast-utils.js';
import type { FileRule } from './types.js';

const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '>', '<=', '>=']);

function isNegativeZero(node: AstNode | undefined): boolean {
  if (node?.type !== 'UnaryExpression' || node.operator !== '-') return false;
  const argument = field(node, 'argument');
  return argument?.type === 'Literal' && argument.value === 0;
}

export const noCompareNegZero: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-compare-neg-zero',
    category: 'correctness',
    severity: 'major',
    effortMinutes: 1,
    fixability: 'none',
    eslint: 'no-compare-neg-zero',
    description: 'Values should not be compared with `-0`.',
    docs: '`x === -0` is also true for `+0`, so the comparison does not do what it says. Use `Object.is(x, -0)` to detect negative zero, or compare with `0` if the sign does not matter.',
  },
  create(context) {
    return {
      BinaryExpression(node) {
        if (!COMPARISONS.has(node.operator as string)) return;
        if (isNegativeZero(field(node, 'left')) || isNegativeZero(field(node, 'right'))) {
          context.report({ node, message: 'Do not compare with -0; use Object.is(x, -0).' });
        }
      },
    };
  },
};
