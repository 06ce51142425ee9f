import { field } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noNestedTernary: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-nested-ternary',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 5,
    fixability: 'none',
    eslint: 'no-nested-ternary',
    description: 'Conditional expressions should not be nested.',
    docs: 'A ternary inside a ternary makes the reader track several conditions and their pairing at once, and formatting rarely makes it clear. Use if/else statements, a lookup table, or a small function with early returns.',
  },
  create(context) {
    return {
      ConditionalExpression(node) {
        const consequent = field(node, 'consequent');
        const alternate = field(node, 'alternate');
        if (
          consequent?.type === 'ConditionalExpression' ||
          alternate?.type === 'ConditionalExpression'
        ) {
          context.report({ node, message: 'Do not nest conditional expressions.' });
        }
      },
    };
  },
};
