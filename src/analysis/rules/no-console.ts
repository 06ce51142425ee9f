import { field, identifierName, isIdentifier } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noConsole: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-console',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 2,
    fixability: 'none',
    eslint: 'no-console',
    description: 'Library code should not call `console` methods.',
    docs: 'Console calls in library code are usually leftovers from debugging; they clutter output, cannot be silenced or redirected by the application, and may leak data. Remove them, or route messages through an injected logger. Off by default: command-line entry points legitimately print.',
    optIn: true,
  },
  create(context) {
    return {
      CallExpression(node) {
        const callee = field(node, 'callee');
        if (
          callee?.type !== 'MemberExpression' ||
          !isIdentifier(field(callee, 'object'), 'console')
        )
          return;
        const method = identifierName(field(callee, 'property')) ?? '...';
        context.report({ node: callee, message: `Unexpected console.${method}() call.` });
      },
    };
  },
};
