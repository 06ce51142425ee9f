import { FUNCTION_TYPES, type AstNode } from '../ast.js';
import { numberOption } from './ast-utils.js';
import type { FileRule, RuleVisitor } from './types.js';

const NESTING = [
  'IfStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
  'SwitchStatement',
  'TryStatement',
  'WithStatement',
];

export const maxNestingDepth: FileRule = {
  kind: 'file',
  meta: {
    id: 'max-nesting-depth',
    category: 'complexity',
    severity: 'major',
    effortMinutes: 10,
    fixability: 'none',
    description: 'Control-flow statements should not be nested too deeply.',
    docs: 'Each nested if, loop, switch or try adds a condition the reader must keep in mind. Past a few levels the code is hard to follow and to test. Return early with guard clauses, extract the inner blocks into functions, or invert conditions. `else if` chains count as one level; each function starts again at zero.',
  },
  defaultOptions: { threshold: 4 },
  create(context) {
    const threshold = numberOption(context.options, 'threshold', 4);
    const depths: number[] = [0];
    const counts = (node: AstNode, parent: AstNode | undefined): boolean =>
      !(node.type === 'IfStatement' && parent?.type === 'IfStatement' && parent.alternate === node);
    const visitor: RuleVisitor = {};
    for (const type of NESTING) {
      visitor[type] = (node, parent) => {
        if (!counts(node, parent)) return;
        const depth = depths[depths.length - 1]! + 1;
        depths[depths.length - 1] = depth;
        if (depth === threshold + 1) {
          context.report({
            start: node.start,
            end: node.start + keywordLength(node),
            message: `Blocks are nested more than ${threshold} levels deep.`,
          });
        }
      };
      visitor[`${type}:exit`] = (node, parent) => {
        if (counts(node, parent)) depths[depths.length - 1]! -= 1;
      };
    }
    for (const type of FUNCTION_TYPES) {
      visitor[type] = () => void depths.push(0);
      visitor[`${type}:exit`] = () => void depths.pop();
    }
    return visitor;
  },
};

function keywordLength(node: AstNode): number {
  switch (node.type) {
    case 'IfStatement':
    case 'DoWhileStatement':
      return 2;
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'TryStatement':
      return 3;
    case 'WhileStatement':
      return 5;
    case 'SwitchStatement':
      return 6;
    default:
      return 4;
  }
}
