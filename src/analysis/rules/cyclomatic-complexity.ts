import { numberOption } from './ast-utils.js';
import { functionMetricVisitor } from './function-metric.js';
import type { FileRule } from './types.js';

export const cyclomaticComplexity: FileRule = {
  kind: 'file',
  meta: {
    id: 'cyclomatic-complexity',
    category: 'complexity',
    severity: 'major',
    effortMinutes: 15,
    fixability: 'none',
    description:
      'Functions should not have too many independent paths (cyclomatic complexity above the threshold).',
    docs: 'Cyclomatic complexity is the number of independent paths through a function: one plus each branch, loop, case, catch and short-circuit operator. Each path needs its own test. Split the function along its responsibilities or replace conditional chains with lookup tables.',
  },
  defaultOptions: { threshold: 10 },
  create(context) {
    const threshold = numberOption(context.options, 'threshold', 10);
    return functionMetricVisitor(
      context,
      (m) => m.cyclomatic,
      threshold,
      (m, value) =>
        `Function '${m.name}' has a cyclomatic complexity of ${value} (threshold ${threshold}).`,
    );
  },
};
