import type { AstNode } from '../ast.js';
import { field, nodes } from './ast-utils.js';
import { analyzeScopes, type Variable } from './scope.js';
import type { FileRule } from './types.js';

/** The variables each `let` statement declares. */
function letStatements(variables: readonly Variable[]): Map<AstNode, Variable[]> {
  const byStatement = new Map<AstNode, Variable[]>();
  for (const variable of variables) {
    for (const definition of variable.definitions) {
      if (definition.kind !== 'let' || !definition.statement) continue;
      const group = byStatement.get(definition.statement) ?? [];
      group.push(variable);
      byStatement.set(definition.statement, group);
    }
  }
  return byStatement;
}

/** Declared once, never written, not ambient: each could be `const`. */
function neverReassigned(variables: readonly Variable[]): boolean {
  return !variables.some(
    (v) => v.writes > 0 || v.definitions.length !== 1 || v.definitions[0]!.ambient,
  );
}

export const preferConst: FileRule = {
  kind: 'file',
  meta: {
    id: 'prefer-const',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: 'prefer-const',
    description: '`let` declarations whose variables are never reassigned should use `const`.',
    docs: '`const` tells the reader that a binding never changes, so they do not have to scan the rest of the scope for assignments. Replace `let` with `const` when none of the declared variables is ever reassigned. A declaration is only reported when every variable it declares is initialised and never reassigned, so the fix is always the single keyword.',
  },
  create(context) {
    const loopHeads = new Set<AstNode>();
    const loopHead = (node: AstNode): void => {
      const left = field(node, 'left');
      if (left?.type === 'VariableDeclaration') loopHeads.add(left);
    };
    return {
      ForInStatement: loopHead,
      ForOfStatement: loopHead,
      'Program:exit'(program) {
        const analysis = analyzeScopes(program, context.file);
        if (analysis.dynamic) return;
        for (const [statement, variables] of letStatements(analysis.variables)) {
          if (!neverReassigned(variables)) continue;
          const initialised =
            loopHeads.has(statement) ||
            nodes(statement, 'declarations').every((d) => field(d, 'init'));
          if (!initialised) continue;
          const names = variables.map((v) => `'${v.name}'`).join(', ');
          context.report({
            start: statement.start,
            end: statement.start + 3,
            message: `${names} ${variables.length === 1 ? 'is' : 'are'} never reassigned; use 'const' instead of 'let'.`,
            fix: () =>
              context.source.startsWith('let', statement.start)
                ? {
                    title: `Use const for ${names}`,
                    edits: { start: statement.start, end: statement.start + 3, text: 'const' },
                  }
                : undefined,
          });
        }
      },
    };
  },
};
