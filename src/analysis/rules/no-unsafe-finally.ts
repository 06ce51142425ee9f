import { FUNCTION_TYPES, type AstNode } from '../ast.js';
import { field } from './ast-utils.js';
import type { FileRule, RuleVisitor } from './types.js';

interface Frame {
  /** `undefined` for a function boundary: jumps inside it stay inside it. */
  finallyBlock: AstNode | undefined;
  loops: number;
  switches: number;
  labels: string[];
}

const LOOPS = [
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
];

export const noUnsafeFinally: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-unsafe-finally',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 5,
    fixability: 'none',
    eslint: 'no-unsafe-finally',
    description: 'A finally block should not return, throw, break or continue out of itself.',
    docs: 'A jump out of `finally` overrides whatever the try or catch block was doing: a returned value is replaced and, worse, a thrown error is silently discarded. Move the jump out of the finally block; use finally only for cleanup.',
  },
  create(context) {
    // Without the keyword there is no finally block to look into.
    if (!context.source.includes('finally')) return {};
    const frames: Frame[] = [];
    // Only the innermost frame is ever read, and only when it is a finally block: function
    // boundaries share one frame, and counters are kept for finally frames only.
    const boundary: Frame = { finallyBlock: undefined, loops: 0, switches: 0, labels: [] };
    const top = (): Frame | undefined => frames[frames.length - 1];
    const inFinally = (): Frame | undefined => {
      const frame = top();
      return frame?.finallyBlock ? frame : undefined;
    };
    const report = (node: AstNode, what: string): void =>
      context.report({ node, message: `Unsafe '${what}' in a finally block.` });

    const visitor: RuleVisitor = {
      BlockStatement(node, parent) {
        if (parent?.type === 'TryStatement' && parent.finalizer === node) {
          frames.push({ finallyBlock: node, loops: 0, switches: 0, labels: [] });
        }
      },
      'BlockStatement:exit'(node) {
        if (top()?.finallyBlock === node) frames.pop();
      },
      ReturnStatement(node) {
        if (inFinally()) report(node, 'return');
      },
      ThrowStatement(node) {
        if (inFinally()) report(node, 'throw');
      },
      BreakStatement(node) {
        const frame = inFinally();
        if (!frame) return;
        const label = field(node, 'label')?.name as string | undefined;
        const escapes = label ? !frame.labels.includes(label) : frame.loops + frame.switches === 0;
        if (escapes) report(node, 'break');
      },
      ContinueStatement(node) {
        const frame = inFinally();
        if (!frame) return;
        const label = field(node, 'label')?.name as string | undefined;
        const escapes = label ? !frame.labels.includes(label) : frame.loops === 0;
        if (escapes) report(node, 'continue');
      },
      LabeledStatement(node) {
        inFinally()?.labels.push(field(node, 'label')!.name as string);
      },
      'LabeledStatement:exit'() {
        inFinally()?.labels.pop();
      },
      SwitchStatement() {
        const frame = inFinally();
        if (frame) frame.switches++;
      },
      'SwitchStatement:exit'() {
        const frame = inFinally();
        if (frame) frame.switches--;
      },
    };
    for (const type of LOOPS) {
      visitor[type] = () => {
        const frame = inFinally();
        if (frame) frame.loops++;
      };
      visitor[`${type}:exit`] = () => {
        const frame = inFinally();
        if (frame) frame.loops--;
      };
    }
    for (const type of [...FUNCTION_TYPES, 'StaticBlock']) {
      visitor[type] = () => void frames.push(boundary);
      visitor[`${type}:exit`] = () => void frames.pop();
    }
    return visitor;
  },
};
