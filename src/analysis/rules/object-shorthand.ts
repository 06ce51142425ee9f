import type { AstNode } from '../ast.js';
import { field, identifierName } from './ast-utils.js';
import type { FileRule } from './types.js';

/** A plain `key: value` property of an object literal or pattern. */
function canBeShorthand(node: AstNode, parent: AstNode | undefined): boolean {
  if (parent?.type !== 'ObjectExpression' && parent?.type !== 'ObjectPattern') return false;
  return (
    node.shorthand !== true &&
    node.computed !== true &&
    node.method !== true &&
    node.kind === 'init'
  );
}

export const objectShorthand: FileRule = {
  kind: 'file',
  meta: {
    id: 'object-shorthand',
    category: 'maintainability',
    severity: 'info',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: 'object-shorthand',
    description:
      'Object properties whose value is a variable of the same name should use the shorthand.',
    docs: '`{ name: name }` repeats the name for nothing; `{ name }` means exactly the same. Use the shorthand. Method shorthands are not suggested, since `function` values and methods differ in `new` and `super` behaviour.',
  },
  create(context) {
    return {
      Property(node, parent) {
        if (!canBeShorthand(node, parent)) return;
        const key = identifierName(field(node, 'key'));
        if (key !== undefined && key === identifierName(field(node, 'value'))) {
          context.report({
            node,
            message: `Use the shorthand '{ ${key} }'.`,
            fix: () => ({
              title: `Use the shorthand for '{ ${key} }'`,
              edits: { start: node.start, end: node.end, text: key },
            }),
          });
        }
      },
    };
  },
};
