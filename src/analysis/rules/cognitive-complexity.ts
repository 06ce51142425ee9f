import { thresholdOptions } from './options.js';
import { functionMetricVisitor } from './function-metric.js';
import type { FileRule } from './types.js';

const options = thresholdOptions(15, 'Highest cognitive complexity a function may have.');

export const cognitiveComplexity: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'cognitive-complexity',
    category: 'complexity',
    severity: 'critical',
    effortMinutes: 20,
    fixability: 'none',
    eslint: 'sonarjs/cognitive-complexity',
    description:
      'Functions should not be too hard to understand (cognitive complexity above the threshold).',
    docs: 'Cognitive complexity counts breaks in linear flow (branches, loops, catches, jumps, boolean operator sequences, recursion), weighted by nesting. Functions above the threshold are hard to read, test and change. Extract helpers, return early instead of nesting, and replace flag-driven branches with separate functions.',
  },
  options,
  create(context) {
    const { threshold } = context.options;
    return functionMetricVisitor(
      context,
      (m) => m.cognitive,
      threshold,
      (m, value) =>
        `Function '${m.name}' has a cognitive complexity of ${value} (threshold ${threshold}).`,
    );
  },
};
