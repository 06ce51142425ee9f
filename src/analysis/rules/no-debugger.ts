import { isStatementList, removeRange, titled } from './fix-utils.js';
import type { FileRule } from './types.js';

export const noDebugger: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-debugger',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: 'no-debugger',
    description: '`debugger` statements should not be committed.',
    docs: 'A `debugger` statement pauses execution whenever developer tools are open; it is a leftover from a debugging session. Remove it and use breakpoints instead.',
  },
  create(context) {
    return {
      DebuggerStatement(node, parent) {
        context.report({
          node,
          message: "Unexpected 'debugger' statement.",
          // Where a statement is required (`if (x) debugger;`) there is nothing to leave instead.
          fix: () =>
            isStatementList(parent)
              ? titled(
                  "Remove a 'debugger' statement",
                  removeRange(context.source, node.start, node.end),
                )
              : undefined,
        });
      },
    };
  },
};
