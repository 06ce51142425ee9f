import { applyEdits, normalizeEdits, type TextEdit } from '../../core/index.js';
import { parseSync } from 'oxc-parser';

/**
 * The built-in engines' edits made to follow the file's own style, for repositories without a
 * formatter (with one, the formatter has the last word): braces around single-statement `if`
 * bodies, quote kind, semicolons, and blank-line runs, each as the file itself does it. Only code
 * the engine wrote is restyled; code it moved keeps what the user wrote.
 */

/** A node of oxc-parser's ESTree-shaped AST, as far as the style pass reads it. */
interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** How a file writes what the engines may write; undefined where the file does not say. */
export interface FileStyle {
  /** Single-statement `if` bodies in braces: on several lines (`multiline`), or on one. */
  braces: 'multiline' | 'inline' | undefined;
  quote: "'" | '"' | undefined;
  semicolons: boolean | undefined;
  /** One level of indentation. */
  indent: string;
  lineBreak: string;
  /** The longest run of blank lines in the file. */
  maxBlankLines: number;
  /** Whether a blank line ever follows a line that opens a block, or precedes one that closes it. */
  blankInsideBlocks: boolean;
}

const STATEMENT_LISTS = new Set(['Program', 'BlockStatement', 'StaticBlock', 'SwitchCase']);

/** Statements that end in a semicolon in a file that uses them. */
const SEMICOLON_STATEMENTS = new Set([
  'ExpressionStatement',
  'VariableDeclaration',
  'ReturnStatement',
  'ThrowStatement',
  'BreakStatement',
  'ContinueStatement',
  'DebuggerStatement',
  'ImportDeclaration',
  'ExportAllDeclaration',
]);

/** Statements whose body may be a single statement without braces. */
const BODY_OWNERS = new Set([
  'IfStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'LabeledStatement',
]);

function isNode(value: unknown): value is Node {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { start?: unknown }).start === 'number'
  );
}

function walk(node: Node, visit: (node: Node, parent: Node | undefined) => void): void {
  const stack: [Node, Node | undefined][] = [[node, undefined]];
  while (stack.length > 0) {
    const [current, parent] = stack.pop()!;
    visit(current, parent);
    for (const [key, value] of Object.entries(current)) {
      if (key === 'parent') continue;
      for (const child of Array.isArray(value) ? value : [value]) {
        if (isNode(child)) stack.push([child, current]);
      }
    }
  }
}

function parse(file: string, text: string): Node | undefined {
  try {
    const result = parseSync(file, text, { preserveParens: false });
    if (result.errors.some((e) => e.severity === 'Error')) return undefined;
    return result.program as unknown as Node;
  } catch {
    return undefined;
  }
}

function child(node: Node, key: string): Node | undefined {
  const value = node[key];
  return isNode(value) ? value : undefined;
}

/** The single-statement bodies of an `if`: its consequent and an `else` that is not `else if`. */
function ifBodies(node: Node): Node[] {
  const bodies = [child(node, 'consequent'), child(node, 'alternate')];
  return bodies.filter((b): b is Node => b !== undefined && b.type !== 'IfStatement');
}

function isStringLiteral(node: Node): node is Node & { raw: string } {
  return node.type === 'Literal' && typeof node.value === 'string' && typeof node.raw === 'string';
}

/** Whether `node` is a statement of a list that ends in a semicolon when the file uses them. */
function takesSemicolon(node: Node, parent: Node | undefined): boolean {
  if (!parent || !SEMICOLON_STATEMENTS.has(node.type)) return false;
  if (STATEMENT_LISTS.has(parent.type)) return true;
  // A loop's or an if's body, not a loop head's `const x` (`for (const x of xs)`).
  if (BODY_OWNERS.has(parent.type)) {
    return [parent.body, parent.consequent, parent.alternate].includes(node);
  }
  return node.type === 'VariableDeclaration' && parent.type === 'ExportNamedDeclaration';
}

/** The lines of `text`; a line break at the end ends the last line, it does not start one. */
function lines(text: string): string[] {
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all;
}

function isBlank(line: string): boolean {
  return /^[ \t\r]*$/.test(line);
}

/** The most common step by which a line is indented more than the one before it. */
function indentUnit(text: string): string {
  const steps = new Map<string, number>();
  let previous = '';
  for (const line of lines(text)) {
    if (isBlank(line) || /^\s*\*/.test(line)) continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.length > previous.length && indent.startsWith(previous)) {
      const step = indent.slice(previous.length);
      steps.set(step, (steps.get(step) ?? 0) + 1);
    }
    previous = indent;
  }
  return [...steps].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '  ';
}

