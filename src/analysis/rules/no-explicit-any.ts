import type { FileRule } from './types.js';

export const noExplicitAny: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-explicit-any',
    category: 'type-safety',
    severity: 'major',
    effortMinutes: 5,
    fixability: 'none',
    eslint: '@typescript-eslint/no-explicit-any',
    description: 'The `any` type should not be used.',
    docs: '`any` switches the type checker off for a value and everything derived from it, so mistakes pass silently. Use `unknown` and narrow it, a precise type, or a generic parameter. Where `any` is truly needed (interop with untyped code), isolate it in one small, commented function.',
  },
  create(context) {
    return {
      TSAnyKeyword(node) {
        context.report({ node, message: 'Unexpected `any`; use `unknown` or a precise type.' });
      },
    };
  },
};
