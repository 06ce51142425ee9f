import { field, nodes, staticKey } from './ast-utils.js';
import type { FileRule } from './types.js';

export const noDupeClassMembers: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-dupe-class-members',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 3,
    fixability: 'none',
    eslint: 'no-dupe-class-members',
    description: 'A class should not declare the same member twice.',
    docs: 'When a class declares a method or field twice, the last declaration silently replaces the first, which becomes dead code. Remove or rename one. TypeScript overload signatures, and a getter paired with a setter, are allowed.',
  },
  create(context) {
    return {
      ClassBody(node) {
        const seen = new Map<string, Set<string>>();
        for (const member of nodes(node, 'body')) {
          if (member.type !== 'MethodDefinition' && member.type !== 'PropertyDefinition') continue;
          if (
            member.type === 'MethodDefinition' &&
            field(member, 'value')?.type !== 'FunctionExpression'
          )
            continue;
          if (member.declare === true) continue;
          const name = staticKey(member);
          if (name === undefined) continue;
          const kind = member.type === 'PropertyDefinition' ? 'field' : (member.kind as string);
          if (kind === 'constructor') continue;
          const key = `${member.static === true ? 'static ' : ''}${name}`;
          const kinds = seen.get(key);
          if (!kinds) {
            seen.set(key, new Set([kind]));
            continue;
          }
          const accessorPair =
            (kind === 'get' || kind === 'set') &&
            [...kinds].every((k) => k !== kind && (k === 'get' || k === 'set'));
          kinds.add(kind);
          if (accessorPair) continue;
          context.report({
            node: field(member, 'key') ?? member,
            message: `Duplicate class member '${name}'.`,
          });
        }
      },
    };
  },
};
