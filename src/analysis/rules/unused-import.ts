import type { Comment } from 'oxc-parser';
import { analyzeScopes } from './scope.js';
import type { FileRule } from './types.js';

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

export const unusedImport: FileRule = {
  kind: 'file',
  meta: {
    id: 'unused-import',
    category: 'unused',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'safe-fix',
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
          context.report({
            node: definitions[0]!.name,
            message: `'${variable.name}' is imported but never used.`,
          });
        }
      },
    };
  },
};
