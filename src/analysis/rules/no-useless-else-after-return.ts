import type { AstNode } from '../ast.js';
import { field, terminates } from './ast-utils.js';
import {
  canUnwrap,
  isStatementList,
  lineBreak,
  lineIndent,
  statementsText,
  titled,
  unwrapCollides,
} from './fix-utils.js';
import type { FileRule, RuleContext, TextEdit } from './types.js';

/**
 * Removes the final `else` of the chain that starts at `head`, its statements moved after the
 * chain. `last` is the if that owns the else.
 */
function unwrapElse(
  context: RuleContext,
  head: AstNode,
  holder: AstNode | undefined,
  last: AstNode,
): TextEdit | undefined {
  const { source } = context;
  const consequent = field(last, 'consequent')!;
  const alternate = field(last, 'alternate')!;
  if (!holder || !isStatementList(holder)) return undefined;
  // `return 1` without a semicolon would run on into the next line's statement.
  if (consequent.type !== 'BlockStatement' && !source.slice(0, consequent.end).endsWith(';')) {
    return undefined;
  }
  if (alternate.type === 'FunctionDeclaration') return undefined;
  if (!canUnwrap(source, context.comments, alternate)) return undefined;
  if (unwrapCollides(context.program, holder, alternate)) return undefined;
  const indent = lineIndent(source, head.start);
  const body = statementsText(source, alternate, indent);
  const text = body ? `${lineBreak(source)}${indent}${body}` : '';
  return { start: consequent.end, end: alternate.end, text };
}

export const noUselessElseAfterReturn: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-useless-else-after-return',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 2,
    fixability: 'safe-fix',
    eslint: 'no-else-return',
    description:
      'An else block after an if block that always returns, throws, breaks or continues is unnecessary.',
    docs: 'When the if block always leaves (return, throw, break, continue), the code after it only runs when the condition is false, so the `else` adds a level of nesting for nothing. Remove the `else` and unindent its body (keep it in a plain block if it declares variables that would clash). The result reads as a guard clause followed by the main path.',
  },
  create(context) {
    return {
      IfStatement(node, parent) {
        // Each if-else-if chain is checked once, from its head. The final `else` is useless when
        // every branch before it exits.
        if (parent?.type === 'IfStatement' && parent.alternate === node) return;
        let current: AstNode = node;
        for (;;) {
          const consequent = field(current, 'consequent')!;
          const alternate = field(current, 'alternate');
          if (!alternate || !terminates(consequent)) return;
          if (alternate.type !== 'IfStatement') {
            const at = context.source.lastIndexOf('else', alternate.start);
            const start = at >= consequent.end ? at : alternate.start;
            const last = current;
            context.report({
              start,
              end: start + 4,
              message: "Unnecessary 'else' after a branch that always exits.",
              fix: () =>
                titled(
                  "Remove an 'else' after a branch that exits",
                  unwrapElse(context, node, parent, last),
                ),
            });
            return;
          }
          current = alternate;
        }
      },
    };
  },
};