function blankLineStyle(text: string): Pick<FileStyle, 'maxBlankLines' | 'blankInsideBlocks'> {
  const all = lines(text);
  let maxBlankLines = 0;
  let run = 0;
  let blankInsideBlocks = false;
  for (const [i, line] of all.entries()) {
    if (!isBlank(line)) {
      run = 0;
      continue;
    }
    run++;
    maxBlankLines = Math.max(maxBlankLines, run);
    const above = all[i - 1];
    const below = all[i + 1];
    if ((above !== undefined && /[{([]\s*$/.test(above)) || (below && /^\s*[})\]]/.test(below))) {
      blankInsideBlocks = true;
    }
  }
  return { maxBlankLines, blankInsideBlocks };
}

/** Fewer cases than this say nothing about a file's style. */
const EVIDENCE = 2;

function majority<T>(a: number, b: number, ifA: T, ifB: T): T | undefined {
  if (a > b && a >= EVIDENCE) return ifA;
  return b > a && b >= EVIDENCE ? ifB : undefined;
}

/** The style of `text`, a parsed file; undefined when it does not parse. */
export function detectStyle(file: string, text: string): FileStyle | undefined {
  const program = parse(file, text);
  if (!program) return undefined;
  let bare = 0;
  let inline = 0;
  let multiline = 0;
  let single = 0;
  let double = 0;
  let withSemicolon = 0;
  let without = 0;
  walk(program, (node, parent) => {
    if (node.type === 'IfStatement') {
      for (const body of ifBodies(node)) {
        if (body.type !== 'BlockStatement') bare++;
        else if ((body.body as unknown[]).length === 1) {
          if (text.slice(body.start, body.end).includes('\n')) multiline++;
          else inline++;
        }
      }
    } else if (isStringLiteral(node) && parent?.type !== 'JSXAttribute') {
      if (node.raw.startsWith("'")) single++;
      else double++;
    } else if (takesSemicolon(node, parent)) {
      if (text.slice(node.start, node.end).endsWith(';')) withSemicolon++;
      else without++;
    }
  });
  return {
    braces: majority(
      inline + multiline,
      bare,
      inline > multiline ? 'inline' : 'multiline',
      undefined,
    ),
    quote: majority(single, double, "'", '"'),
    semicolons: majority(withSemicolon, without, true, false),
    indent: indentUnit(text),
    lineBreak: text.includes('\r\n') ? '\r\n' : '\n',
    ...blankLineStyle(text),
  };
}

/** An edit and where its text sits in the edited file. */
interface Placed {
  edit: TextEdit;
  /** Offset of `edit.text` in the edited file. */
  at: number;
}

function place(edits: readonly TextEdit[]): Placed[] {
  let shift = 0;
  return edits.map((edit) => {
    const placed = { edit, at: edit.start + shift };
    shift += edit.text.length - (edit.end - edit.start);
    return placed;
  });
}

/** A change to the edited file, in its offsets. */
type Fixup = TextEdit;

/** The edited file and its edits, as each pass of the style sees them. */
interface Edited {
  source: string;
  text: string;
  program: Node;
  placed: Placed[];
  style: FileStyle;
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The placed edit whose new text holds `[start, end)` and wrote it: code whose lines are found,
 * whitespace aside, in the text the edit replaced was moved, not written, and keeps its style.
 * Whole lines, since a short statement (`return;`) may well occur in what was replaced.
 */
function writtenBy(edited: Edited, start: number, end: number): Placed | undefined {
  const { text } = edited;
  const placed = edited.placed.find((p) => p.at <= start && end <= p.at + p.edit.text.length);
  if (!placed) return undefined;
  const replaced = squash(edited.source.slice(placed.edit.start, placed.edit.end));
  const lineEnd = text.indexOf('\n', end);
  const written = text.slice(lineStart(text, start), lineEnd < 0 ? text.length : lineEnd);
  return replaced.includes(squash(written)) ? undefined : placed;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset)))![0];
}

