import type { AstNode } from '../ast.js';
import { field, nodes } from './ast-utils.js';
import { replaceExpression, titled } from './fix-utils.js';
import type { FileRule, RuleContext, TextEdit } from './types.js';

/**
 * The body of a string literal (`raw` without quotes) as template text: backticks and `${`
 * escaped. Undefined for octal escapes (`\07`, `\8`), which templates do not allow.
 */
function templateText(raw: string): string | undefined {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (char === '\\') {
      const next = raw[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === '0' && /\d/.test(raw[i + 2] ?? ''))) return undefined;
      // Quotes need no escape in a template.
      out += next === "'" || next === '"' ? next : char + next;
      i++;
    } else if (char === '`' || (char === '$' && raw[i + 1] === '{')) {
      out += `\\${char}`;
    } else {
      out += char;
    }
  }
  return out;
}

/** Appends template text, escaping a `$` left at the end that the text's `{` would complete. */
function appendText(body: string, text: string): string {
  const dangling = body.endsWith('$') && !/(^|[^\\])(\\\\)*\\\$$/.test(body);
  return dangling && text.startsWith('{') ? `${body.slice(0, -1)}\\$${text}` : body + text;
}

/** `'a' + b + `c${d}`` -> `a${b}c${d}`. */
function toTemplate(
  context: RuleContext,
  node: AstNode,
  operands: AstNode[],
): TextEdit | undefined {
  const { source } = context;
  let body = '';
  for (const operand of operands) {
    if (operand.type === 'Literal' && typeof operand.value === 'string') {
      const text = templateText(source.slice(operand.start + 1, operand.end - 1));
      if (text === undefined) return undefined;
      body = appendText(body, text);
    } else if (operand.type === 'TemplateLiteral') {
      const expressions = nodes(operand, 'expressions');
      nodes(operand, 'quasis').forEach((quasi, i) => {
        body = appendText(body, (quasi.value as { raw: string }).raw);
        const expression = expressions[i];
        if (expression) body += `\${${source.slice(expression.start, expression.end)}}`;
      });
    } else {
      body += `\${${source.slice(operand.start, operand.end)}}`;
    }
  }
  return replaceExpression(context, node, { text: `\`${body}\``, strength: 20 });
}

function isStringLike(node: AstNode | undefined): boolean {
  return (
    (node?.type === 'Literal' && typeof node.value === 'string') || node?.type === 'TemplateLiteral'
  );
}

function isPlus(node: AstNode | undefined): node is AstNode {
  return node?.type === 'BinaryExpression' && node.operator === '+';
}

export const preferTemplate: FileRule = {
  kind: 'file',
  meta: {
    id: 'prefer-template',
    category: 'maintainability',
    severity: 'info',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: 'prefer-template',
    description: 'Strings should be built with template literals rather than concatenation.',
    docs: 'Concatenating strings and values with `+` scatters quotes and operators, hides missing spaces, and depends on operator order (`1 + 2 + "px"` is "3px"). A template literal (`${width}px`) reads as the final string. Only chains whose first or second operand is a string literal are reported, so every operand is already converted to a string and the rewrite keeps the result.',
  },
  create(context) {
    return {
      BinaryExpression(node, parent) {
        if (!isPlus(node)) return;
        // Report each chain once, at its top: `a + b + c` is `(a + b) + c`.
        if (isPlus(parent) && parent.left === node) return;
        const operands: AstNode[] = [];
        let current: AstNode | undefined = node;
        while (isPlus(current)) {
          operands.push(field(current, 'right')!);
          current = field(current, 'left');
        }
        if (current) operands.push(current);
        operands.reverse();
        if (operands.every(isStringLike)) return;
        if (!isStringLike(operands[0]) && !isStringLike(operands[1])) return;
        context.report({
          node,
          message: 'Use a template literal instead of string concatenation.',
          fix: () => titled('Use a template literal', toTemplate(context, node, operands)),
        });
      },
    };
  },
};
