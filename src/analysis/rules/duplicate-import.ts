import type { AstNode } from '../ast.js';
import { field, nodes, textOf } from './ast-utils.js';
import type { FileRule } from './types.js';

export const duplicateImport: FileRule = {
  kind: 'file',
  meta: {
    id: 'duplicate-import',
    category: 'correctness',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'safe-fix',
    description: 'A module should be imported by one import declaration, not several.',
    docs: 'Several import declarations for the same module are harder to scan and tend to accumulate duplicated specifiers. Merge them into one declaration. Type-only imports (`import type`) and namespace imports (`import * as ns`), which cannot be merged with named imports, are counted separately.',
  },
  create(context) {
    // Per enclosing body (the program, or a `declare module` block): import key -> first declaration.
    const seen = new Map<AstNode | undefined, Map<string, AstNode>>();
    return {
      ImportDeclaration(node, parent) {
        if (node.phase) return;
        const specifiers = nodes(node, 'specifiers');
        if (specifiers.some((s) => s.type === 'ImportNamespaceSpecifier')) return;
        const source = field(node, 'source');
        if (!source) return;
        const attributes = nodes(node, 'attributes')
          .map((a) => textOf(context.source, a))
          .join(',');
        const key = `${String(source.value)}\0${node.importKind === 'type' ? 'type' : 'value'}\0${attributes}`;
        let imports = seen.get(parent);
        if (!imports) {
          imports = new Map();
          seen.set(parent, imports);
        }
        const first = imports.get(key);
        if (!first) {
          imports.set(key, node);
          return;
        }
        context.report({
          node: source,
          message: `'${String(source.value)}' is already imported on line ${context.lines.lineOf(first.start)}.`,
        });
      },
    };
  },
};
