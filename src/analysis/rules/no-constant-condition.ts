import type { AstNode } from '../ast.js';
import { field, list } from './ast-utils.js';
import type { FileRule, RuleVisitor } from './types.js';

/** Expressions whose value is known without running the program. */
function hasConstantValue(node: AstNode | undefined): boolean {
  if (!node) return false;
  switch (node.type) {
    case 'Literal':
      return true;
    case 'TemplateLiteral':
      return list(node, 'expressions').length === 0;
    case 'Identifier':
      return node.name === 'undefined';
    case 'UnaryExpression':
      return node.operator === 'void' || hasConstantValue(field(node, 'argument'));
    case 'BinaryExpression':
      return (
        node.operator !== 'in' &&
        node.operator !== 'instanceof' &&
        hasConstantValue(field(node, 'left')) &&
        hasConstantValue(field(node, 'right'))
      );
    case 'LogicalExpression':
      return hasConstantValue(field(node, 'left')) && hasConstantValue(field(node, 'right'));
    default:
      return false;
  }
}

/** Expressions whose truthiness is known: constant values, objects, functions, `typeof x`. */
function hasConstantTruthiness(node: AstNode | undefined): boolean {
  if (!node) return false;
  if (hasConstantValue(node)) return true;
  switch (node.type) {
    case 'ObjectExpression':
    case 'ArrayExpression':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassExpression':
      return true;
    case 'UnaryExpression':
      return (
        node.operator === 'typeof' ||
        (node.operator === '!' && hasConstantTruthiness(field(node, 'argument')))
      );
    case 'LogicalExpression':
      return (
        hasConstantTruthiness(field(node, 'left')) && hasConstantTruthiness(field(node, 'right'))
      );
    default:
      return false;
  }
}

export const noConstantCondition: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-constant-condition',
    category: 'correctness',
    severity: 'major',
    effortMinutes: 3,
    fixability: 'none',
    eslint: 'no-constant-condition',
    description: 'Conditions should not be constant.',
    docs: 'A condition that is always truthy or always falsy (`if (0)`, `cond ? a : b` with a literal `cond`, `if ({})`) makes one branch dead; it is usually debugging code left behind or a typo. Remove the dead branch or fix the condition. Loops on a literal `true` (`while (true)`) are allowed.',
  },
  create(context) {
    const check = (node: AstNode, allowTrue: boolean): void => {
      const test = field(node, 'test');
      if (!test || !hasConstantTruthiness(test)) return;
      if (allowTrue && test.type === 'Literal' && test.value === true) return;
      context.report({ node: test, message: 'Unexpected constant condition.' });
    };
    const visitor: RuleVisitor = {
      IfStatement: (node) => check(node, false),
      ConditionalExpression: (node) => check(node, false),
    };
    for (const type of ['WhileStatement', 'DoWhileStatement', 'ForStatement']) {
      visitor[type] = (node) => check(node, true);
    }
    return visitor;
  },
};
