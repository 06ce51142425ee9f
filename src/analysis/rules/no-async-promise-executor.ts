import { field, isIdentifier, list } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noAsyncPromiseExecutor: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-async-promise-executor',
    category: 'error-handling',
    severity: 'critical',
    effortMinutes: 10,
    fixability: 'none',
    eslint: 'no-async-promise-executor',
    description: 'A Promise executor should not be an async function.',
    docs: "If an async executor throws, the error rejects the executor's own promise, which nobody observes, and the outer Promise never settles. An async executor is also a sign the `new Promise` wrapper is unnecessary. Make the enclosing function async and await directly, or keep the executor synchronous.",
  },
  create(context) {
    return {
      NewExpression(node) {
        if (!isIdentifier(field(node, 'callee'), 'Promise')) return;
        const executor = list(node, 'arguments')[0];
        if (
          executor &&
          (executor.type === 'FunctionExpression' || executor.type === 'ArrowFunctionExpression') &&
          executor.async === true
        ) {
          context.report({
            node: executor,
            message: 'Promise executor functions should not be async.',
          });
        }
      },
    };
  },
};
