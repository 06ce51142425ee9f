import type { Comment } from 'oxc-parser';
import type { AstNode } from '../ast.js';
import { nodes } from './ast-utils.js';
import { isStatementList, parentOf, removeRange, titled } from './fix-utils.js';
import { analyzeScopes, type Definition } from './scope.js';
import type { FileRule, RuleContext, TextEdit } from './types.js';

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** Names a JSX transform may call without a visible reference (`jsxFactory` in tsconfig, classic runtime). */
const JSX_FACTORIES = new Set(['React', 'h', 'jsx', 'createElement', 'Fragment']);

/** Names that JSDoc (`{@link X}`, `@see X`, `@type {X}`) or JSX pragmas (`@jsx h`) refer to. */
function namesInComments(comments: readonly Comment[]): Set<string> {
  const names = new Set<string>();
  for (const comment of comments) {
    const text = comment.value;
    for (const pragma of text.matchAll(/@jsx(?:Frag)?\s+([A-Za-z_$][\w$]*)/g))
      names.add(pragma[1]!);
    if (comment.type !== 'Block' || !text.startsWith('*')) continue;
    for (const braces of text.matchAll(/\{([^{}]*)\}/g)) {
      for (const name of braces[1]!.matchAll(IDENTIFIER)) names.add(name[0]);
    }
    for (const see of text.matchAll(/@see\s+([A-Za-z_$][\w$]*)/g)) names.add(see[1]!);
  }
  return names;
}

/** `a, { b }` -> `a`: the named group goes when `b` was its only member. */
function removeNamed(source: string, specifiers: AstNode[], specifier: AstNode): TextEdit {
  const named = specifiers.filter((s) => s.type === 'ImportSpecifier');
  const at = named.indexOf(specifier);
  if (named.length > 1) {
    const next = named[at + 1];
    return next
      ? { start: specifier.start, end: next.start, text: '' }
      : { start: named[at - 1]!.end, end: specifier.end, text: '' };
  }
  const close = source.indexOf('}', specifier.end);
  return { start: specifiers[0]!.end, end: close + 1, text: '' };
}

/** Drops one specifier, or the whole declaration when it is the only one. */
function removeImport(context: RuleContext, definition: Definition): TextEdit | undefined {
  const { source } = context;
  const statement = definition.statement;
  if (!statement || !isStatementList(parentOf(context.program, statement))) return undefined;
  const specifiers =
    statement.type === 'ImportDeclaration' ? nodes(statement, 'specifiers') : [statement];
  const specifier = definition.declaration;
  if (specifiers.length === 1) return removeRange(source, statement.start, statement.end);
  if (specifier.type === 'ImportSpecifier') return removeNamed(source, specifiers, specifier);
  if (specifier.type === 'ImportNamespaceSpecifier') {
    return { start: specifiers[0]!.end, end: specifier.end, text: '' };
  }
  // A default import before `{ ... }` or `* as ns`.
  const second = specifiers[1]!;
  const open =
    second.type === 'ImportSpecifier' ? source.lastIndexOf('{', second.start) : second.start;
  return { start: specifier.start, end: open, text: '' };
}

export const unusedImport: FileRule = {
  kind: 'file',
  meta: {
    id: 'unused-import',
    category: 'unused',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: 'no-unused-vars',
    description: 'Imported bindings should be used.',
    docs: 'An import that nothing reads costs load time, hides real dependencies and misleads readers. Remove the specifier, and the whole import declaration when no specifier is left (keep a bare `import "module"` only if the module is imported for its side effects). Uses in types, JSX, `export { name }` and JSDoc references count; in files with JSX, imports a JSX factory may need (`React`, `h`, `Fragment`...) are kept.',
  },
  create(context) {
    return {
      Program(program) {
        const analysis = analyzeScopes(program, context.file);
        if (analysis.dynamic) return;
        let mentioned: Set<string> | undefined;
        for (const variable of analysis.variables) {
          if (variable.reads > 0 || variable.writes > 0) continue;
          const definitions = variable.definitions;
          if (!definitions.every((d) => d.kind === 'import' && !d.exported && !d.ambient)) continue;
          if (analysis.hasJsx && JSX_FACTORIES.has(variable.name)) continue;
          mentioned ??= namesInComments(context.comments);
          if (mentioned.has(variable.name)) continue;
          const definition = definitions[0]!;
          context.report({
            node: definition.name,
            message: `'${variable.name}' is imported but never used.`,
            fix: () =>
              definitions.length === 1
                ? titled(
                    `Remove the unused import '${variable.name}'`,
                    removeImport(context, definition),
                  )
                : undefined,
          });
        }
      },
    };
  },
};