function braceFixups(edited: Edited): Fixup[] {
  const { text, style } = edited;
  if (style.braces === undefined) return [];
  const out: Fixup[] = [];
  walk(edited.program, (node) => {
    if (node.type !== 'IfStatement') return;
    for (const body of ifBodies(node)) {
      if (body.type === 'BlockStatement' || body.type === 'EmptyStatement') continue;
      if (!writtenBy(edited, body.start, body.end)) continue;
      // From the `)` or `else` before the body: a body on the next line moves up into the braces.
      const keyword = body === node.consequent ? ')' : 'else';
      const from = text.lastIndexOf(keyword, body.start) + keyword.length;
      if (from < node.start || !/^\s*$/.test(text.slice(from, body.start))) continue;
      const statement = text.slice(body.start, body.end);
      if (statement.includes('\n')) continue;
      const indent = lineIndent(text, node.start);
      const braced =
        style.braces === 'inline'
          ? ` { ${statement} }`
          : ` {${style.lineBreak}${indent}${style.indent}${statement}${style.lineBreak}${indent}}`;
      // `} else` on one line, as a file that braces writes it.
      const elseAt = text.indexOf('else', body.end);
      const joins =
        body === node.consequent && node.alternate && /^\s*$/.test(text.slice(body.end, elseAt));
      out.push(
        joins
          ? { start: from, end: elseAt, text: `${braced} ` }
          : { start: from, end: body.end, text: braced },
      );
    }
  });
  return out;
}

