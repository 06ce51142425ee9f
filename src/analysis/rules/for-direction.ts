import type { AstNode } from '../ast.js';
import { field, identifierName } from './ast-utils.js';
import type { FileRule } from './types.js';

/** +1 if the update moves `name` up, -1 if down, 0 if unknown. */
function direction(update: AstNode | undefined, name: string): number {
  if (!update) return 0;
  if (update.type === 'UpdateExpression' && identifierName(field(update, 'argument')) === name) {
    return update.operator === '++' ? 1 : -1;
  }
  if (update.type === 'AssignmentExpression' && identifierName(field(update, 'left')) === name) {
    const right = field(update, 'right');
    if (right?.type !== 'Literal' || typeof right.value !== 'number' || right.value === 0) return 0;
    const sign = right.value > 0 ? 1 : -1;
    if (update.operator === '+=') return sign;
    if (update.operator === '-=') return -sign;
  }
  return 0;
}

export const forDirection: FileRule = {
  kind: 'file',
  meta: {
    id: 'for-direction',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 2,
    fixability: 'none',
    eslint: 'for-direction',
    description: 'A for loop counter should move towards its stop condition.',
    docs: '`for (let i = 0; i < n; i--)` moves the counter away from the bound: the loop runs zero times or forever. This is a typo in the update or in the comparison. Fix whichever is wrong.',
  },
  create(context) {
    return {
      ForStatement(node) {
        const test = field(node, 'test');
        if (test?.type !== 'BinaryExpression') return;
        const operator = test.operator as string;
        const up = operator === '<' || operator === '<=';
        if (!up && operator !== '>' && operator !== '>=') return;
        const update = field(node, 'update');
        // The counter is whichever side the update changes; `n > i` reads as `i < n`.
        let wanted = up ? 1 : -1;
        let actual = direction(update, identifierName(field(test, 'left')) ?? '');
        if (actual === 0) {
          wanted = -wanted;
          actual = direction(update, identifierName(field(test, 'right')) ?? '');
        }
        if (actual !== 0 && actual !== wanted) {
          context.report({
            node: field(node, 'update')!,
            message: 'The update moves the counter away from the stop condition.',
          });
        }
      },
    };
  },
};
