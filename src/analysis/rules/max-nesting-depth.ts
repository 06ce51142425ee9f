import { FUNCTION_TYPES, type AstNode } from '../ast.js';
import { functionName } from './ast-utils.js';
import { thresholdOptions } from './options.js';
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

const options = thresholdOptions(4, 'Deepest nesting of blocks a function may have.');

export const maxNestingDepth: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'max-nesting-depth',
    category: 'complexity',
    severity: 'major',
    effortMinutes: 10,
    fixability: 'none',
    eslint: 'max-depth',
    description: 'Control-flow statements should not be nested too deeply.',
    docs: 'Each nested if, loop, switch or try adds a condition the reader must keep in mind. Past a few levels the code is hard to follow and to test. Return early with guard clauses, extract the inner blocks into functions, or invert conditions. `else if` chains count as one level; each function starts again at zero.',
  },
  options,
  create(context) {
    const { threshold } = context.options;
    // Per function being walked: its name, current depth, and the too-deep block still open,
    // reported on exit so its measure is the deepest level reached inside it.
    const frames: Frame[] = [{ name: '', depth: 0, open: undefined }];
    const top = (): Frame => frames[frames.length - 1]!;
    const counts = (node: AstNode, parent: AstNode | undefined): boolean =>
      !(node.type === 'IfStatement' && parent?.type === 'IfStatement' && parent.alternate === node);
    const visitor: RuleVisitor = {};
    for (const type of NESTING) {
      visitor[type] = (node, parent) => {
        if (!counts(node, parent)) return;
        const frame = top();
        frame.depth += 1;
        if (frame.depth === threshold + 1) frame.open = { node, deepest: frame.depth };
        else if (frame.open) frame.open.deepest = Math.max(frame.open.deepest, frame.depth);
      };
      visitor[`${type}:exit`] = (node, parent) => {
        if (!counts(node, parent)) return;
        const frame = top();
        frame.depth -= 1;
        if (frame.open?.node !== node) return;
        const deepest = frame.open.deepest;
        frame.open = undefined;
        context.report({
          start: node.start,
          end: node.start + keywordLength(node),
          message: `Blocks are nested more than ${threshold} levels deep.`,
          measure: { value: deepest, threshold, unit: 'levels', subject: frame.name },
        });
      };
    }
    for (const type of FUNCTION_TYPES) {
      visitor[type] = (node, parent) =>
        void frames.push({ name: functionName(node, parent), depth: 0, open: undefined });
      visitor[`${type}:exit`] = () => void frames.pop();
    }
    return visitor;
  },
};

interface Frame {
  name: string;
  depth: number;
  open: { node: AstNode; deepest: number } | undefined;
}

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
