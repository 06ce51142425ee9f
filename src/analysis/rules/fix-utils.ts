import type { Comment } from 'oxc-parser';
import { walk, type AstNode } from '../ast.js';
import { field, nodes, nextToken, previousToken } from './ast-utils.js';
import type { RuleFixResult, TextEdit } from './types.js';

/**
 * Helpers for rule fixes: text surgery (removing statements, re-indenting blocks), precedence and
 * the few scope questions fixes ask. Fixes run only when fixes are collected, so these may walk.
 */

/** A fix with its title, or none when there is nothing to edit. */
export function titled(
  title: string,
  edits: TextEdit | TextEdit[] | undefined,
): RuleFixResult | undefined {
  return edits === undefined ? undefined : { title, edits };
}

/** Parents whose statements form a list, where a statement can be removed or several inserted. */
const STATEMENT_LISTS: ReadonlySet<string> = new Set([
  'Program',
  'BlockStatement',
  'StaticBlock',
  'SwitchCase',
  'TSModuleBlock',
]);

export function isStatementList(node: AstNode | undefined): boolean {
  return node !== undefined && STATEMENT_LISTS.has(node.type);
}

const parentMaps = new WeakMap<AstNode, Map<AstNode, AstNode>>();

/** The parent of a node in `program`, from a map built once per program. */
export function parentOf(program: AstNode, node: AstNode): AstNode | undefined {
  let parents = parentMaps.get(program);
  if (!parents) {
    const map = new Map<AstNode, AstNode>();
    walk(program, {
      enter(child, parent) {
        if (parent) map.set(child, parent);
      },
    });
    parents = map;
    parentMaps.set(program, parents);
  }
  return parents.get(node);
}

