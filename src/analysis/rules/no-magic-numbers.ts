import { FUNCTION_TYPES, type AstNode } from '../ast.js';
import { z } from 'zod';
import { field } from './ast-utils.js';
import type { FileRule, RuleVisitor } from './types.js';

const options = z.strictObject({
  ignore: z.array(z.number()).default([-1, 0, 1, 2]).describe('Numbers that are never reported.'),
});

export const noMagicNumbers: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'no-magic-numbers',
    category: 'maintainability',
    severity: 'info',
    effortMinutes: 2,
    fixability: 'none',
    eslint: 'no-magic-numbers',
    description: 'Numeric literals should be named constants.',
    docs: 'An unexplained number such as `86400000` or `7` in the middle of logic says nothing about its meaning, and the same value repeated in several places drifts apart. Give it a name (`const DAY_MS = 86_400_000`). Numbers in `const` initialisers, readonly class fields, enum members, object literal values, default parameters, array indexes and types are allowed, as are -1, 0, 1 and 2 by default. Off by default.',
    optIn: true,
  },
  options,
  create(context) {
    const ignore = new Set(context.options.ignore);
    // Per function: how many named-constant definitions we are inside.
    const depth: number[] = [0];
    const allowed = new Set<AstNode>();
    const isNamedConstant = (node: AstNode, parent: AstNode | undefined): boolean =>
      (node.type === 'VariableDeclarator' &&
        parent?.type === 'VariableDeclaration' &&
        parent.kind === 'const') ||
      (node.type === 'PropertyDefinition' && node.readonly === true);
    const allow = (node: AstNode | undefined): void => {
      if (node) allowed.add(node);
    };
    const visitor: RuleVisitor = {
      Property(node, parent) {
        if (parent?.type === 'ObjectExpression') allow(field(node, 'value'));
      },
      AssignmentPattern: (node) => allow(field(node, 'right')),
      TSEnumMember: (node) => allow(field(node, 'initializer')),
      TSLiteralType: (node) => allow(field(node, 'literal')),
      MemberExpression(node) {
        if (node.computed) allow(field(node, 'property'));
      },
      UnaryExpression(node) {
        if (allowed.has(node)) allow(field(node, 'argument'));
      },
      Literal(node, parent) {
        if (typeof node.value !== 'number') return;
        if (depth[depth.length - 1]! > 0 || allowed.has(node)) return;
        const negative = parent?.type === 'UnaryExpression' && parent.operator === '-';
        if (negative && allowed.has(parent)) return;
        const value = negative ? -(node.value as number) : (node.value as number);
        if (ignore.has(value)) return;
        context.report({
          node: negative ? parent : node,
          message: `No magic number: ${negative ? '-' : ''}${String(node.raw)}.`,
        });
      },
    };
    for (const type of ['VariableDeclarator', 'PropertyDefinition']) {
      visitor[type] = (node, parent) => {
        if (isNamedConstant(node, parent)) depth[depth.length - 1]! += 1;
      };
      visitor[`${type}:exit`] = (node, parent) => {
        if (isNamedConstant(node, parent)) depth[depth.length - 1]! -= 1;
      };
    }
    for (const type of FUNCTION_TYPES) {
      visitor[type] = () => void depth.push(0);
      visitor[`${type}:exit`] = () => void depth.pop();
    }
    return visitor;
  },
};
