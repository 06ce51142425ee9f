import type { AstNode } from '../ast.js';
import { field, list, nodes, staticKey } from './ast-utils.js';
import type { FileRule } from './types.js';

interface ClassFrame {
  members: Map<string, AstNode>;
  used: Set<string>;
  /** `this[expr]` with a computed name: any TS-private member may be used. */
  dynamic: boolean;
}

const MEMBERS = new Set(['MethodDefinition', 'PropertyDefinition', 'AccessorProperty']);

function privateMembers(body: AstNode): Map<string, AstNode> {
  const members = new Map<string, AstNode>();
  for (const member of nodes(body, 'body')) {
    if (MEMBERS.has(member.type) && list(member, 'decorators').length === 0) {
      if (member.kind === 'constructor') {
        for (const param of nodes(field(member, 'value'), 'params')) {
          const name = field(param, 'parameter');
          if (
            param.type === 'TSParameterProperty' &&
            param.accessibility === 'private' &&
            list(param, 'decorators').length === 0 &&
            name?.type === 'Identifier' &&
            !members.has(name.name as string)
          ) {
            members.set(name.name as string, name);
          }
        }
        continue;
      }
      const key = field(member, 'key');
      const name = staticKey(member);
      const isPrivate = key?.type === 'PrivateIdentifier' || member.accessibility === 'private';
      if (isPrivate && name !== undefined && !member.computed && !members.has(name)) {
        members.set(name, key!);
      }
    }
  }
  return members;
}

export const unusedPrivateClassMember: FileRule = {
  kind: 'file',
  meta: {
    id: 'unused-private-class-member',
    category: 'unused',
    severity: 'minor',
    effortMinutes: 3,
    fixability: 'suggestion',
    eslint: 'no-unused-private-class-members',
    description: 'Private class members should be used inside their class.',
    docs: 'A private field, method or accessor (`#name` or TypeScript `private`) can only be used inside its class; if the class never uses it, it is dead code. Remove it. Decorated members are ignored, because frameworks call them; a TypeScript-private member is also kept when the class accesses `this[...]` with a computed name.',
  },
  create(context) {
    const frames: ClassFrame[] = [];
    const use = (name: string): void => {
      frames[frames.length - 1]?.used.add(name);
    };
    return {
      ClassBody(node) {
        frames.push({ members: privateMembers(node), used: new Set(), dynamic: false });
      },
      'ClassBody:exit'() {
        const frame = frames.pop()!;
        for (const [name, key] of frame.members) {
          if (frame.used.has(name)) continue;
          if (frame.dynamic && !name.startsWith('#')) continue;
          context.report({ node: key, message: `Private member '${name}' is never used.` });
        }
        // Inner classes may use their outer class's private members.
        const outer = frames[frames.length - 1];
        if (outer) {
          for (const name of frame.used) outer.used.add(name);
          if (frame.dynamic) outer.dynamic = true;
        }
      },
      MemberExpression(node) {
        if (frames.length === 0) return;
        const property = field(node, 'property');
        if (!property) return;
        if (property.type === 'PrivateIdentifier') use(`#${property.name as string}`);
        else if (!node.computed && property.type === 'Identifier') use(property.name as string);
        else if (property.type === 'Literal') use(String(property.value));
        else if (field(node, 'object')?.type === 'ThisExpression')
          frames[frames.length - 1]!.dynamic = true;
      },
      BinaryExpression(node) {
        const left = field(node, 'left');
        if (frames.length > 0 && left?.type === 'PrivateIdentifier') use(`#${left.name as string}`);
      },
      Property(node, parent) {
        // `const { secret } = this`
        if (frames.length > 0 && parent?.type === 'ObjectPattern') {
          const name = staticKey(node);
          if (name !== undefined) use(name);
        }
      },
    };
  },
};