function isBlank(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

/** Offset where the line holding `offset` starts. */
function lineStartOf(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/** The line break the file uses: `\r\n` if it has any, else `\n`. */
export function lineBreak(source: string): string {
  return source.includes('\r\n') ? '\r\n' : '\n';
}

/** The spaces and tabs that start the line holding `offset`. */
export function lineIndent(source: string, offset: number): string {
  const start = lineStartOf(source, offset);
  return /^[ \t]*/.exec(source.slice(start, offset))![0];
}

/**
 * The edit that deletes `[start, end)`, a run of whole statements: with its lines when it has them
 * to itself, otherwise with the blanks that separate it from its neighbours on the line.
 */
export function removeRange(source: string, start: number, end: number): TextEdit {
  const lineStart = lineStartOf(source, start);
  const after = blanksAfter(source, end);
  if (!isBlank(source.slice(lineStart, start))) {
    return { start: blanksBefore(source, start, lineStart), end, text: '' };
  }
  const lineEnd = lineBreakLength(source, after);
  return lineEnd < 0
    ? { start, end: after, text: '' }
    : { start: lineStart, end: after + lineEnd, text: '' };
}

function isBlankChar(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

function blanksAfter(source: string, from: number): number {
  let at = from;
  while (isBlankChar(source[at])) at++;
  return at;
}

function blanksBefore(source: string, from: number, limit: number): number {
  let at = from;
  while (at > limit && isBlankChar(source[at - 1])) at--;
  return at;
}

/** Length of the line break at `at` (0 at the end of the text), or -1 when code follows. */
function lineBreakLength(source: string, at: number): number {
  if (at === source.length) return 0;
  if (source.startsWith('\r\n', at)) return 2;
  return source[at] === '\n' ? 1 : -1;
}

/** Template and string literals that span lines: re-indenting their lines would change a value. */
function multilineLiterals(root: AstNode, source: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  walk(root, {
    enter(node) {
      const literal =
        node.type === 'TemplateLiteral' ||
        (node.type === 'Literal' && typeof node.value === 'string');
      if (!literal) return;
      if (source.slice(node.start, node.end).includes('\n')) out.push(node);
      return false;
    },
  });
  return out;
}

/**
 * The text of `[start, end)` with the indentation of every line but the first moved from `from`
 * to `to`. Lines that start inside a multi-line literal of `root` keep their text.
 */
function reindent(
  source: string,
  root: AstNode,
  range: { start: number; end: number },
  { from, to }: { from: string; to: string },
): string {
  const text = source.slice(range.start, range.end);
  if (from === to || !text.includes('\n')) return text;
  const literals = multilineLiterals(root, source);
  const lines = text.split('\n');
  let offset = range.start + lines[0]!.length + 1;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const at = offset;
    offset += line.length + 1;
    if (literals.some((l) => l.start < at && at < l.end)) continue;
    if (line.startsWith(from)) lines[i] = to + line.slice(from.length);
    else if (isBlank(line.replace(/\r$/, ''))) lines[i] = line.replace(/^[ \t]+/, '');
  }
  return lines.join('\n');
}

/** Where the statements inside a block's braces start and end, comments included. */
function blockContent(source: string, block: AstNode): { start: number; end: number } {
  const start = nextToken(source, block.start + 1);
  const end = previousToken(source, block.end - 1) + 1;
  return start < end ? { start, end } : { start, end: start };
}

/**
 * A block's statements as text, indented to sit at `indent` in place of the block. The block's own
 * indentation is read from its first statement when that starts a line.
 */
export function unwrapBlock(source: string, block: AstNode, indent: string): string {
  const content = blockContent(source, block);
  const lineStart = lineStartOf(source, content.start);
  const from = isBlank(source.slice(lineStart, content.start))
    ? source.slice(lineStart, content.start)
    : indent;
  return reindent(source, block, content, { from, to: indent });
}

/**
 * Whether a block's statements can be moved out of its braces as text: not when they end in a
 * line comment and code follows the closing brace on its line, which the comment would swallow.
 */
export function canUnwrap(source: string, comments: readonly Comment[], block: AstNode): boolean {
  const content = blockContent(source, block);
  const last = comments.find((c) => c.end === content.end);
  if (last?.type !== 'Line') return true;
  const lineEnd = source.indexOf('\n', block.end);
  return isBlank(source.slice(block.end, lineEnd < 0 ? source.length : lineEnd).replace(/\r$/, ''));
}

/**
 * A statement as text to stand at `indent`: a block's statements without their braces, anything
 * else as it is, re-indented.
 */
export function statementsText(source: string, statement: AstNode, indent: string): string {
  if (statement.type === 'BlockStatement') return unwrapBlock(source, statement, indent);
  const lineStart = lineStartOf(source, statement.start);
  const before = source.slice(lineStart, statement.start);
  return reindent(source, statement, statement, {
    from: isBlank(before) ? before : indent,
    to: indent,
  });
}

/** Binding identifiers in a pattern (`a`, `{ a, b: [c] }`, `...d`, `e = 1`). */
export function patternIdentifiers(pattern: AstNode | undefined, out: AstNode[] = []): AstNode[] {
  if (!pattern) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern);
      break;
    case 'ObjectPattern':
      for (const property of nodes(pattern, 'properties')) {
        const target = property.type === 'RestElement' ? property : field(property, 'value');
        patternIdentifiers(target, out);
      }
      break;
    case 'ArrayPattern':
      for (const element of nodes(pattern, 'elements')) patternIdentifiers(element, out);
      break;
    case 'AssignmentPattern':
      patternIdentifiers(field(pattern, 'left'), out);
      break;
    case 'RestElement':
      patternIdentifiers(field(pattern, 'argument'), out);
      break;
  }
  return out;
}

/** Binding names in a pattern. */
function patternNames(pattern: AstNode | undefined, out: string[] = []): string[] {
  for (const identifier of patternIdentifiers(pattern)) out.push(identifier.name as string);
  return out;
}

const SCOPED_DECLARATIONS: ReadonlySet<string> = new Set([
  'FunctionDeclaration',
  'ClassDeclaration',
  'TSEnumDeclaration',
  'TSModuleDeclaration',
  'TSTypeAliasDeclaration',
  'TSInterfaceDeclaration',
]);

/**
 * Names that statements declare in the block that holds them: `let`, `const`, `using`, functions,
 * classes and TypeScript declarations. `var` is left out: it belongs to the function already.
 */
