import { field, previousToken } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noUnsafeNegation: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-unsafe-negation',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 1,
    fixability: 'none',
    eslint: 'no-unsafe-negation',
    description:
      'The left operand of `in` and `instanceof` should not be negated without parentheses.',
    docs: '`!key in object` means `(!key) in object`, which tests for a property named "true" or "false", and `!a instanceof B` is always false. The intent is almost always `!(key in object)`. Add the parentheses; if the negated operand really is meant, write `(!a) in b`.',
  },
  create(context) {
    return {
      BinaryExpression(node) {
        const operator = node.operator as string;
        if (operator !== 'in' && operator !== 'instanceof') return;
        const left = field(node, 'left');
        if (left?.type !== 'UnaryExpression' || left.operator !== '!') return;
        if (
          context.source[previousToken(context.source, left.start)] === '(' &&
          node.start < left.start
        )
          return;
        context.report({
          node: left,
          message: `Unexpected negation of the left operand of '${operator}'.`,
        });
      },
    };
  },
};
