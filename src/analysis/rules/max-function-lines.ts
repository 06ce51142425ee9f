import { FUNCTION_TYPES, type AstNode } from '../ast.js';
import { field, functionHead, functionName, identifierName } from './ast-utils.js';
import { thresholdOptions } from './options.js';
import type { FileRule, RuleVisitor } from './types.js';

const GROUPS = new Set(['describe', 'suite', 'context']);

/** Functions that only wrap other code: IIFEs and test-suite bodies (`describe('x', () => {...})`). */
function isWrapper(node: AstNode, parent: AstNode | undefined): boolean {
  if (parent?.type !== 'CallExpression') return false;
  if (parent.callee === node) return true;
  let callee = field(parent, 'callee');
  while (callee?.type === 'MemberExpression' || callee?.type === 'CallExpression') {
    callee = field(callee, callee.type === 'MemberExpression' ? 'object' : 'callee');
  }
  return GROUPS.has(identifierName(callee) ?? '');
}

const options = thresholdOptions(80, 'Most lines a function may span.');

export const maxFunctionLines: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'max-function-lines',
    category: 'size',
    severity: 'major',
    effortMinutes: 20,
    fixability: 'none',
    eslint: 'max-lines-per-function',
    description: 'Functions should not span too many lines.',
    docs: 'A long function usually does several things, and its reader has to hold all of them at once. Split it into well-named steps; each step can then be tested and reused on its own. Lines are counted from the first to the last line of the function, comments and blank lines included. Immediately invoked function expressions and test-suite bodies (`describe(...)` callbacks) are containers, not functions to split, and are not checked.',
  },
  options,
  create(context) {
    const { threshold } = context.options;
    const visitor: RuleVisitor = {};
    for (const type of FUNCTION_TYPES) {
      visitor[type] = (node, parent) => {
        if (isWrapper(node, parent)) return;
        const lines = context.lines.lineOf(node.end) - context.lines.lineOf(node.start) + 1;
        if (lines <= threshold) return;
        const name = functionName(node, parent);
        context.report({
          ...functionHead(node, parent),
          message: `Function '${name}' has ${lines} lines (threshold ${threshold}).`,
          measure: { value: lines, threshold, unit: 'lines', subject: name },
        });
      };
    }
    return visitor;
  },
};