export function blockScopedNames(statements: readonly AstNode[]): string[] {
  const names: string[] = [];
  for (const statement of statements) {
    if (statement.type === 'VariableDeclaration' && statement.kind !== 'var') {
      for (const declarator of nodes(statement, 'declarations')) {
        patternNames(field(declarator, 'id'), names);
      }
    } else if (SCOPED_DECLARATIONS.has(statement.type)) {
      const id = field(statement, 'id');
      if (id?.type === 'Identifier') names.push(id.name as string);
    }
  }
  return names;
}

/**
 * Whether an identifier with one of `names` occurs in `root` outside `[start, end)`. Every
 * identifier counts, property names included: a false alarm only costs a fix.
 */
export function mentionsOutside(
  root: AstNode,
  names: readonly string[],
  range: { start: number; end: number },
): boolean {
  if (names.length === 0) return false;
  const wanted = new Set(names);
  let found = false;
  walk(root, {
    enter(node) {
      if (found || (node.start >= range.start && node.end <= range.end)) return false;
      const named = node.type === 'Identifier' || node.type === 'JSXIdentifier';
      if (named && wanted.has(node.name as string)) found = true;
      return undefined;
    },
  });
  return found;
}

/**
 * Whether moving the statements of `block` into `holder`, the statement list around it, could
 * change what a name refers to: they declare a block-scoped name that occurs elsewhere in the
 * holder's scope, or the holder is a script's top level, where it would become a global.
 */
export function unwrapCollides(program: AstNode, holder: AstNode, block: AstNode): boolean {
  const names = blockScopedNames(block.type === 'BlockStatement' ? nodes(block, 'body') : [block]);
  if (names.length === 0) return false;
  if (holder.type === 'Program') return program.sourceType !== 'module';
  // Cases of a switch share one scope: the whole switch.
  const scope = holder.type === 'SwitchCase' ? (parentOf(program, holder) ?? holder) : holder;
  return mentionsOutside(scope, names, block);
}

/** Keys of the parents under which an identifier names a property or label, not a variable. */
const NOT_A_REFERENCE: Readonly<Record<string, string>> = {
  MemberExpression: 'property',
  MethodDefinition: 'key',
  PropertyDefinition: 'key',
  AccessorProperty: 'key',
  TSPropertySignature: 'key',
  TSMethodSignature: 'key',
  TSAbstractMethodDefinition: 'key',
  TSAbstractPropertyDefinition: 'key',
  TSQualifiedName: 'right',
  LabeledStatement: 'label',
  BreakStatement: 'label',
  ContinueStatement: 'label',
  MetaProperty: 'property',
};

function isNameOnly(node: AstNode, parent: AstNode | undefined): boolean {
  if (!parent || parent.computed === true) return false;
  // In a shorthand `{ a }` the value stands for the variable, the key only names the property.
  if (parent.type === 'Property') return parent.key === node && parent.value !== node;
  const key = NOT_A_REFERENCE[parent.type];
  return key !== undefined && parent[key] === node;
}

/** An identifier that may refer to a variable, with its ancestors, outermost first. */
export interface Reference {
  node: AstNode;
  ancestors: readonly AstNode[];
}

/**
 * Identifiers named `name` in `root` that may refer to a variable, whatever scope they resolve
 * in: property names and labels are left out, shadowing is not. A superset of the references to
 * any one variable of that name, which is what fixes that must be sure need.
 */
export function referencesTo(root: AstNode, name: string): Reference[] {
  const out: Reference[] = [];
  const stack: AstNode[] = [];
  walk(root, {
    enter(node, parent) {
      const named = node.type === 'Identifier' || node.type === 'JSXIdentifier';
      if (named && node.name === name && !isNameOnly(node, parent)) {
        out.push({ node, ancestors: [...stack] });
      }
      stack.push(node);
    },
    leave() {
      stack.pop();
    },
  });
  return out;
}

/** Whether a comment sits right above or before `node` on its line, as its documentation. */
function hasLeadingComment(source: string, comments: readonly Comment[], node: AstNode): boolean {
  return comments.some(
    (c) => c.end <= node.start && /^[ \t]*(\r?\n[ \t]*)?$/.test(source.slice(c.end, node.start)),
  );
}

/**
 * The edit that removes a declaration statement: not where a statement is required, nor when a
 * comment documents it, which would be left describing the next statement.
 */
