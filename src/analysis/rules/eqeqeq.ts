import type { AstNode } from '../ast.js';
import { field, operatorRange } from './ast-utils.js';
import type { FileRule } from './types.js';

const PRIMITIVES = new Set(['string', 'number', 'boolean', 'bigint']);
const COMPARISONS = new Set(['==', '!=', '===', '!==', '<', '>', '<=', '>=', 'in', 'instanceof']);

/** `typeof x` is a string, `!x` a boolean, `-1` a number. */
function unaryType(node: AstNode): string | undefined {
  if (node.operator === 'typeof') return 'string';
  if (node.operator === '!') return 'boolean';
  const argument = field(node, 'argument');
  const numeric = argument?.type === 'Literal' && typeof argument.value === 'number';
  return numeric && (node.operator === '-' || node.operator === '+') ? 'number' : undefined;
}

/** The primitive type an expression certainly has, read from its syntax alone. */
function staticType(node: AstNode): string | undefined {
  switch (node.type) {
    case 'Literal': {
      const type = typeof node.value;
      return node.value !== null && PRIMITIVES.has(type) ? type : undefined;
    }
    case 'TemplateLiteral':
      return 'string';
    case 'UnaryExpression':
      return unaryType(node);
    case 'BinaryExpression':
      return COMPARISONS.has(node.operator as string) ? 'boolean' : undefined;
    default:
      return undefined;
  }
}

/** Loose and strict equality agree when both sides certainly have the same primitive type. */
function sameStaticType(left: AstNode, right: AstNode): boolean {
  const type = staticType(left);
  return type !== undefined && type === staticType(right);
}

export const eqeqeq: FileRule = {
  kind: 'file',
  meta: {
    id: 'eqeqeq',
    category: 'correctness',
    severity: 'major',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: 'eqeqeq',
    description: 'Use `===` and `!==` instead of `==` and `!=`, except to compare with `null`.',
    docs: 'Loose equality converts its operands with surprising rules (`"" == 0`, `"0" == false`, `[] == false` are all true). Strict equality compares without conversion. Replace `==` with `===` and `!=` with `!==`; this can change behaviour when the operands have different types, so check those cases. `x == null`, which matches both null and undefined, is allowed.',
  },
  create(context) {
    return {
      BinaryExpression(node) {
        const operator = node.operator as string;
        if (operator !== '==' && operator !== '!=') return;
        const left = field(node, 'left')!;
        const right = field(node, 'right')!;
        const isNull = (n: typeof left): boolean =>
          n.type === 'Literal' && n.value === null && n.raw === 'null';
        if (isNull(left) || isNull(right)) return;
        const range = operatorRange(context.source, left, right, operator);
        context.report({
          ...range,
          message: `Expected '${operator}=' and instead saw '${operator}'.`,
          fix: () =>
            sameStaticType(left, right) && range.end - range.start === operator.length
              ? { title: `Use '${operator}='`, edits: { ...range, text: `${operator}=` } }
              : undefined,
        });
      },
    };
  },
};
