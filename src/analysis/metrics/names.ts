/**
 * The display name of a function: its own name, else the binding, key or target it is assigned to
 * (through `as`/`satisfies`/`!` wrappers), else `<anonymous>`.
 */
import type { AstNode } from '../ast.js';
import { child } from './traverse.js';

export const ANONYMOUS = '<anonymous>';

const WRAPPER_TYPES: ReadonlySet<string> = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'ParenthesizedExpression',
]);

const KEYED_TYPES: ReadonlySet<string> = new Set([
  'MethodDefinition',
  'Property',
  'PropertyDefinition',
  'AccessorProperty',
]);

/** `ancestors` runs from the root to the function's parent. */
export function functionName(fn: AstNode, ancestors: readonly AstNode[], source: string): string {
  const id = child(fn, 'id');
  if (id?.type === 'Identifier') return String(id.name);
  let node = fn;
  let index = ancestors.length - 1;
  while (index >= 0 && WRAPPER_TYPES.has(ancestors[index]!.type)) node = ancestors[index--]!;
  const parent = ancestors[index];
  if (!parent) return ANONYMOUS;
  if (KEYED_TYPES.has(parent.type)) {
    return parent.value === node ? keyName(parent, source) : ANONYMOUS;
  }
  switch (parent.type) {
    case 'VariableDeclarator':
      return parent.init === node ? bindingName(child(parent, 'id'), source) : ANONYMOUS;
    case 'AssignmentExpression':
    case 'AssignmentPattern':
      return parent.right === node ? bindingName(child(parent, 'left'), source) : ANONYMOUS;
    default:
      return ANONYMOUS;
  }
}

function keyName(member: AstNode, source: string): string {
  const key = child(member, 'key');
  if (!key) return ANONYMOUS;
  if (member.computed === true) return `[${text(key, source)}]`;
  switch (key.type) {
    case 'Identifier':
      return String(key.name);
    case 'PrivateIdentifier':
      return `#${String(key.name)}`;
    case 'Literal':
      return String(key.value);
    default:
      return text(key, source);
  }
}

function bindingName(target: AstNode | undefined, source: string): string {
  if (!target) return ANONYMOUS;
  return target.type === 'Identifier' ? String(target.name) : text(target, source);
}

/** Source text of a node on one line, shortened: names are labels, not code. */
function text(node: AstNode, source: string): string {
  const raw = source.slice(node.start, node.end).replace(/\s+/g, ' ');
  return raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
}
