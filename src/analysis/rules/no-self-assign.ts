import type { AstNode } from '../ast.js';
import { field, identifierName, list } from './ast-utils.js';
import type { FileRule } from './types.js';

const OPERATORS = new Set(['=', '&&=', '||=', '??=']);

export const noSelfAssign: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-self-assign',
    category: 'correctness',
    severity: 'major',
    effortMinutes: 2,
    fixability: 'none',
    eslint: 'no-self-assign',
    description: 'A variable should not be assigned to itself.',
    docs: '`x = x` has no effect; it is usually a mistake for assigning another value (a parameter, a property of `this`). Fix the assignment or remove it. Property self-assignments such as `el.src = el.src` are not reported, since setters may have effects.',
  },
  create(context) {
    const check = (left: AstNode | null | undefined, right: AstNode | null | undefined): void => {
      if (!left || !right) return;
      if (left.type === 'Identifier' && identifierName(right) === left.name) {
        context.report({ node: right, message: `'${left.name as string}' is assigned to itself.` });
        return;
      }
      if (!(left.type === 'ArrayPattern' && right.type === 'ArrayExpression')) return;
      const targets = list(left, 'elements');
      const values = list(right, 'elements');
      for (let i = 0; i < Math.min(targets.length, values.length); i++) {
        if (values[i]?.type === 'SpreadElement' || targets[i]?.type === 'RestElement') break;
        check(targets[i], values[i]);
      }
    };
    return {
      AssignmentExpression(node) {
        if (OPERATORS.has(node.operator as string))
          check(field(node, 'left'), field(node, 'right'));
      },
    };
  },
};
