import type { FileRule } from './types.js';

export const noNonNullAssertion: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-non-null-assertion',
    category: 'type-safety',
    severity: 'minor',
    effortMinutes: 5,
    fixability: 'none',
    eslint: '@typescript-eslint/no-non-null-assertion',
    description: 'Non-null assertions (`value!`) should not be used.',
    docs: 'A non-null assertion tells the compiler "trust me, this is not null or undefined" and removes the check; when the assumption is wrong the program fails later, far from the cause. Narrow with a condition, use optional chaining or `??`, or throw a descriptive error when the value is missing.',
  },
  create(context) {
    return {
      TSNonNullExpression(node) {
        context.report({
          start: node.end - 1,
          end: node.end,
          message: 'Forbidden non-null assertion.',
        });
      },
    };
  },
};
