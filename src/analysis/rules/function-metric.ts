import type { FunctionMetrics } from '../../core/index.js';
import { FUNCTION_TYPES, type AstNode } from '../ast.js';
import { functionHead } from './ast-utils.js';
import type { RuleContext, RuleVisitor } from './types.js';

/**
 * Visitor for rules that compare one per-function metric with a threshold. Functions are matched
 * to their metrics by node offsets (the function node, or its method or property wrapper); any
 * metrics entry that matched no node is still reported, at its own offsets.
 */
export function functionMetricVisitor(
  context: RuleContext,
  value: (metrics: FunctionMetrics) => number,
  threshold: number,
  message: (metrics: FunctionMetrics, value: number) => string,
): RuleVisitor {
  const measure = (metrics: FunctionMetrics, actual: number) => ({
    value: actual,
    threshold,
    unit: '',
    subject: metrics.name,
  });
  const seen = new Set<FunctionMetrics>();
  const check = (node: AstNode, parent: AstNode | undefined): void => {
    const metrics =
      context.metricsFor(node) ??
      (parent && parent.value === node ? context.metricsFor(parent) : undefined);
    if (!metrics || seen.has(metrics)) return;
    seen.add(metrics);
    const actual = value(metrics);
    if (actual > threshold)
      context.report({
        ...functionHead(node, parent),
        message: message(metrics, actual),
        measure: measure(metrics, actual),
      });
  };
  const visitor: RuleVisitor = {
    'Program:exit'() {
      for (const metrics of context.functions) {
        if (seen.has(metrics)) continue;
        const actual = value(metrics);
        if (actual > threshold) {
          context.report({
            start: metrics.start,
            end: metrics.start,
            message: message(metrics, actual),
            measure: measure(metrics, actual),
          });
        }
      }
    },
  };
  for (const type of FUNCTION_TYPES) visitor[type] = check;
  return visitor;
}
