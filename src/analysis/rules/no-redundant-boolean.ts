import type { AstNode } from '../ast.js';
import { field, isBooleanLiteral, nodes } from './ast-utils.js';
import {
  flippedEquality,
  inBooleanContext,
  negationText,
  precedence,
  PREFIX_PRECEDENCE,
  replaceExpression,
  titled,
} from './fix-utils.js';
import type { FileRule, RuleContext, RuleVisitor, TextEdit } from './types.js';

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

/** An expression as text with its strength (see `precedence`). */
interface Expression {
  text: string;
  strength: number;
}

/** `isBoolean`, and `&&` / `||` of such: `a > 0 && !b` is a boolean too. */
function certainlyBoolean(node: AstNode | undefined): boolean {
  if (node?.type === 'LogicalExpression' && node.operator !== '??') {
    return certainlyBoolean(field(node, 'left')) && certainlyBoolean(field(node, 'right'));
  }
  return isBoolean(node);
}

function asIs(source: string, node: AstNode): Expression {
  return { text: source.slice(node.start, node.end), strength: precedence(node) };
}

/**
 * `condition` as a boolean: itself when it is one, or when only its truthiness is read
 * (`boolean` says so); `!!condition` otherwise.
 */
function truthy(source: string, condition: AstNode, boolean: boolean): Expression {
  if (boolean || certainlyBoolean(condition)) return asIs(source, condition);
  return { text: `!${negationText(source, condition)}`, strength: PREFIX_PRECEDENCE };
}

/**
 * The boolean opposite of `condition`: a flipped equality, `x` for `!x` where only truthiness
 * counts, or `!condition`.
 */
function falsy(source: string, condition: AstNode, boolean: boolean): Expression {
  const flipped = flippedEquality(source, condition);
  if (flipped !== undefined) return { text: flipped, strength: precedence(condition) };
  const argument = field(condition, 'argument');
  if (condition.type === 'UnaryExpression' && condition.operator === '!' && argument) {
    return truthy(source, argument, boolean);
  }
  return { text: negationText(source, condition), strength: PREFIX_PRECEDENCE };
}

function replaceWith(context: RuleContext, node: AstNode, value: Expression): TextEdit | undefined {
  return replaceExpression(context, node, value);
}

/** `b === true` -> `b`, `b === false` -> `!b`, for a `b` that is certainly a boolean. */
function fixComparison(context: RuleContext, node: AstNode): TextEdit | undefined {
  const left = field(node, 'left')!;
  const right = field(node, 'right')!;
  const literal = isBooleanLiteral(left) ? left : right;
  const value = literal === left ? right : left;
  const equal = node.operator === '===' || node.operator === '==';
  const boolean = inBooleanContext(context.program, node);
  const keep = equal === (literal.value === true);
  const { source } = context;
  return replaceWith(
    context,
    node,
    keep ? truthy(source, value, boolean) : falsy(source, value, boolean),
  );
}

/** `c ? true : false` -> `c` (or `!!c`), `c ? false : true` -> `!c`. */
function fixConditional(context: RuleContext, node: AstNode): TextEdit | undefined {
  const test = field(node, 'test')!;
  const boolean = inBooleanContext(context.program, node);
  const { source } = context;
  const keep = field(node, 'consequent')!.value === true;
  return replaceWith(
    context,
    node,
    keep ? truthy(source, test, boolean) : falsy(source, test, boolean),
  );
}

/** `if (c) return true; [else] return false;` from `start` to `end` -> `return c;`. */
function fixReturns(
  context: RuleContext,
  statement: AstNode,
  range: { start: number; end: number },
): TextEdit {
  const test = field(statement, 'test')!;
  const keep = returnedBoolean(field(statement, 'consequent')) === true;
  const value = keep ? truthy(context.source, test, false) : falsy(context.source, test, false);
  return { start: range.start, end: range.end, text: `return ${value.text};` };
}

/** The title of each of its fixes. */
const TITLE = 'Use the condition instead of boolean literals';
const RETURN_MESSAGE = 'Return the condition itself instead of branching to return true or false.';

export const noRedundantBoolean: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-redundant-boolean',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'safe-fix',
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
        const next = statements[i + 1]!;
        if (first !== undefined && then !== undefined && first !== then) {
          context.report({
            node: statement,
            message: RETURN_MESSAGE,
            fix: () =>
              titled(
                TITLE,
                fixReturns(context, statement, { start: statement.start, end: next.end }),
              ),
          });
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
            fix: () => titled(TITLE, fixComparison(context, node)),
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
            fix: () => titled(TITLE, fixConditional(context, node)),
          });
        }
      },
      IfStatement(node) {
        const first = returnedBoolean(field(node, 'consequent'));
        const second = returnedBoolean(field(node, 'alternate'));
        if (first !== undefined && second !== undefined && first !== second) {
          context.report({
            node,
            message: RETURN_MESSAGE,
            fix: () => titled(TITLE, fixReturns(context, node, node)),
          });
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
