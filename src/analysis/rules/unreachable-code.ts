import { isFunction, walk, type AstNode } from '../ast.js';
import { list, terminates } from './ast-utils.js';
import { blockScopedNames, mentionsOutside, removeRange, titled } from './fix-utils.js';
import type { FileRule, RuleContext, RuleVisitor, TextEdit } from './types.js';

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

/**
 * Whether a nested `var`, or a function declared in a block (hoisted out of it in sloppy mode),
 * gives its name to the enclosing function: removing it could change what the name means.
 */
function hoistsOut(statements: readonly AstNode[]): boolean {
  let found = false;
  for (const statement of statements) {
    walk(statement, {
      enter(node) {
        if (found) return false;
        if (
          node.type === 'FunctionDeclaration' ||
          (node.type === 'VariableDeclaration' && node.kind === 'var')
        ) {
          found = true;
        }
        return !isFunction(node);
      },
    });
  }
  return found;
}

/**
 * Removes the dead statements `[start, end)` of `statements`, whose scope is `scope`. Not when
 * a hoisted declaration sits among them, or a dead `let`/`const`/`class` has a name that is used
 * elsewhere (reading it now throws; after removal it could find another variable).
 */
function removeDead(
  context: RuleContext,
  scope: AstNode,
  statements: readonly (AstNode | null)[],
  range: { start: number; end: number },
): TextEdit | undefined {
  const inRange = statements.filter(
    (s): s is AstNode => s !== null && s.start >= range.start && s.end <= range.end,
  );
  if (inRange.some((s) => !isDead(s) && s.type !== 'EmptyStatement')) return undefined;
  if (hoistsOut(inRange)) return undefined;
  if (mentionsOutside(scope, blockScopedNames(inRange), range)) return undefined;
  return removeRange(context.source, range.start, range.end);
}

export const unreachableCode: FileRule = {
  kind: 'file',
  meta: {
    id: 'unreachable-code',
    category: 'unused',
    severity: 'major',
    effortMinutes: 2,
    fixability: 'safe-fix',
    eslint: 'no-unreachable',
    description: 'Statements after return, throw, break or continue should not exist.',
    docs: 'Code after a statement that always leaves the block never runs. It is dead weight at best, and often a sign of a misplaced return. Remove it, or move the jump. Hoisted function declarations, type declarations and `var` declarations are not reported, since removing them could change behaviour.',
  },
  create(context) {
    let reportedUntil = -1;
    const check = (scope: AstNode, statements: readonly (AstNode | null)[]): void => {
      let index = 0;
      while (index < statements.length && !terminates(statements[index])) index++;
      if (index === statements.length) return;
      const dead = statements.slice(index + 1).filter((s): s is AstNode => s !== null && isDead(s));
      if (dead.length === 0) return;
      const start = dead[0]!.start;
      if (start < reportedUntil) return;
      const end = dead[dead.length - 1]!.end;
      reportedUntil = end;
      context.report({
        start,
        end,
        message: 'Unreachable code.',
        fix: () =>
          titled('Remove unreachable code', removeDead(context, scope, statements, { start, end })),
      });
    };
    const visitor: RuleVisitor = {
      // The cases of a switch share one scope.
      SwitchCase: (node, parent) => check(parent ?? node, list(node, 'consequent')),
    };
    for (const type of ['Program', 'BlockStatement', 'StaticBlock', 'TSModuleBlock']) {
      visitor[type] = (node) => {
        if (node.start >= reportedUntil) check(node, list(node, 'body'));
      };
    }
    return visitor;
  },
};
