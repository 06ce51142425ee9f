import { field, isSimpleReference, sameStructure } from './ast-utils.js';
import type { FileRule } from './types.js';

const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '>', '<=', '>=']);

export const noSelfCompare: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-self-compare',
    category: 'correctness',
    severity: 'major',
    effortMinutes: 3,
    fixability: 'none',
    eslint: 'no-self-compare',
    description: 'A value should not be compared with itself.',
    docs: 'Comparing a value with itself is always true or always false, except for NaN; it is usually a typo for a comparison with another variable. Fix the operand. To test for NaN, use `Number.isNaN(value)`.',
  },
  create(context) {
    return {
      BinaryExpression(node) {
        if (!COMPARISONS.has(node.operator as string)) return;
        const left = field(node, 'left')!;
        const right = field(node, 'right')!;
        if (!isSimpleReference(left) || !isSimpleReference(right)) return;
        if (sameStructure(left, right)) {
          context.report({ node, message: 'Comparing a value with itself.' });
        }
      },
    };
  },
};
