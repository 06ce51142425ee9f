import { isFunction, type AstNode } from '../ast.js';
import { z } from 'zod';
import { field, nodes } from './ast-utils.js';
import {
  blockScopedNames,
  canUnwrap,
  invertedCondition,
  lineBreak,
  lineIndent,
  mentionsOutside,
  titled,
  unwrapBlock,
} from './fix-utils.js';
import type { FileRule, RuleContext, TextEdit } from './types.js';

/**
 * `if (c) { ...body }` at the end of function `fn` -> `if (!c) return;` and the body. The function
 * ends after the if either way, returning undefined.
 */
function returnEarly(context: RuleContext, fn: AstNode, last: AstNode): TextEdit | undefined {
  const { source } = context;
  const consequent = field(last, 'consequent')!;
  const test = field(last, 'test')!;
  if (!canUnwrap(source, context.comments, consequent)) return undefined;
  // The body's declarations move to the function's scope: they must not meet a name there.
  if (mentionsOutside(fn, blockScopedNames(nodes(consequent, 'body')), consequent)) {
    return undefined;
  }
  const indent = lineIndent(source, last.start);
  const guard = `if (${invertedCondition(source, test)}) return;`;
  const body = unwrapBlock(source, consequent, indent);
  const text = body ? `${guard}${lineBreak(source)}${indent}${body}` : guard;
  return { start: last.start, end: last.end, text };
}

const options = z.strictObject({
  minStatements: z
    .number()
    .int()
    .min(1)
    .default(3)
    .describe('Fewest statements the final `if` must hold to be reported.'),
});

export const preferEarlyReturn: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'prefer-early-return',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 3,
    fixability: 'safe-fix',
    description: 'A function that ends in a large `if` without `else` should return early instead.',
    docs: 'When the whole tail of a function is wrapped in `if (condition) { ... }`, the main path sits one level deeper than it needs to. Invert the condition into a guard clause, `if (!condition) return;`, and unindent the body: the function ends there anyway, so behaviour is unchanged (keep a plain block if the body declares names that would clash).',
  },
  options,
  create(context) {
    const minimum = context.options.minStatements;
    return {
      BlockStatement(node, parent) {
        if (!parent || !isFunction(parent) || parent.body !== node) return;
        const body = nodes(node, 'body');
        const last = body[body.length - 1];
        if (last?.type !== 'IfStatement' || field(last, 'alternate')) return;
        const consequent = field(last, 'consequent');
        if (consequent?.type !== 'BlockStatement' || nodes(consequent, 'body').length < minimum)
          return;
        const test = field(last, 'test')!;
        context.report({
          start: last.start,
          end: Math.min(consequent.start, test.end + 1),
          message: 'Invert this condition and return early to reduce nesting.',
          fix: () =>
            titled(
              'Return early instead of nesting the function body',
              returnEarly(context, parent, last),
            ),
        });
      },
    };
  },
};
