import { field, operatorRange } from './ast-utils.js';
import type { FileRule } from './types.js';

export const eqeqeq: FileRule = {
  kind: 'file',
  meta: {
    id: 'eqeqeq',
    category: 'correctness',
    severity: 'major',
    effortMinutes: 1,
    fixability: 'suggestion',
    description: 'Use `===` and `!==` instead of `==` and `!=`, except to compare with `null`.',
    docs: 'Loose equality converts its operands with surprising rules (`"" == 0`, `"0" == false`, `[] == false` are all true). Strict equality compares without conversion. Replace `==` with `===` and `!=` with `!==`; this can change behaviour when the operands have different types, so check those cases. `x == null`, which matches both null and undefined, is allowed.',
  },
  create(context) {
    return {
      BinaryExpression(node) {
        const operator = node.operator as string;
        if (operator !== '==' && operator !== '!=') return;
        const left = field(node, 'left')!;
        const right = field(node, 'right')!;
        const isNull = (n: typeof left): boolean =>
          n.type === 'Literal' && n.value === null && n.raw === 'null';
        if (isNull(left) || isNull(right)) return;
        context.report({
          ...operatorRange(context.source, left, right, operator),
          message: `Expected '${operator}=' and instead saw '${operator}'.`,
        });
      },
    };
  },
};
