import { isFunction } from '../ast.js';
import { hasCommentBetween, list } from './ast-utils.js';
import type { FileRule } from './types.js';

export const emptyBlock: FileRule = {
  kind: 'file',
  meta: {
    id: 'empty-block',
    category: 'unused',
    severity: 'minor',
    effortMinutes: 2,
    fixability: 'none',
    eslint: 'no-empty',
    description: 'Blocks and switch statements should not be empty.',
    docs: 'An empty block (`if (x) {}`, `else {}`, `finally {}`, `switch (x) {}`) does nothing and usually marks unfinished or deleted code. Remove it, or write a comment inside explaining why nothing happens. Function bodies and catch clauses are covered by `empty-function` and `empty-catch`.',
  },
  create(context) {
    const isEmpty = (start: number, end: number): boolean =>
      !hasCommentBetween(context.comments, start, end);
    return {
      BlockStatement(node, parent) {
        if (!parent || isFunction(parent) || parent.type === 'CatchClause') return;
        if (list(node, 'body').length === 0 && isEmpty(node.start, node.end)) {
          context.report({ node, message: 'Empty block statement.' });
        }
      },
      StaticBlock(node) {
        if (list(node, 'body').length === 0 && isEmpty(node.start, node.end)) {
          context.report({ node, message: 'Empty static block.' });
        }
      },
      SwitchStatement(node) {
        if (list(node, 'cases').length === 0 && isEmpty(node.start, node.end)) {
          context.report({ node, message: 'Empty switch statement.' });
        }
      },
    };
  },
};
