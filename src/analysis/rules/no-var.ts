import type { AstNode } from '../ast.js';
import { field } from './ast-utils.js';
import type { FileRule } from './types.js';

function isAmbientModule(node: AstNode): boolean {
  return node.declare === true || node.global === true || field(node, 'id')?.type === 'Literal';
}

export const noVar: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-var',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 2,
    fixability: 'suggestion',
    description: '`var` should not be used; use `let` or `const`.',
    docs: '`var` is function-scoped and hoisted, so a variable is visible (as undefined) before its declaration and leaks out of blocks and loops, a classic source of closure bugs. Use `const`, or `let` when the variable is reassigned. Converting can change behaviour when the variable is used before its declaration or outside its block, so review each change. `declare global { var x: T }` is allowed.',
  },
  create(context) {
    let ambient = 0;
    return {
      TSModuleDeclaration(node) {
        if (isAmbientModule(node)) ambient++;
      },
      'TSModuleDeclaration:exit'(node) {
        if (isAmbientModule(node)) ambient--;
      },
      VariableDeclaration(node) {
        if (node.kind !== 'var' || node.declare === true || ambient > 0) return;
        context.report({
          start: node.start,
          end: node.start + 3,
          message: "Unexpected 'var'; use 'let' or 'const'.",
        });
      },
    };
  },
};
