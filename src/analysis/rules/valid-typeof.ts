import type { AstNode } from '../ast.js';
import { field, staticString } from './ast-utils.js';
import type { FileRule } from './types.js';

const TYPES = new Set([
  'undefined',
  'object',
  'boolean',
  'number',
  'string',
  'function',
  'symbol',
  'bigint',
]);
const EQUALITY = new Set(['===', '!==', '==', '!=']);

function isTypeof(node: AstNode | undefined): boolean {
  return node?.type === 'UnaryExpression' && node.operator === 'typeof';
}

export const validTypeof: FileRule = {
  kind: 'file',
  meta: {
    id: 'valid-typeof',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 1,
    fixability: 'none',
    eslint: 'valid-typeof',
    description: '`typeof` should be compared with a valid type name.',
    docs: '`typeof` returns one of "undefined", "object", "boolean", "number", "string", "function", "symbol" or "bigint". A comparison with anything else, such as a misspelling ("strnig") or "null" or "array", is always false. Fix the string; test null with `=== null` and arrays with `Array.isArray`.',
  },
  create(context) {
    return {
      BinaryExpression(node) {
        if (!EQUALITY.has(node.operator as string)) return;
        const left = field(node, 'left');
        const right = field(node, 'right');
        const other = isTypeof(left) ? right : isTypeof(right) ? left : undefined;
        const value = staticString(other);
        if (other && value !== undefined && !TYPES.has(value)) {
          context.report({ node: other, message: `Invalid typeof comparison value '${value}'.` });
        }
      },
    };
  },
};
