import type { AstNode } from '../ast.js';
import { list, terminates } from './ast-utils.js';
import type { FileRule, RuleVisitor } from './types.js';

/** Declarations that take effect before control reaches them, or have no runtime effect. */
const HOISTED = new Set([
  'FunctionDeclaration',
  'ClassDeclaration',
  'TSDeclareFunction',
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSEnumDeclaration',
  'TSModuleDeclaration',
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportDefaultDeclaration',
  'ExportAllDeclaration',
  'EmptyStatement',
]);

function isDead(statement: AstNode): boolean {
  if (HOISTED.has(statement.type)) return false;
  // `var` names are hoisted: removing the statement could change what they resolve to.
  return !(statement.type === 'VariableDeclaration' && statement.kind === 'var');
}

export const unreachableCode: FileRule = {
  kind: 'file',
  meta: {
    id: 'unreachable-code',
    category: 'unused',
    severity: 'major',
    effortMinutes: 2,
    fixability: 'safe-fix',
    description: 'Statements after return, throw, break or continue should not exist.',
    docs: 'Code after a statement that always leaves the block never runs. It is dead weight at best, and often a sign of a misplaced return. Remove it, or move the jump. Hoisted function declarations, type declarations and `var` declarations are not reported, since removing them could change behaviour.',
  },
  create(context) {
    let reportedUntil = -1;
    const check = (statements: readonly (AstNode | null)[]): void => {
      let index = 0;
      while (index < statements.length && !terminates(statements[index])) index++;
      if (index === statements.length) return;
      const dead = statements.slice(index + 1).filter((s): s is AstNode => s !== null && isDead(s));
      if (dead.length === 0) return;
      const start = dead[0]!.start;
      if (start < reportedUntil) return;
      const end = dead[dead.length - 1]!.end;
      reportedUntil = end;
      context.report({ start, end, message: 'Unreachable code.' });
    };
    const visitor: RuleVisitor = {
      SwitchCase: (node) => check(list(node, 'consequent')),
    };
    for (const type of ['Program', 'BlockStatement', 'StaticBlock', 'TSModuleBlock']) {
      visitor[type] = (node) => {
        if (node.start >= reportedUntil) check(list(node, 'body'));
      };
    }
    return visitor;
  },
};
