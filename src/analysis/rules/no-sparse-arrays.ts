import { list } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noSparseArrays: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-sparse-arrays',
    category: 'correctness',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'none',
    eslint: 'no-sparse-arrays',
    description: 'Array literals should not have holes (`[a, , b]`).',
    docs: 'An extra comma in an array literal creates a hole: the length grows but the slot is empty, and methods such as `forEach` and `map` skip it. This is almost always a typo. Remove the extra comma, or write `undefined` explicitly if an empty slot is meant.',
  },
  create(context) {
    return {
      ArrayExpression(node) {
        if (list(node, 'elements').includes(null)) {
          context.report({ node, message: 'Unexpected hole in an array literal.' });
        }
      },
    };
  },
};
