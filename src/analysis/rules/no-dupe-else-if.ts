import type { AstNode } from '../ast.js';
import { field, StructureSet } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noDupeElseIf: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-dupe-else-if',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 3,
    fixability: 'none',
    eslint: 'no-dupe-else-if',
    description: 'An if-else-if chain should not test the same condition twice.',
    docs: 'In `if (a) {...} else if (a) {...}` the second branch can never run: when `a` is true the first branch is taken. This is usually a copy-paste mistake. Fix the condition of the later branch, or merge the branches.',
  },
  create(context) {
    return {
      IfStatement(node, parent) {
        // Each chain is checked once, from its head.
        if (parent?.type === 'IfStatement' && parent.alternate === node) return;
        // A lone `if` (the common case) has nothing to compare.
        if (field(node, 'alternate')?.type !== 'IfStatement') return;
        const seen = new StructureSet();
        let current: AstNode | undefined = node;
        while (current?.type === 'IfStatement') {
          const test = field(current, 'test')!;
          if (seen.add(test)) {
            context.report({
              node: test,
              message: 'This condition is already tested earlier in the chain.',
            });
          }
          current = field(current, 'alternate');
        }
      },
    };
  },
};
