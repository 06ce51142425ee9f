import type { AstNode } from '../ast.js';
import { field, functionHead, functionName, hasCommentBetween, list } from './ast-utils.js';
import type { FileRule } from './types.js';

function isIntentionallyEmpty(method: AstNode, fn: AstNode): boolean {
  if (method.override === true) return true;
  if (method.kind !== 'constructor') return false;
  // Parameter properties do the work; private constructors forbid `new`.
  if (method.accessibility === 'private' || method.accessibility === 'protected') return true;
  return list(fn, 'params').some((p) => p?.type === 'TSParameterProperty');
}

export const emptyFunction: FileRule = {
  kind: 'file',
  meta: {
    id: 'empty-function',
    category: 'unused',
    severity: 'minor',
    effortMinutes: 5,
    fixability: 'none',
    eslint: 'no-empty-function',
    description: 'Function declarations and methods should not have an empty body.',
    docs: 'An empty function is either unfinished work or an intentional no-op; a reader cannot tell which. Implement it, remove it, or put a comment inside saying why it does nothing. Arrow functions and function expressions (usually no-op callbacks), functions named like `noop`, assertion signatures (`asserts x is T`), overrides, and constructors that only declare parameter properties or restrict visibility are ignored.',
  },
  create(context) {
    const check = (fn: AstNode, parent: AstNode | undefined): void => {
      const body = field(fn, 'body');
      if (body?.type !== 'BlockStatement' || list(body, 'body').length > 0) return;
      if (hasCommentBetween(context.comments, body.start, body.end)) return;
      const name = functionName(fn, parent);
      if (/noop/i.test(name)) return;
      // `function assert(x): asserts x is T {}` exists for its signature.
      if (field(field(fn, 'returnType'), 'typeAnnotation')?.asserts === true) return;
      context.report({ ...functionHead(fn, parent), message: `Function '${name}' is empty.` });
    };
    return {
      FunctionDeclaration(node, parent) {
        check(node, parent);
      },
      MethodDefinition(node) {
        const fn = field(node, 'value');
        if (fn?.type === 'FunctionExpression' && !isIntentionallyEmpty(node, fn)) check(fn, node);
      },
    };
  },
};
