import { field, hasCommentBetween, list } from './ast-utils.js';
import type { FileRule } from './types.js';

export const emptyCatch: FileRule = {
  kind: 'file',
  meta: {
    id: 'empty-catch',
    category: 'error-handling',
    severity: 'major',
    effortMinutes: 5,
    fixability: 'none',
    eslint: 'no-empty',
    description: 'Errors should not be swallowed by an empty catch block.',
    docs: 'An empty catch block discards the error: the program continues in an unknown state and nobody learns why. Handle the error, rethrow it with context (`throw new Error("...", { cause })`), or log it. If ignoring it is right, say why in a comment inside the block.',
  },
  create(context) {
    return {
      CatchClause(node) {
        const body = field(node, 'body');
        if (!body || list(body, 'body').length > 0) return;
        if (hasCommentBetween(context.comments, body.start, body.end)) return;
        context.report({ node: body, message: 'Empty catch block swallows the error.' });
      },
    };
  },
};
