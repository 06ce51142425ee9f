import { FUNCTION_TYPES, type AstNode } from '../ast.js';
import { functionHead } from './ast-utils.js';
import { thresholdOptions } from './options.js';
import type { FileRule, RuleVisitor } from './types.js';

function isCallback(node: AstNode, parent: AstNode | undefined): boolean {
  if (!parent || (parent.type !== 'CallExpression' && parent.type !== 'NewExpression'))
    return false;
  const args = parent.arguments;
  return Array.isArray(args) && args.includes(node);
}

const options = thresholdOptions(4, 'Most callbacks that may be nested inside each other.');

export const maxNestedCallbacks: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'max-nested-callbacks',
    category: 'complexity',
    severity: 'major',
    effortMinutes: 15,
    fixability: 'none',
    eslint: 'max-nested-callbacks',
    description: 'Callbacks should not be nested too deeply.',
    docs: 'Callbacks passed inside callbacks inside callbacks ("callback hell") hide the order of execution and make error handling fragile. Flatten them with async/await, name the inner functions and move them out, or compose promises instead of nesting them.',
  },
  options,
  create(context) {
    const { threshold } = context.options;
    const callbacks: AstNode[] = [];
    const visitor: RuleVisitor = {};
    for (const type of FUNCTION_TYPES) {
      visitor[type] = (node, parent) => {
        if (!isCallback(node, parent)) return;
        callbacks.push(node);
        if (callbacks.length === threshold + 1) {
          context.report({
            ...functionHead(node, parent),
            message: `Callbacks are nested more than ${threshold} levels deep.`,
          });
        }
      };
      visitor[`${type}:exit`] = (node) => {
        if (callbacks[callbacks.length - 1] === node) callbacks.pop();
      };
    }
    return visitor;
  },
};
