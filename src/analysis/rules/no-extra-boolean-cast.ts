import type { AstNode } from '../ast.js';
import { field, isIdentifier, list } from './ast-utils.js';
import { precedence, replaceExpression, titled } from './fix-utils.js';
import { declaredNames } from './scope.js';
import type { FileRule, RuleContext, RuleVisitor, TextEdit } from './types.js';

function isNot(node: AstNode | undefined): boolean {
  return node?.type === 'UnaryExpression' && node.operator === '!';
}

/** `!!x` or `Boolean(x)`. */
function isBooleanCast(node: AstNode | undefined): boolean {
  if (!node) return false;
  if (isNot(node)) return isNot(field(node, 'argument'));
  return (
    node.type === 'CallExpression' &&
    isIdentifier(field(node, 'callee'), 'Boolean') &&
    list(node, 'arguments').length === 1 &&
    list(node, 'arguments')[0]?.type !== 'SpreadElement'
  );
}

/** Replaces the cast with the value it casts; `Boolean` must be the global. */
function unwrapCast(context: RuleContext, cast: AstNode): TextEdit | undefined {
  let value: AstNode | undefined;
  if (cast.type === 'UnaryExpression') {
    value = field(field(cast, 'argument'), 'argument');
  } else {
    if (declaredNames(context.program, context.file).has('Boolean')) return undefined;
    value = list(cast, 'arguments')[0] ?? undefined;
  }
  if (!value) return undefined;
  const text = context.source.slice(value.start, value.end);
  return replaceExpression(context, cast, { text, strength: precedence(value), expression: value });
}

export const noExtraBooleanCast: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-extra-boolean-cast',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: 'no-extra-boolean-cast',
    description: 'Values should not be cast to boolean where a boolean is already expected.',
    docs: 'Conditions (`if`, loops, `? :`) and the `!` operator already convert their operand to a boolean, so `if (!!x)` and `if (Boolean(x))` are the same as `if (x)`. Remove the cast.',
  },
  create(context) {
    const report = (node: AstNode): void =>
      context.report({
        node,
        message: 'Redundant boolean cast.',
        fix: () => titled('Remove a redundant boolean cast', unwrapCast(context, node)),
      });
    const checkTest = (node: AstNode): void => {
      const test = field(node, 'test');
      if (test && isBooleanCast(test)) report(test);
    };
    const visitor: RuleVisitor = {
      UnaryExpression(node) {
        if (node.operator !== '!') return;
        const argument = field(node, 'argument');
        // `!!!x` is `!x`; `!Boolean(x)` is `!x`. (`!!x` itself is the cast, not a redundant one.)
        if (argument && isBooleanCast(argument)) report(argument);
      },
    };
    for (const type of [
      'IfStatement',
      'WhileStatement',
      'DoWhileStatement',
      'ForStatement',
      'ConditionalExpression',
    ]) {
      visitor[type] = checkTest;
    }
    return visitor;
  },
};
