import { FUNCTION_TYPES } from '../ast.js';
import { functionHead, functionName, list } from './ast-utils.js';
import { thresholdOptions } from './options.js';
import type { FileRule, RuleVisitor } from './types.js';

const options = thresholdOptions(
  4,
  'Most parameters a function may take; a TypeScript `this` parameter does not count.',
);

export const maxParams: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'max-params',
    category: 'size',
    severity: 'major',
    effortMinutes: 15,
    fixability: 'suggestion',
    eslint: 'max-params',
    description: 'Functions should not take too many parameters.',
    docs: 'Long parameter lists are easy to call in the wrong order and usually mean the function does too much. Group related parameters into an options object, or split the function. A TypeScript `this` parameter does not count.',
  },
  options,
  create(context) {
    const { threshold } = context.options;
    const visitor: RuleVisitor = {};
    for (const type of FUNCTION_TYPES) {
      visitor[type] = (node, parent) => {
        const count = list(node, 'params').filter(
          (p) => !(p?.type === 'Identifier' && p.name === 'this'),
        ).length;
        if (count <= threshold) return;
        const name = functionName(node, parent);
        context.report({
          ...functionHead(node, parent),
          message: `Function '${name}' has ${count} parameters (threshold ${threshold}).`,
          measure: { value: count, threshold, unit: 'parameters', subject: name },
        });
      };
    }
    return visitor;
  },
};