export function removeDeclaration(
  context: { program: AstNode; source: string; comments: readonly Comment[] },
  statement: AstNode,
): TextEdit | undefined {
  if (!isStatementList(parentOf(context.program, statement))) return undefined;
  if (hasLeadingComment(context.source, context.comments, statement)) return undefined;
  return removeRange(context.source, statement.start, statement.end);
}

/** Binding strength of an expression, higher binds tighter; unknown kinds get 0 (always wrapped). */
export function precedence(node: AstNode): number {
  if (node.type === 'LogicalExpression') return LOGICAL[node.operator as string] ?? 0;
  if (node.type === 'BinaryExpression') return BINARY[node.operator as string] ?? 0;
  return PRECEDENCE[node.type] ?? 0;
}

const LOGICAL: Record<string, number> = { '??': 4, '||': 4, '&&': 5 };
const BINARY: Record<string, number> = {
  '|': 6,
  '^': 7,
  '&': 8,
  '==': 9,
  '!=': 9,
  '===': 9,
  '!==': 9,
  '<': 10,
  '>': 10,
  '<=': 10,
  '>=': 10,
  in: 10,
  instanceof: 10,
  '<<': 11,
  '>>': 11,
  '>>>': 11,
  '+': 12,
  '-': 12,
  '*': 13,
  '/': 13,
  '%': 13,
  '**': 14,
};
const PRECEDENCE: Readonly<Record<string, number>> = {
  SequenceExpression: 1,
  AssignmentExpression: 2,
  ArrowFunctionExpression: 2,
  YieldExpression: 2,
  ConditionalExpression: 3,
  TSAsExpression: 10,
  TSSatisfiesExpression: 10,
  UnaryExpression: 15,
  AwaitExpression: 15,
  TSTypeAssertion: 15,
  UpdateExpression: 16,
  NewExpression: 17,
  CallExpression: 18,
  MemberExpression: 18,
  ChainExpression: 18,
  TaggedTemplateExpression: 18,
  TSNonNullExpression: 18,
  ImportExpression: 18,
  Identifier: 20,
  Literal: 20,
  TemplateLiteral: 20,
  ThisExpression: 20,
  Super: 20,
  ArrayExpression: 20,
  ObjectExpression: 20,
  FunctionExpression: 20,
  ClassExpression: 20,
  JSXElement: 20,
  JSXFragment: 20,
  MetaProperty: 20,
};

/** Strength of a text's outermost operator, for text built by a fix: `!x` is 15, `a?.b` 18. */
export const PREFIX_PRECEDENCE = 15;
export const MEMBER_PRECEDENCE = 18;

function isNullishCoalescing(node: AstNode): boolean {
  return node.type === 'LogicalExpression' && node.operator === '??';
}

/** `??` does not mix with `||` and `&&` without parentheses. */
function mixesNullish(expression: AstNode, target: AstNode, parent: AstNode | undefined): boolean {
  if (expression.type !== 'LogicalExpression') return false;
  if (target.type === 'LogicalExpression') {
    if (isNullishCoalescing(expression) !== isNullishCoalescing(target)) return true;
  }
  return isNullishCoalescing(expression) && parent?.type === 'LogicalExpression';
}

/** Whether `target` is a callee or tag that an expression `expression` must not stand in for bare. */
function isCalleeTrap(parent: AstNode, target: AstNode, expression: AstNode | undefined): boolean {
  if (parent.type === 'NewExpression' || parent.type === 'TaggedTemplateExpression') {
    return field(parent, 'callee') === target || field(parent, 'tag') === target;
  }
  const chained =
    (parent.type === 'MemberExpression' && field(parent, 'object') === target) ||
    (parent.type === 'CallExpression' && field(parent, 'callee') === target);
  // `(a?.b).c` throws when `a` is nullish, `a?.b.c` does not.
  return chained && expression?.type === 'ChainExpression';
}

/**
 * Whether an expression of strength `strength` (and, when known, node `expression`) needs
 * parentheses to stand where `target` stands now. Target's own parentheses, outside its range,
 * stay in the source.
 */
