import type { AstNode } from '../ast.js';
import { commentsBetween, field, identifierName, nodes, textOf } from './ast-utils.js';
import { removeRange, titled } from './fix-utils.js';
import type { FileRule, RuleContext, TextEdit } from './types.js';

function defaultOf(specifiers: readonly AstNode[]): AstNode | undefined {
  return specifiers.find((s) => s.type === 'ImportDefaultSpecifier');
}

function namedOf(specifiers: readonly AstNode[]): AstNode[] {
  return specifiers.filter((s) => s.type === 'ImportSpecifier');
}

/** The insertions that give `first` the specifiers `defaultImport` and `named` (source text). */
function insertions(
  source: string,
  first: AstNode,
  defaultImport: string | undefined,
  named: string,
): TextEdit[] | undefined {
  const existing = nodes(first, 'specifiers');
  if (existing.length === 0) {
    // `import 'm'`: only a bare declaration can take a clause before its source.
    const moduleSource = field(first, 'source')!;
    if (!/^import\s+$/.test(source.slice(first.start, moduleSource.start))) return undefined;
    const clause = [defaultImport, named ? `{ ${named} }` : undefined].filter(Boolean).join(', ');
    return [{ start: moduleSource.start, end: moduleSource.start, text: `${clause} from ` }];
  }
  const edits: TextEdit[] = [];
  const firstNamed = namedOf(existing);
  const last = firstNamed[firstNamed.length - 1];
  if (named && last) edits.push({ start: last.end, end: last.end, text: `, ${named}` });
  else if (named)
    edits.push({ start: existing[0]!.end, end: existing[0]!.end, text: `, { ${named} }` });
  if (defaultImport) {
    const open = source.lastIndexOf('{', existing[0]!.start);
    edits.push({ start: open, end: open, text: `${defaultImport}, ` });
  }
  return edits;
}

/**
 * Whether `node`'s specifiers can join `first`'s: not two defaults, not `import type A, { B }`,
 * no name twice.
 */
function canMerge(first: AstNode, node: AstNode): boolean {
  const ours = nodes(node, 'specifiers');
  const theirs = nodes(first, 'specifiers');
  const defaults = [defaultOf(ours), defaultOf(theirs)].filter(Boolean).length;
  const named = namedOf(ours).length + namedOf(theirs).length;
  if (defaults > 1 || (node.importKind === 'type' && defaults > 0 && named > 0)) return false;
  const taken = new Set(theirs.map((s) => identifierName(field(s, 'local'))));
  return !ours.some((s) => taken.has(identifierName(field(s, 'local'))));
}

/** Moves the specifiers of `node` into `first`, the earlier import of the same module, and drops `node`. */
function mergeInto(context: RuleContext, first: AstNode, node: AstNode): TextEdit[] | undefined {
  const { source } = context;
  // A comment could hold the braces the insertions look for.
  if (commentsBetween(context.comments, first.start, first.end).length > 0) return undefined;
  if (!canMerge(first, node)) return undefined;
  const ours = nodes(node, 'specifiers');
  const ourDefault = defaultOf(ours);
  const named = namedOf(ours);
  const removal = removeRange(source, node.start, node.end);
  if (ours.length === 0) return [removal];
  const added = insertions(
    source,
    first,
    ourDefault && textOf(source, ourDefault),
    named.map((s) => textOf(source, s)).join(', '),
  );
  return added && [...added, removal];
}

export const duplicateImport: FileRule = {
  kind: 'file',
  meta: {
    id: 'duplicate-import',
    category: 'correctness',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: 'no-duplicate-imports',
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
          fix: () =>
            titled(
              `Merge the imports of '${String(source.value)}'`,
              mergeInto(context, first, node),
            ),
        });
      },
    };
  },
};