function quoteFixups(edited: Edited): Fixup[] {
  const { quote } = edited.style;
  if (quote === undefined) return [];
  const out: Fixup[] = [];
  walk(edited.program, (node, parent) => {
    if (!isStringLiteral(node) || parent?.type === 'JSXAttribute') return;
    const body = node.raw.slice(1, -1);
    // A literal holding either quote keeps the kind that spares it an escape.
    if (node.raw.startsWith(quote) || /['"]/.test(body)) return;
    if (!writtenBy(edited, node.start, node.end)) return;
    out.push({ start: node.start, end: node.end, text: `${quote}${body}${quote}` });
  });
  return out;
}

/** Characters that continue a statement on the next line when no semicolon ends it. */
const CONTINUES = /^[([`+\-*/,.<>=?:&|]/;

/** The code after `offset`, comments and blanks skipped; `newline` when a line ends in between. */
function nextCode(text: string, offset: number): { char: string; newline: boolean } {
  let at = offset;
  let newline = false;
  while (at < text.length) {
    if (text.startsWith('//', at))
      at = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
    else if (text.startsWith('/*', at)) {
      const end = text.indexOf('*/', at + 2);
      if (end < 0) return { char: '', newline };
      newline ||= text.slice(at, end).includes('\n');
      at = end + 2;
    } else if (/\s/.test(text[at]!)) {
      newline ||= text[at] === '\n';
      at++;
    } else return { char: text[at]!, newline };
  }
  return { char: '', newline: true };
}

function semicolonFixups(edited: Edited): Fixup[] {
  const { text, style } = edited;
  if (style.semicolons === undefined) return [];
  const out: Fixup[] = [];
  walk(edited.program, (node, parent) => {
    if (!takesSemicolon(node, parent) || !writtenBy(edited, node.start, node.end)) return;
    const ends = text[node.end - 1] === ';';
    if (style.semicolons && !ends) out.push({ start: node.end, end: node.end, text: ';' });
    if (!style.semicolons && ends) {
      const next = nextCode(text, node.end);
      if (next.newline && !CONTINUES.test(next.char)) {
        out.push({ start: node.end - 1, end: node.end, text: '' });
      }
    }
  });
  return out;
}

/** Offsets where the lines of `text` start, and one past its end. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  starts.push(text.length + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Blank lines next to line `index` of `text`, going `step` (-1 up, 1 down), itself included. */
function blankRun(all: readonly string[], index: number, step: 1 | -1): number {
  let count = 0;
  for (let i = index; i >= 0 && i < all.length && isBlank(all[i]!); i += step) count++;
  return count;
}

/** The blank lines a deletion leaves next to each other, cut back to what was there before. */
function blankLineFixups(edited: Edited): Fixup[] {
  const { source, text, style } = edited;
  const all = lines(text);
  const starts = lineStarts(text);
  const sourceLines = lines(source);
  const sourceStarts = lineStarts(source);
  const out: Fixup[] = [];
  for (const { edit, at } of edited.placed) {
    const deleted = source.slice(edit.start, edit.end);
    const code = /\S/.exec(deleted);
    if (!isBlank(edit.text) || !code) continue;
    const end = at + edit.text.length;
    const line = lineAt(starts, at);
    let first: number;
    let last: number;
    const current = all[line];
    if (current !== undefined && isBlank(current)) {
      first = line - blankRun(all, line, -1) + 1;
      last = line + blankRun(all, line, 1) - 1;
    } else if (isBlank(text.slice(starts[line], at))) {
      first = line - blankRun(all, line - 1, -1);
      last = line - 1;
    } else if (isBlank(text.slice(end, starts[line + 1]! - 1)) && lineAt(starts, end) === line) {
      first = line + 1;
      last = line + blankRun(all, line + 1, 1);
    } else continue;
    const count = last - first + 1;
    if (count <= 0) continue;
    // What the file had on either side of the code that was deleted.
    const firstCode = edit.start + code.index;
    const lastCode = edit.start + deleted.trimEnd().length - 1;
    const above = blankRun(sourceLines, lineAt(sourceStarts, firstCode) - 1, -1);
    const below = blankRun(sourceLines, lineAt(sourceStarts, lastCode) + 1, 1);
    let allowed = Math.max(above, below);
    const opens = first === 0 || /[{([]\s*$/.test(all[first - 1]!);
    const closes = last === all.length - 1 || /^\s*[})\]]/.test(all[last + 1]!);
    if ((opens || closes) && !style.blankInsideBlocks) allowed = 0;
    if (count <= allowed) continue;
    const remove = count - allowed;
    const from = Math.max(first, Math.min(line, last - remove + 1));
    out.push({ start: starts[from]!, end: starts[from + remove]!, text: '' });
  }
  return out;
}

/** Whether `fixup` overlaps or touches the text an edit wrote, or only blanks lie between. */
function touches(text: string, fixup: Fixup, { edit, at }: Placed): boolean {
  const end = at + edit.text.length;
  if (fixup.start <= end && fixup.end >= at) return true;
  const gap = fixup.end < at ? text.slice(fixup.end, at) : text.slice(end, fixup.start);
  return /^\s*$/.test(gap);
}

/**
 * The edits with `fixups` (offsets in the edited file) folded in: each joins the edit it touches,
 * which grows over the unchanged text it reaches. A fix-up that touches no edit, or would make two
 * edits overlap, is dropped.
 */
function fold(
  edits: readonly TextEdit[],
  placed: readonly Placed[],
  text: string,
  fixups: Fixup[],
): TextEdit[] {
  const groups = placed.map(() => [] as Fixup[]);
  for (const fixup of fixups) {
    const index = placed.findIndex((p) => touches(text, fixup, p));
    if (index >= 0) groups[index]!.push(fixup);
  }
  const out: TextEdit[] = [];
  for (const [index, { edit, at }] of placed.entries()) {
    const group = groups[index]!.sort((a, b) => a.start - b.start);
    const end = at + edit.text.length;
    const from = Math.min(at, ...group.map((f) => f.start));
    const to = Math.max(end, ...group.map((f) => f.end));
    const start = edit.start - (at - from);
    const stop = edit.end + (to - end);
    const previous = out.at(-1);
    const next = edits[index + 1];
    const overlapping =
      group.some((f, i) => i > 0 && f.start < group[i - 1]!.end) ||
      (previous !== undefined && start < previous.end) ||
      (next !== undefined && stop > next.start);
    if (group.length === 0 || overlapping) {
      out.push(edit);
      continue;
    }
    let rewritten = '';
    let cursor = from;
    for (const f of group) {
      rewritten += text.slice(cursor, f.start) + f.text;
      cursor = f.end;
    }
    out.push({ start, end: stop, text: rewritten + text.slice(cursor, to) });
  }
  return out;
}

type Pass = (edited: Edited) => Fixup[];

/** In this order: a brace pass after the semicolon pass keeps the semicolon it added. */
const PASSES: readonly Pass[] = [semicolonFixups, quoteFixups, braceFixups, blankLineFixups];

/**
 * `edits` to `source` (the text of `file`) rewritten so that the code they write follows the
 * file's own style: see `FileStyle`. The edits come back as they were when either text does not
 * parse, and the edited file is the same program, only differently written.
 */
export function followStyle(file: string, source: string, edits: readonly TextEdit[]): TextEdit[] {
  const style = detectStyle(file, source);
  if (!style || edits.length === 0) return [...edits];
  let current: TextEdit[];
  try {
    current = normalizeEdits(source, edits);
  } catch {
    return [...edits];
  }
  for (const pass of PASSES) {
    const text = applyEdits(source, current);
    const program = parse(file, text);
    if (!program) return current;
    const placed = place(current);
    const fixups = pass({ source, text, program, placed, style });
    if (fixups.length > 0) current = fold(current, placed, text, fixups);
  }
  return current;
}
