import type { AstNode } from '../ast.js';
import { field, parenthesesAround } from './ast-utils.js';
import type { FileRule, RuleVisitor } from './types.js';

/** Statements whose test sits inside their own parentheses. */
const PARENTHESIZED_TESTS = new Set(['IfStatement', 'WhileStatement', 'DoWhileStatement']);

export const noCondAssign: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-cond-assign',
    category: 'correctness',
    severity: 'major',
    effortMinutes: 2,
    fixability: 'none',
    eslint: 'no-cond-assign',
    description: 'Conditions should not be assignments, unless wrapped in extra parentheses.',
    docs: '`if (x = y)` assigns instead of comparing; it is usually a typo for `===`. Use a comparison. When the assignment is intended (`while ((match = re.exec(text)))`), wrap it in an extra pair of parentheses to say so.',
  },
  create(context) {
    const check = (node: AstNode): void => {
      const test = field(node, 'test');
      if (test?.type !== 'AssignmentExpression') return;
      const own = PARENTHESIZED_TESTS.has(node.type) ? 1 : 0;
      if (parenthesesAround(context.source, test, own + 1) > own) return;
      context.report({
        node: test,
        message: 'Unexpected assignment in a condition; did you mean a comparison?',
      });
    };
    const visitor: RuleVisitor = {};
    for (const type of [...PARENTHESIZED_TESTS, 'ForStatement', 'ConditionalExpression'])
      visitor[type] = check;
    return visitor;
  },
};
