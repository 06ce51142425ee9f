import type { AstNode } from '../ast.js';
import { booleanOption, list, stringOption } from './ast-utils.js';
import { analyzeScopes, type DefinitionKind, type Variable } from './scope.js';
import type { FileRule } from './types.js';

const REPORTED: ReadonlySet<DefinitionKind> = new Set([
  'var',
  'let',
  'const',
  'function',
  'class',
  'type',
  'enum',
  'catch',
  'param',
]);

function isWholeParameter(name: AstNode, param: AstNode | null | undefined): boolean {
  if (!param) return false;
  if (param === name) return true;
  if (param.type === 'AssignmentPattern') return param.left === name;
  if (param.type === 'RestElement') return param.argument === name;
  return false;
}

function describe(variable: Variable): string {
  const kind = variable.definitions[0]!.kind;
  if (kind === 'function' || kind === 'class' || kind === 'type' || kind === 'enum') {
    return `'${variable.name}' is defined but never used.`;
  }
  if (variable.writes > 0) return `'${variable.name}' is assigned a value but never used.`;
  return `'${variable.name}' is declared but never used.`;
}

export const unusedVariable: FileRule = {
  kind: 'file',
  meta: {
    id: 'unused-variable',
    category: 'unused',
    severity: 'minor',
    effortMinutes: 2,
    fixability: 'suggestion',
    description: 'Local variables, functions, classes and types should be used.',
    docs: 'A declaration that nothing reads is dead code: it misleads readers and often hides a bug (a typo, a forgotten call). Remove it; keep the initializer as a statement if it has side effects. Exported, `declare`d and decorated declarations, `_`-prefixed names, and object-destructuring siblings of a `...rest` are ignored; so are top-level declarations of scripts, which other scripts may use. Parameters are only checked with `params: "after-used"`.',
  },
  defaultOptions: { params: 'none', ignorePattern: '^_', caughtErrors: true },
  create(context) {
    if (/\.d\.[cm]?ts$/.test(context.file)) return {};
    const params = stringOption(context.options, 'params', 'none');
    const caughtErrors = booleanOption(context.options, 'caughtErrors', true);
    const pattern = stringOption(context.options, 'ignorePattern', '^_');
    const ignore = pattern === '' ? undefined : new RegExp(pattern);
    return {
      Program(program) {
        const analysis = analyzeScopes(program, context.file);
        if (analysis.dynamic) return;
        // For "after-used": the last parameter position each function reads.
        const lastUsedParam = new Map<AstNode, number>();
        if (params === 'after-used') {
          for (const variable of analysis.variables) {
            const def = variable.definitions[0]!;
            if (def.kind !== 'param' || variable.reads === 0) continue;
            const last = lastUsedParam.get(def.declaration) ?? -1;
            lastUsedParam.set(def.declaration, Math.max(last, def.paramIndex));
          }
        }
        for (const variable of analysis.variables) {
          if (variable.reads > 0) continue;
          const definitions = variable.definitions;
          const first = definitions[0]!;
          if (
            definitions.some(
              (d) =>
                !REPORTED.has(d.kind) || d.exported || d.ambient || d.decorated || d.restSibling,
            )
          ) {
            continue;
          }
          if (ignore?.test(variable.name)) continue;
          if (variable.scope === analysis.module && !analysis.topLevelIsLocal) continue;
          if (first.kind === 'catch' && !caughtErrors) continue;
          if (first.kind === 'param') {
            if (params !== 'after-used') continue;
            // A name destructured from a parameter can always be dropped; a whole parameter only
            // when no later parameter is used.
            const after = first.paramIndex > (lastUsedParam.get(first.declaration) ?? -1);
            if (
              !after &&
              isWholeParameter(first.name, list(first.declaration, 'params')[first.paramIndex])
            )
              continue;
          }
          context.report({ node: first.name, message: describe(variable) });
        }
      },
    };
  },
};
