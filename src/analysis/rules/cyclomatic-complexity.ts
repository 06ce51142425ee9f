import { thresholdOptions } from './options.js';
import { functionMetricVisitor } from './function-metric.js';
import type { FileRule } from './types.js';

const options = thresholdOptions(10, 'Highest cyclomatic complexity a function may have.');

export const cyclomaticComplexity: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'cyclomatic-complexity',
    category: 'complexity',
    severity: 'major',
    effortMinutes: 15,
    fixability: 'none',
    eslint: 'complexity',
    description:
      'Functions should not have too many independent paths (cyclomatic complexity above the threshold).',
    docs: 'Cyclomatic complexity is the number of independent paths through a function: one plus each branch, loop, case, catch and short-circuit operator. Each path needs its own test. Split the function along its responsibilities or replace conditional chains with lookup tables.',
  },
  options,
  create(context) {
    const { threshold } = context.options;
    return functionMetricVisitor(
      context,
      (m) => m.cyclomatic,
      threshold,
      (m, value) =>
        `Function '${m.name}' has a cyclomatic complexity of ${value} (threshold ${threshold}).`,
    );
  },
};