function needsParentheses(
  program: AstNode,
  target: AstNode,
  strength: number,
  expression: AstNode | undefined,
): boolean {
  const parent = parentOf(program, target);
  const free =
    parent?.type === 'TemplateLiteral' ||
    (parent !== undefined &&
      parent.type !== 'ConditionalExpression' &&
      field(parent, 'test') === target);
  // A condition takes any expression; an assignment keeps parentheses to show it is meant.
  if (free) return strength === 2;
  if (strength < precedence(target)) return true;
  if (expression && mixesNullish(expression, target, parent)) return true;
  return parent !== undefined && isCalleeTrap(parent, target, expression);
}

/** Characters that, starting a line, continue the previous statement instead of starting one. */
const CONTINUES = new Set(['(', '[', '`', '+', '-', '/']);

/** Whether `node` is the first token of an expression statement. */
function startsStatement(program: AstNode, node: AstNode): boolean {
  let current = node;
  for (;;) {
    const parent = parentOf(program, current);
    if (!parent || parent.start !== node.start) return false;
    if (parent.type === 'ExpressionStatement') return true;
    current = parent;
  }
}

/**
 * The edit that replaces expression `target` with `replacement.text`, an expression of strength
 * `strength` (see `precedence`; `expression` is its node when there is one), parenthesised when
 * needed. Undefined when the text would merge with the
 * statement before it (no semicolon between) or be read as a block or declaration.
 */
export function replaceExpression(
  context: { program: AstNode; source: string },
  target: AstNode,
  replacement: { text: string; strength: number; expression?: AstNode },
): TextEdit | undefined {
  const { program, source } = context;
  const { text, strength, expression } = replacement;
  const wrapped = needsParentheses(program, target, strength, expression) ? `(${text})` : text;
  if (startsStatement(program, target)) {
    if (/^(?:\{|function\b|class\b|let\b|async\s+function\b)/.test(wrapped)) return undefined;
    const before = previousToken(source, target.start);
    const safe = before < 0 || source[before] === ';' || source[before] === '{';
    if (!safe && CONTINUES.has(wrapped[0]!)) return undefined;
  }
  return { start: target.start, end: target.end, text: wrapped };
}

/**
 * Whether a node is in a position where only its truthiness matters: a condition, the operand of
 * `!`, or an operand of `&&` / `||` that is itself in such a position.
 */
export function inBooleanContext(program: AstNode, node: AstNode): boolean {
  const parent = parentOf(program, node);
  if (!parent) return false;
  switch (parent.type) {
    case 'IfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'ForStatement':
    case 'ConditionalExpression':
      return field(parent, 'test') === node;
    case 'UnaryExpression':
      return parent.operator === '!';
    case 'LogicalExpression':
      return parent.operator !== '??' && inBooleanContext(program, parent);
    default:
      return false;
  }
}

const FLIPPED: Readonly<Record<string, string>> = {
  '===': '!==',
  '!==': '===',
  '==': '!=',
  '!=': '==',
};

/** `a === b` as `a !== b` and so on, or undefined for anything but an equality. */
export function flippedEquality(source: string, node: AstNode): string | undefined {
  const operator = node.operator as string;
  const flipped = node.type === 'BinaryExpression' ? FLIPPED[operator] : undefined;
  const left = field(node, 'left');
  const right = field(node, 'right');
  if (!flipped || !left || !right) return undefined;
  const at = source.indexOf(operator, left.end);
  if (at < 0 || at >= right.start) return undefined;
  return source.slice(node.start, at) + flipped + source.slice(at + operator.length, node.end);
}

/**
 * A condition with the opposite truthiness, as text: `!x` -> `x`, `a === b` -> `a !== b`,
 * anything else negated with `!`. Ordering comparisons are negated whole, since NaN makes
 * `!(a < b)` differ from `a >= b`.
 */
export function invertedCondition(source: string, test: AstNode): string {
  const argument = field(test, 'argument');
  if (test.type === 'UnaryExpression' && test.operator === '!' && argument) {
    return source.slice(argument.start, argument.end);
  }
  return flippedEquality(source, test) ?? negationText(source, test);
}

/** `!x` for an expression node, with parentheses when it binds looser than `!`. */
export function negationText(source: string, node: AstNode): string {
  const text = source.slice(node.start, node.end);
  return precedence(node) >= PREFIX_PRECEDENCE ? `!${text}` : `!(${text})`;
}
