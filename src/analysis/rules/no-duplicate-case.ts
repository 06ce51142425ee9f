import { field, nodes, StructureSet } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noDuplicateCase: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-duplicate-case',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 2,
    fixability: 'none',
    eslint: 'no-duplicate-case',
    description: 'A switch statement should not have two cases with the same test.',
    docs: 'Only the first of two identical `case` labels can ever match; the second case is dead code and usually a copy-paste mistake. Remove it, or correct its value.',
  },
  create(context) {
    return {
      SwitchStatement(node) {
        const seen = new StructureSet();
        for (const switchCase of nodes(node, 'cases')) {
          const test = field(switchCase, 'test');
          if (!test) continue;
          if (seen.add(test))
            context.report({ node: switchCase, message: 'Duplicate case label.' });
        }
      },
    };
  },
};
