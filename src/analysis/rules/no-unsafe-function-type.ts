import { field, identifierName } from './ast-utils.js';
import { declaredNames } from './scope.js';
import type { FileRule } from './types.js';

export const noUnsafeFunctionType: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-unsafe-function-type',
    category: 'type-safety',
    severity: 'minor',
    effortMinutes: 3,
    fixability: 'none',
    eslint: '@typescript-eslint/no-unsafe-function-type',
    description: 'The `Function` type should not be used.',
    docs: '`Function` accepts any callable and types its calls as returning `any`, so arguments and results go unchecked. Write the actual signature, such as `(value: string) => void`, or `(...args: never[]) => unknown` for "any function".',
  },
  create(context) {
    let declared: Set<string> | undefined;
    return {
      TSTypeReference(node) {
        if (identifierName(field(node, 'typeName')) !== 'Function') return;
        declared ??= declaredNames(context.program, context.file);
        if (declared.has('Function')) return;
        context.report({ node, message: 'Use a specific function type instead of `Function`.' });
      },
    };
  },
};
