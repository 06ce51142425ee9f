import type { AstNode } from '../ast.js';
import { field, isBooleanLiteral, nodes } from './ast-utils.js';
import type { FileRule, RuleVisitor } from './types.js';

const BOOLEAN_OPERATORS = new Set([
  '===',
  '!==',
  '==',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'in',
  'instanceof',
]);
const EQUALITY = new Set(['===', '!==', '==', '!=']);

/** Expressions that always evaluate to a boolean. */
function isBoolean(node: AstNode | undefined): boolean {
  if (!node) return false;
  if (isBooleanLiteral(node)) return true;
  if (node.type === 'UnaryExpression') return node.operator === '!';
  return node.type === 'BinaryExpression' && BOOLEAN_OPERATORS.has(node.operator as string);
}

/** `true` or `false` if the statement is `return true;` / `return false;` (or such a block), else undefined. */
function returnedBoolean(statement: AstNode | undefined): boolean | undefined {
  let current = statement;
  if (current?.type === 'BlockStatement') {
    const body = nodes(current, 'body');
    current = body.length === 1 ? body[0] : undefined;
  }
  if (current?.type !== 'ReturnStatement') return undefined;
  const argument = field(current, 'argument');
  return isBooleanLiteral(argument) ? (argument!.value as boolean) : undefined;
}

const RETURN_MESSAGE = 'Return the condition itself instead of branching to return true or false.';

export const noRedundantBoolean: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-redundant-boolean',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'suggestion',
    description: 'Boolean literals should not be used to restate a condition.',
    docs: '`cond ? true : false`, `if (cond) return true; else return false;` and `(a > b) === true` spell out in several tokens what the condition already says. Use the condition itself, negated with `!` where needed, or `Boolean(cond)` when it is not already a boolean. Comparisons with `true` or `false` are only reported when the other side is certainly a boolean, since `x === false` also distinguishes `false` from `undefined`.',
  },
  create(context) {
    const checkList = (statements: readonly AstNode[]): void => {
      for (let i = 0; i + 1 < statements.length; i++) {
        const statement = statements[i]!;
        if (statement.type !== 'IfStatement' || field(statement, 'alternate')) continue;
        const first = returnedBoolean(field(statement, 'consequent'));
        const then = returnedBoolean(statements[i + 1]);
        if (first !== undefined && then !== undefined && first !== then) {
          context.report({ node: statement, message: RETURN_MESSAGE });
        }
      }
    };
    const visitor: RuleVisitor = {
      BinaryExpression(node) {
        if (!EQUALITY.has(node.operator as string)) return;
        const left = field(node, 'left');
        const right = field(node, 'right');
        const literalLeft = isBooleanLiteral(left);
        const literalRight = isBooleanLiteral(right);
        if (literalLeft === literalRight) return;
        if (isBoolean(literalLeft ? right : left)) {
          context.report({
            node,
            message: 'Unnecessary comparison of a boolean with a boolean literal.',
          });
        }
      },
      ConditionalExpression(node) {
        const consequent = field(node, 'consequent');
        const alternate = field(node, 'alternate');
        if (!isBooleanLiteral(consequent) || !isBooleanLiteral(alternate)) return;
        if (consequent!.value !== alternate!.value) {
          const negated = consequent!.value === false;
          context.report({
            node,
            message: negated
              ? "Unnecessary conditional: use '!condition'."
              : "Unnecessary conditional: use the condition (or 'Boolean(condition)').",
          });
        }
      },
      IfStatement(node) {
        const first = returnedBoolean(field(node, 'consequent'));
        const second = returnedBoolean(field(node, 'alternate'));
        if (first !== undefined && second !== undefined && first !== second) {
          context.report({ node, message: RETURN_MESSAGE });
        }
      },
      SwitchCase: (node) => checkList(nodes(node, 'consequent')),
    };
    for (const type of ['Program', 'BlockStatement', 'StaticBlock']) {
      visitor[type] = (node) => checkList(nodes(node, 'body'));
    }
    return visitor;
  },
};
