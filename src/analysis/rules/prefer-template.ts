import type { AstNode } from '../ast.js';
import { field } from './ast-utils.js';
import type { FileRule } from './types.js';

function isStringLike(node: AstNode | undefined): boolean {
  return (
    (node?.type === 'Literal' && typeof node.value === 'string') || node?.type === 'TemplateLiteral'
  );
}

function isPlus(node: AstNode | undefined): node is AstNode {
  return node?.type === 'BinaryExpression' && node.operator === '+';
}

export const preferTemplate: FileRule = {
  kind: 'file',
  meta: {
    id: 'prefer-template',
    category: 'maintainability',
    severity: 'info',
    effortMinutes: 1,
    fixability: 'safe-fix',
    description: 'Strings should be built with template literals rather than concatenation.',
    docs: 'Concatenating strings and values with `+` scatters quotes and operators, hides missing spaces, and depends on operator order (`1 + 2 + "px"` is "3px"). A template literal (`${width}px`) reads as the final string. Only chains whose first or second operand is a string literal are reported, so every operand is already converted to a string and the rewrite keeps the result.',
  },
  create(context) {
    return {
      BinaryExpression(node, parent) {
        if (!isPlus(node)) return;
        // Report each chain once, at its top: `a + b + c` is `(a + b) + c`.
        if (isPlus(parent) && parent.left === node) return;
        const operands: AstNode[] = [];
        let current: AstNode | undefined = node;
        while (isPlus(current)) {
          operands.push(field(current, 'right')!);
          current = field(current, 'left');
        }
        if (current) operands.push(current);
        operands.reverse();
        if (operands.every(isStringLike)) return;
        if (!isStringLike(operands[0]) && !isStringLike(operands[1])) return;
        context.report({
          node,
          message: 'Use a template literal instead of string concatenation.',
        });
      },
    };
  },
};
