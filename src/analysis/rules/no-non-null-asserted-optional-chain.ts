import { field } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noNonNullAssertedOptionalChain: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-non-null-asserted-optional-chain',
    category: 'type-safety',
    severity: 'major',
    effortMinutes: 5,
    fixability: 'safe-fix',
    eslint: '@typescript-eslint/no-non-null-asserted-optional-chain',
    description: 'An optional chain should not end in a non-null assertion (`a?.b!`).',
    docs: 'Optional chaining says "this may be undefined"; the trailing `!` says "this is never undefined". Both cannot be true, and the assertion hides the undefined case from the compiler. Remove the `?.` if the value is always present, or remove the `!` and handle undefined.',
  },
  create(context) {
    return {
      TSNonNullExpression(node, parent) {
        if (
          parent?.type === 'ChainExpression' ||
          field(node, 'expression')?.type === 'ChainExpression'
        ) {
          context.report({
            node,
            message: 'Non-null assertion on an optional chain.',
            // The assertion only exists for the type checker: dropping the `!` changes no behaviour.
            fix: () =>
              context.source[node.end - 1] === '!'
                ? {
                    title: 'Drop the non-null assertion on an optional chain',
                    edits: { start: node.end - 1, end: node.end, text: '' },
                  }
                : undefined,
          });
        }
      },
    };
  },
};
