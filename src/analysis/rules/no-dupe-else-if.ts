import type { AstNode } from '../ast.js';
import { field, structureKey } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noDupeElseIf: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-dupe-else-if',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 3,
    fixability: 'suggestion',
    description: 'An if-else-if chain should not test the same condition twice.',
    docs: 'In `if (a) {...} else if (a) {...}` the second branch can never run: when `a` is true the first branch is taken. This is usually a copy-paste mistake. Fix the condition of the later branch, or merge the branches.',
  },
  create(context) {
    return {
      IfStatement(node, parent) {
        // Each chain is checked once, from its head.
        if (parent?.type === 'IfStatement' && parent.alternate === node) return;
        const seen = new Set<string>();
        let current: AstNode | undefined = node;
        while (current?.type === 'IfStatement') {
          const test = field(current, 'test')!;
          const key = structureKey(test);
          if (seen.has(key)) {
            context.report({
              node: test,
              message: 'This condition is already tested earlier in the chain.',
            });
          }
          seen.add(key);
          current = field(current, 'alternate');
        }
      },
    };
  },
};
