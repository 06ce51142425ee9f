import type { AstNode } from '../ast.js';
import { commentsBetween, field, nodes } from './ast-utils.js';
import { lineIndent, statementsText, titled } from './fix-utils.js';
import type { FileRule, TextEdit } from './types.js';

/** `else { if (b) ... }` -> `else if (b) ...`, the inner if moved out one level. */
function mergeElseIf(source: string, block: AstNode, inner: AstNode): TextEdit | undefined {
  // A function declared as the body of an if is scoped differently inside and outside a block.
  const bodies = [field(inner, 'consequent'), field(inner, 'alternate')];
  if (bodies.some((b) => b?.type === 'FunctionDeclaration')) return undefined;
  const text = statementsText(source, inner, lineIndent(source, block.start));
  return { start: block.start, end: block.end, text };
}

export const noLonelyIf: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-lonely-if',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: 'no-lonely-if',
    description: 'An `if` that is the only statement of an `else` block should be an `else if`.',
    docs: '`else { if (x) { ... } }` adds a level of braces and indentation that `else if (x) { ... }` does not need. Merge them; behaviour does not change.',
  },
  create(context) {
    return {
      BlockStatement(node, parent) {
        if (parent?.type !== 'IfStatement' || parent.alternate !== node) return;
        const body = nodes(node, 'body');
        const only = body[0];
        if (body.length !== 1 || only?.type !== 'IfStatement') return;
        // Comments beside the inner if would have nowhere to go.
        const comments = commentsBetween(context.comments, node.start, node.end);
        if (comments.some((c) => c.end <= only.start || c.start >= only.end)) return;
        context.report({
          start: only.start,
          end: only.start + 2,
          message: "Use 'else if' instead of an 'if' alone in an 'else' block.",
          fix: () =>
            titled("Merge a lone 'if' into 'else if'", mergeElseIf(context.source, node, only)),
        });
      },
    };
  },
};
