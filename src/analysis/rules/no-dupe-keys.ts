import type { AstNode } from '../ast.js';
import { field, nodes, staticKey } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noDupeKeys: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-dupe-keys',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 2,
    fixability: 'none',
    eslint: 'no-dupe-keys',
    description: 'Object literals should not define the same key twice.',
    docs: 'When an object literal defines a key twice, the last definition silently wins and the first is dead; this is almost always a copy-paste mistake. Remove or rename one of them. A getter and a setter for the same key are allowed.',
  },
  create(context) {
    return {
      ObjectExpression(node) {
        // Per key: which kinds were seen ('init', 'get', 'set').
        const seen = new Map<string, Set<string>>();
        for (const property of nodes(node, 'properties')) {
          if (property.type !== 'Property') continue;
          const name = staticKey(property);
          if (name === undefined || name === '__proto__') continue;
          const kind = property.kind as string;
          const kinds = seen.get(name);
          if (!kinds) {
            seen.set(name, new Set([kind]));
            continue;
          }
          const accessorPair =
            (kind === 'get' || kind === 'set') && !kinds.has('init') && !kinds.has(kind);
          kinds.add(kind);
          if (accessorPair) continue;
          const key: AstNode = field(property, 'key') ?? property;
          context.report({ node: key, message: `Duplicate key '${name}'.` });
        }
      },
    };
  },
};
