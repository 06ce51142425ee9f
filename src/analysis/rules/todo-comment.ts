import type { FileRule } from './types.js';

const MARKER = /\b(TODO|FIXME|XXX|HACK)\b|@todo\b/;

export const todoComment: FileRule = {
  kind: 'file',
  meta: {
    id: 'todo-comment',
    category: 'maintainability',
    severity: 'info',
    effortMinutes: 10,
    fixability: 'none',
    eslint: 'no-warning-comments',
    description: 'TODO, FIXME, XXX and HACK comments mark unfinished work.',
    docs: 'A TODO comment records work that was deferred; left in place, it becomes invisible debt. Do the work, move it to the issue tracker (and link the issue), or delete the comment if it no longer applies.',
  },
  create(context) {
    return {
      Program() {
        for (const comment of context.comments) {
          const match = MARKER.exec(comment.value);
          if (!match) continue;
          // Comment values exclude the `//` or `/*` opener.
          const start = comment.start + 2 + match.index;
          const line = comment.value
            .slice(match.index)
            .split('\n')[0]!
            .replace(/\*\/?\s*$/, '')
            .trim();
          const text = line.length > 80 ? `${line.slice(0, 79)}…` : line;
          context.report({
            start,
            end: start + match[0].length,
            message: `Unresolved marker: ${text}`,
          });
        }
      },
    };
  },
};
