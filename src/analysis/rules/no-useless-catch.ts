import { field, identifierName, nodes } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noUselessCatch: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-useless-catch',
    category: 'error-handling',
    severity: 'minor',
    effortMinutes: 2,
    fixability: 'suggestion',
    description: 'A catch clause that only rethrows the caught error should be removed.',
    docs: '`catch (e) { throw e; }` does nothing but add nesting and suggest handling that does not happen. Remove the catch clause, and the `try` too when there is no `finally`. To add context, wrap instead: `throw new Error("...", { cause: e })`.',
  },
  create(context) {
    return {
      TryStatement(node) {
        const handler = field(node, 'handler');
        const param = identifierName(field(handler, 'param'));
        if (!handler || param === undefined) return;
        const body = nodes(field(handler, 'body'), 'body');
        const only = body[0];
        if (body.length !== 1 || only?.type !== 'ThrowStatement') return;
        if (identifierName(field(only, 'argument')) !== param) return;
        if (field(node, 'finalizer')) {
          context.report({ node: handler, message: 'Unnecessary catch clause: it only rethrows.' });
        } else {
          context.report({
            node,
            message: 'Unnecessary try/catch: the catch clause only rethrows.',
          });
        }
      },
    };
  },
};
