import type { AstNode } from '../ast.js';
import { field } from './ast-utils.js';
import type { FileRule } from './types.js';

/** Expressions that can never evaluate to an Error object. */
function cannotBeError(node: AstNode | undefined): boolean {
  if (!node) return true;
  switch (node.type) {
    case 'Literal':
    case 'TemplateLiteral':
      return true;
    case 'Identifier':
      return node.name === 'undefined';
    case 'BinaryExpression':
      // String concatenation: `'failed: ' + reason`.
      return (
        node.operator === '+' &&
        (isStringish(field(node, 'left')) || isStringish(field(node, 'right')))
      );
    default:
      return false;
  }
}

function isStringish(node: AstNode | undefined): boolean {
  if (!node) return false;
  if (node.type === 'Literal') return typeof node.value === 'string';
  if (node.type === 'TemplateLiteral') return true;
  return node.type === 'BinaryExpression' && cannotBeError(node);
}

export const noThrowLiteral: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-throw-literal',
    category: 'error-handling',
    severity: 'major',
    effortMinutes: 2,
    fixability: 'none',
    eslint: 'no-throw-literal',
    description: 'Only Error objects should be thrown, not literals or strings.',
    docs: 'A thrown string or number carries no stack trace, so the failure cannot be traced, and catch blocks expecting `error.message` break. Throw `new Error(message)` or a subclass instead, passing the original error as `cause` when wrapping.',
  },
  create(context) {
    return {
      ThrowStatement(node) {
        const argument = field(node, 'argument');
        if (cannotBeError(argument)) {
          context.report({
            node: argument ?? node,
            message: 'Throw an Error object, not a literal.',
          });
        }
      },
    };
  },
};
