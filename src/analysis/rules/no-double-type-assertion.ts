import type { AstNode } from '../ast.js';
import { field } from './ast-utils.js';
import type { FileRule } from './types.js';

const ASSERTIONS = new Set(['TSAsExpression', 'TSTypeAssertion']);

function isEscapeHatch(node: AstNode | undefined): boolean {
  if (!node || !ASSERTIONS.has(node.type)) return false;
  const type = field(node, 'typeAnnotation')?.type;
  return type === 'TSUnknownKeyword' || type === 'TSAnyKeyword';
}

export const noDoubleTypeAssertion: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-double-type-assertion',
    category: 'type-safety',
    severity: 'major',
    effortMinutes: 10,
    fixability: 'none',
    description:
      'Values should not be forced to an unrelated type through `as unknown as T` or `as any as T`.',
    docs: 'Casting through `unknown` or `any` defeats the check TypeScript makes on a single assertion: it converts anything into anything. The compiler then trusts a shape that may not exist at runtime. Validate the value (a type guard or a schema), fix the upstream type, or write a conversion function.',
  },
  create(context) {
    const check = (node: AstNode): void => {
      if (isEscapeHatch(field(node, 'expression'))) {
        context.report({ node, message: 'Double type assertion through `unknown` or `any`.' });
      }
    };
    return { TSAsExpression: check, TSTypeAssertion: check };
  },
};
