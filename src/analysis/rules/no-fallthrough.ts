import { field, commentsBetween, listTerminates, nodes } from './ast-utils.js';
import type { FileRule } from './types.js';

const FALLTHROUGH_COMMENT = /falls?\s?through/i;

export const noFallthrough: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-fallthrough',
    category: 'correctness',
    severity: 'major',
    effortMinutes: 3,
    fixability: 'none',
    eslint: 'no-fallthrough',
    description: 'A switch case with statements should not fall through to the next case silently.',
    docs: 'When a case does not end in `break`, `return`, `throw` or `continue`, execution continues into the next case; this is usually a forgotten `break`. Add the jump, or, if falling through is intended, mark it with a `// falls through` comment. Empty cases that share a body are fine.',
  },
  create(context) {
    return {
      SwitchStatement(node) {
        const cases = nodes(node, 'cases');
        for (let i = 0; i < cases.length - 1; i++) {
          const consequent = nodes(cases[i], 'consequent');
          if (consequent.length === 0 || listTerminates(consequent)) continue;
          const next = cases[i + 1]!;
          const last = consequent[consequent.length - 1]!;
          const comments = commentsBetween(context.comments, last.end, next.start);
          // A marker as the last comment inside the case counts too.
          const inside = commentsBetween(context.comments, cases[i]!.start, next.start);
          if ([...comments, ...inside.slice(-1)].some((c) => FALLTHROUGH_COMMENT.test(c.value)))
            continue;
          const test = field(next, 'test');
          context.report({
            start: next.start,
            end: test ? test.end : next.start + 'default'.length,
            message: test
              ? 'Case falls through from the previous case.'
              : 'Default case falls through from the previous case.',
          });
        }
      },
    };
  },
};
