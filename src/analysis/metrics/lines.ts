/**
 * Line measures. Physical lines follow `wc -l` for text that ends with a newline: a trailing
 * newline does not open another line. A code line holds a character that is neither whitespace
 * nor part of a comment; a comment line holds part of a comment (a line can be both). Lines end
 * at `\n` only, as in `LineIndex`. A `#!` line is code: the parser does not report it as a comment.
 *
 * Logical lines count statements and declarations: every statement except blocks, empty and
 * labelled statements (the labelled statement is counted through its body); one per variable
 * declaration (not per declarator), except the head of a `for`; imports and exports that do not
 * wrap a declaration; class members; TypeScript declarations (interfaces, type aliases, enums,
 * namespaces, `declare function`, `import =`, `export =`). An arrow function with an expression
 * body counts that body as one line, an implicit `return`.
 */
import type { Comment } from 'oxc-parser';
import type { AstNode } from '../ast.js';
import {
  FOR,
  FUNCTION,
  MAYBE_STATEMENT,
  STATEMENT,
  type NodeVisitor,
  type TypeInfo,
} from './traverse.js';

export interface LineCounts {
  physical: number;
  code: number;
  comment: number;
}

const LF = 10;

function isBlank(code: number): boolean {
  return (
    code <= 32 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Counts physical, code and comment lines in one pass over the text; comments are in source order. */
export function countLines(source: string, comments: readonly Comment[]): LineCounts {
  const length = source.length;
  let code = 0;
  let comment = 0;
  let line = 0;
  let lastCodeLine = -1;
  let lastCommentLine = -1;
  let next = 0;
  let i = 0;
  while (i < length) {
    while (next < comments.length && comments[next]!.end <= i) next++;
    const current = comments[next];
    if (current && current.start <= i) {
      if (lastCommentLine !== line) {
        comment++;
        lastCommentLine = line;
      }
      for (; i < current.end; i++) {
        if (source.charCodeAt(i) !== LF) continue;
        line++;
        // A line holding only the tail of a block comment is still a comment line.
        if (i + 1 < current.end) {
          comment++;
          lastCommentLine = line;
        }
      }
      next++;
      continue;
    }
    const c = source.charCodeAt(i);
    if (c === LF) line++;
    else if (lastCodeLine !== line && !isBlank(c)) {
      code++;
      lastCodeLine = line;
    }
    i++;
  }
  const physical = length === 0 ? 0 : line + (source.charCodeAt(length - 1) === LF ? 0 : 1);
  return { physical, code, comment };
}

/** Whether a node is one logical line of the scope that holds it. */
export function isLogicalLine(
  node: AstNode,
  info: TypeInfo,
  parent: AstNode | undefined,
  parentKind: number,
): boolean {
  const kind = info.kind;
  if ((kind & STATEMENT) !== 0) return true;
  if ((kind & MAYBE_STATEMENT) === 0) return false;
  switch (info.type) {
    case 'VariableDeclaration':
      return !((parentKind & FOR) !== 0 && parent!.body !== node);
    case 'ExportNamedDeclaration':
      return node.declaration == null;
    default: {
      // ExportDefaultDeclaration
      const type = (node.declaration as AstNode | undefined)?.type;
      return type !== 'FunctionDeclaration' && type !== 'ClassDeclaration';
    }
  }
}

export class LogicalLineCounter implements NodeVisitor {
  readonly byFunction = new Map<AstNode, number>();
  file = 0;
  /** Own logical lines of each open function. */
  private readonly open: number[] = [];

  enter(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void {
    if (isLogicalLine(node, info, parent, parentKind)) {
      this.file++;
      if (this.open.length > 0) this.open[this.open.length - 1]!++;
    }
    if ((info.kind & FUNCTION) === 0) return;
    const body = node.body as AstNode | null | undefined;
    const implicitReturn = body != null && body.type !== 'BlockStatement' ? 1 : 0;
    this.file += implicitReturn;
    this.open.push(implicitReturn);
  }

  leave(node: AstNode, info: TypeInfo): void {
    if ((info.kind & FUNCTION) !== 0) {
      this.byFunction.set(node, this.open.pop() ?? 0);
    }
  }
}
