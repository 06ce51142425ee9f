import type { AstNode } from '../ast.js';
import { field, identifierName, nodes } from './ast-utils.js';
import {
  canUnwrap,
  isStatementList,
  lineIndent,
  parentOf,
  removeRange,
  titled,
  unwrapBlock,
  unwrapCollides,
} from './fix-utils.js';
import type { FileRule, RuleContext, TextEdit } from './types.js';

/** `try { X } catch (e) { throw e; }` -> `X`, when X's declarations clash with nothing around it. */
function unwrapTry(context: RuleContext, node: AstNode): TextEdit | undefined {
  const { source } = context;
  const holder = parentOf(context.program, node);
  const block = field(node, 'block')!;
  if (!holder || !isStatementList(holder) || !canUnwrap(source, context.comments, block)) {
    return undefined;
  }
  if (unwrapCollides(context.program, holder, block)) return undefined;
  const body = unwrapBlock(source, block, lineIndent(source, node.start));
  return body
    ? { start: node.start, end: node.end, text: body }
    : removeRange(source, node.start, node.end);
}

/** The title of each of its fixes. */
const TITLE = 'Remove a catch clause that only rethrows';

export const noUselessCatch: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-useless-catch',
    category: 'error-handling',
    severity: 'minor',
    effortMinutes: 2,
    fixability: 'safe-fix',
    eslint: 'no-useless-catch',
    description: 'A catch clause that only rethrows the caught error should be removed.',
    docs: '`catch (e) { throw e; }` does nothing but add nesting and suggest handling that does not happen. Remove the catch clause, and the `try` too when there is no `finally`. To add context, wrap instead: `throw new Error("...", { cause: e })`.',
  },
  create(context) {
    return {
      TryStatement(node) {
        const handler = field(node, 'handler');
        const param = identifierName(field(handler, 'param'));
        if (!handler || param === undefined) return;
        const body = nodes(field(handler, 'body'), 'body');
        const only = body[0];
        if (body.length !== 1 || only?.type !== 'ThrowStatement') return;
        if (identifierName(field(only, 'argument')) !== param) return;
        if (field(node, 'finalizer')) {
          const block = field(node, 'block')!;
          context.report({
            node: handler,
            message: 'Unnecessary catch clause: it only rethrows.',
            fix: () => titled(TITLE, { start: block.end, end: handler.end, text: '' }),
          });
        } else {
          context.report({
            node,
            message: 'Unnecessary try/catch: the catch clause only rethrows.',
            fix: () => titled(TITLE, unwrapTry(context, node)),
          });
        }
      },
    };
  },
};
