import type { AstNode } from '../ast.js';
import { field, identifierName, isIdentifier, list } from './ast-utils.js';
import type { FileRule } from './types.js';

function isNotError(node: AstNode | null | undefined): boolean {
  if (!node) return true;
  return (
    node.type === 'Literal' || node.type === 'TemplateLiteral' || isIdentifier(node, 'undefined')
  );
}

const MESSAGE = 'Reject promises with an Error object.';

export const preferPromiseRejectErrors: FileRule = {
  kind: 'file',
  meta: {
    id: 'prefer-promise-reject-errors',
    category: 'error-handling',
    severity: 'major',
    effortMinutes: 2,
    fixability: 'none',
    eslint: 'prefer-promise-reject-errors',
    description: 'Promises should be rejected with Error objects, not literals or nothing.',
    docs: 'A rejection reason is what `catch` receives. A string or `undefined` has no stack trace and breaks handlers that read `error.message`. Reject with `new Error(...)` (or a subclass), in `Promise.reject(...)` as well as in the `reject` callback of a Promise executor.',
  },
  create(context) {
    // The names of `reject` parameters of the Promise executors we are inside.
    const rejecters: { fn: AstNode; name: string }[] = [];
    const executors = new Map<AstNode, string>();
    const leave = (node: AstNode): void => {
      if (rejecters[rejecters.length - 1]?.fn === node) rejecters.pop();
    };
    const enter = (node: AstNode): void => {
      const name = executors.get(node);
      if (name !== undefined) rejecters.push({ fn: node, name });
    };
    return {
      NewExpression(node) {
        if (!isIdentifier(field(node, 'callee'), 'Promise')) return;
        const executor = list(node, 'arguments')[0];
        const name = identifierName(list(executor, 'params')[1]);
        if (executor && name !== undefined) executors.set(executor, name);
      },
      FunctionExpression: enter,
      ArrowFunctionExpression: enter,
      'FunctionExpression:exit': leave,
      'ArrowFunctionExpression:exit': leave,
      CallExpression(node) {
        const callee = field(node, 'callee');
        const args = list(node, 'arguments');
        if (
          callee?.type === 'MemberExpression' &&
          !callee.computed &&
          isIdentifier(field(callee, 'object'), 'Promise') &&
          isIdentifier(field(callee, 'property'), 'reject')
        ) {
          if (isNotError(args[0])) context.report({ node, message: MESSAGE });
          return;
        }
        const name = identifierName(callee);
        if (name !== undefined && rejecters.some((r) => r.name === name) && isNotError(args[0])) {
          context.report({ node, message: MESSAGE });
        }
      },
    };
  },
};
