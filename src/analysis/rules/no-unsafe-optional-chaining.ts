import type { AstNode } from '../ast.js';
import { field } from './ast-utils.js';
import type { FileRule } from './types.js';

function isChain(node: AstNode | null | undefined): node is AstNode {
  return node?.type === 'ChainExpression';
}

const PATTERNS = new Set(['ObjectPattern', 'ArrayPattern']);

export const noUnsafeOptionalChaining: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-unsafe-optional-chaining',
    category: 'correctness',
    severity: 'critical',
    effortMinutes: 3,
    fixability: 'none',
    eslint: 'no-unsafe-optional-chaining',
    description: 'An optional chain should not be used where undefined throws a TypeError.',
    docs: 'An optional chain such as `a?.b` evaluates to undefined when `a` is nullish. Using the result where undefined is not allowed — `(a?.b).c`, `(a?.b)()`, `new (a?.b)()`, `[...a?.b]`, `const { c } = a?.b`, `for (x of a?.b)`, `key in a?.b` — throws the very TypeError the chain was meant to avoid. Continue the chain (`a?.b?.c`), or provide a default (`a?.b ?? []`).',
  },
  create(context) {
    const report = (node: AstNode): void =>
      context.report({
        node,
        message: 'Unsafe use of an optional chain: it can short-circuit to undefined here.',
      });
    return {
      MemberExpression(node) {
        const object = field(node, 'object');
        if (isChain(object) && node.optional !== true) report(object);
      },
      CallExpression(node) {
        const callee = field(node, 'callee');
        if (isChain(callee) && node.optional !== true) report(callee);
      },
      NewExpression(node) {
        const callee = field(node, 'callee');
        if (isChain(callee)) report(callee);
      },
      TaggedTemplateExpression(node) {
        const tag = field(node, 'tag');
        if (isChain(tag)) report(tag);
      },
      SpreadElement(node, parent) {
        const argument = field(node, 'argument');
        if (isChain(argument) && parent?.type !== 'ObjectExpression') report(argument);
      },
      ForOfStatement(node) {
        const right = field(node, 'right');
        if (isChain(right)) report(right);
      },
      VariableDeclarator(node) {
        const init = field(node, 'init');
        if (isChain(init) && PATTERNS.has(field(node, 'id')?.type ?? '')) report(init);
      },
      AssignmentExpression(node) {
        const right = field(node, 'right');
        if (isChain(right) && PATTERNS.has(field(node, 'left')?.type ?? '')) report(right);
      },
      BinaryExpression(node) {
        const right = field(node, 'right');
        if ((node.operator === 'in' || node.operator === 'instanceof') && isChain(right))
          report(right);
      },
      ClassDeclaration(node) {
        const superClass = field(node, 'superClass');
        if (isChain(superClass)) report(superClass);
      },
      ClassExpression(node) {
        const superClass = field(node, 'superClass');
        if (isChain(superClass)) report(superClass);
      },
    };
  },
};
