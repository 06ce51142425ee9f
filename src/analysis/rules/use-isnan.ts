import type { AstNode } from '../ast.js';
import { field, identifierName, isIdentifier, list, nodes } from './ast-utils.js';
import { MEMBER_PRECEDENCE, PREFIX_PRECEDENCE, replaceExpression, titled } from './fix-utils.js';
import { declaredNames } from './scope.js';
import type { FileRule, RuleContext, TextEdit } from './types.js';

const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '>', '<=', '>=']);

function isNaNValue(node: AstNode | null | undefined): boolean {
  if (!node) return false;
  if (isIdentifier(node, 'NaN')) return true;
  return (
    node.type === 'MemberExpression' &&
    !node.computed &&
    isIdentifier(field(node, 'object'), 'Number') &&
    isIdentifier(field(node, 'property'), 'NaN')
  );
}

/** `x === NaN` -> `Number.isNaN(x)`, `x !== NaN` -> `!Number.isNaN(x)`; ordering comparisons stay. */
function fixComparison(context: RuleContext, node: AstNode): TextEdit | undefined {
  const operator = node.operator as string;
  const equal = operator === '===' || operator === '==';
  if (!equal && operator !== '!==' && operator !== '!=') return undefined;
  const declared = declaredNames(context.program, context.file);
  if (declared.has('Number') || declared.has('NaN')) return undefined;
  const left = field(node, 'left')!;
  const right = field(node, 'right')!;
  const value = isNaNValue(right) ? left : right;
  const text = context.source.slice(value.start, value.end);
  const argument = value.type === 'SequenceExpression' ? `(${text})` : text;
  const call = `Number.isNaN(${argument})`;
  return equal
    ? replaceExpression(context, node, { text: call, strength: MEMBER_PRECEDENCE })
    : replaceExpression(context, node, { text: `!${call}`, strength: PREFIX_PRECEDENCE });
}

export const useIsnan: FileRule = {
  kind: 'file',
  meta: {
    id: 'use-isnan',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 2,
    fixability: 'safe-fix',
    eslint: 'use-isnan',
    description: 'NaN should be tested with `Number.isNaN`, not compared.',
    docs: 'NaN is not equal to anything, itself included: `x === NaN` is always false, `x !== NaN` always true, `case NaN:` never matches and `indexOf(NaN)` is always -1. Use `Number.isNaN(x)`, or `includes`/`findIndex(Number.isNaN)` for arrays.',
  },
  create(context) {
    return {
      BinaryExpression(node) {
        if (!COMPARISONS.has(node.operator as string)) return;
        if (isNaNValue(field(node, 'left')) || isNaNValue(field(node, 'right'))) {
          context.report({
            node,
            message: 'Use Number.isNaN() instead of comparing with NaN.',
            fix: () => titled('Use Number.isNaN', fixComparison(context, node)),
          });
        }
      },
      SwitchStatement(node) {
        if (isNaNValue(field(node, 'discriminant'))) {
          context.report({
            node,
            message: "'switch (NaN)' can never match a case; use Number.isNaN().",
          });
        }
        for (const switchCase of nodes(node, 'cases')) {
          if (isNaNValue(field(switchCase, 'test'))) {
            context.report({
              node: switchCase,
              message: "'case NaN' can never match; use Number.isNaN().",
            });
          }
        }
      },
      CallExpression(node) {
        const callee = field(node, 'callee');
        if (callee?.type !== 'MemberExpression' || callee.computed) return;
        const method = identifierName(field(callee, 'property'));
        if (
          (method === 'indexOf' || method === 'lastIndexOf') &&
          isNaNValue(list(node, 'arguments')[0])
        ) {
          context.report({
            node,
            message: `'${method}(NaN)' always returns -1; use findIndex(Number.isNaN).`,
          });
        }
      },
    };
  },
};
