/*
 * A linear, non-recursive upper estimate of how much native stack oxc-parser needs for a file.
 *
 * The parser (and its serializer) recurse once per level of syntax, and a native stack overflow
 * is a SIGSEGV that kills the process, worker threads and server included: it cannot be caught.
 * So deep files are refused before anything recursive sees them. Brackets are not the only
 * nesting: `else if` chains, `a + a + ...`, `!!!x`, `a ? b : a ? b : ...`, `x => x => ...` and
 * assignment chains all nest the tree without one.
 *
 * The scan is a small tokenizer (strings, comments, templates and regular expressions skipped)
 * that keeps, per open bracket, the cost of the chain of operators since the last `,` or `;` or
 * statement-ending newline at that level; the depth at a point is the sum over the enclosing
 * brackets. Costs are in units of about 128 bytes of parser stack, measured per construct in a
 * 4 MiB worker thread (see MAX_SYNTAX_DEPTH). When unsure (is this newline the end of a
 * statement?) it assumes the chain goes on: overestimating skips a file, underestimating crashes.
 */

/**
 * Refuse files estimated to need more than this many units (about 2 MiB of parser stack): half
 * the 4 MiB stack of a worker thread. Measured crashes in a worker thread (Node 20, oxc 0.159):
 * nested functions at 1,700 levels, `${` at 2,000, parentheses at 2,900, `else if` at 3,300,
 * arrows at 3,850, ternaries and assignments at 4,100, `!` at 14,000, `+` at 32,000.
 */
export const MAX_SYNTAX_DEPTH = 16_384;

/** Costs, in units of about 128 bytes of parser stack per level. */
const COST = {
  /** Binary operators, `.`, `?.`, calls and indexing, `await`. */
  chain: 1,
  /** `!`, `~`, unary `-` and `+`, `typeof`, `void`, `delete`, `...`, prefix `++`. */
  unary: 3,
  new: 4,
  /** Assignment (right-associative chains). */
  assign: 8,
  function: 8,
  arrow: 9,
  /** `if`, loops, `switch`, `try`, `catch`, `with`; an `else if` chain nests one `if` per branch. */
  statement: 10,
  /** Ternary branches, labels, conditional types. */
  colon: 10,
  /** `<`: comparisons, type arguments (generic nesting is the costliest), JSX elements. */
  angle: 16,
  paren: 12,
  bracket: 8,
  brace: 11,
  template: 17,
} as const;

const enum Prev {
  /** Start, `;`, `,`: nothing pending. */
  None,
  /** An operand ended (identifier, literal, closing bracket): `/` divides, `(` calls. */
  Operand,
  /** An operator or keyword that needs more: a newline after it does not end the statement. */
  More,
}

const HEADER = 1;
const CARRIES = 2;

const enum Frame {
  Paren,
  Bracket,
  Brace,
  Template,
}

/** What a keyword does, as bits. */
const W_UNARY = 1;
const W_CHAIN = 2;
const W_STATEMENT = 4;
/** Opens a parenthesised header after which a statement nests (`if (a) if (b) ...`). */
const W_HEADER = 8;
const W_FUNCTION = 16;
const W_NEW = 32;
/** Starts a new case of a switch: the statements before it are siblings. */
const W_CASE = 64;
/** An operand, not an operator (`this`, `null`). */
const W_OPERAND = 128;
/** First on a line, continues the statement of the line before. */
const W_CONTINUES = 256;

const WORDS: Record<string, number> = {
  typeof: W_UNARY,
  void: W_UNARY,
  delete: W_UNARY,
  keyof: W_UNARY,
  yield: W_UNARY,
  infer: W_UNARY,
  unique: W_UNARY,
  in: W_CHAIN | W_CONTINUES,
  instanceof: W_CHAIN | W_CONTINUES,
  as: W_CHAIN | W_CONTINUES,
  satisfies: W_CHAIN | W_CONTINUES,
  await: W_CHAIN,
  if: W_STATEMENT | W_HEADER,
  for: W_STATEMENT | W_HEADER,
  while: W_STATEMENT | W_HEADER,
  with: W_STATEMENT | W_HEADER,
  switch: W_STATEMENT | W_HEADER,
  catch: W_STATEMENT | W_HEADER | W_CONTINUES,
  try: W_STATEMENT,
  do: W_STATEMENT,
  function: W_FUNCTION,
  class: W_FUNCTION,
  new: W_NEW,
  case: W_CASE,
  default: W_CASE,
  this: W_OPERAND,
  super: W_OPERAND,
  null: W_OPERAND,
  true: W_OPERAND,
  false: W_OPERAND,
  undefined: W_OPERAND,
  of: W_CONTINUES,
  else: W_CONTINUES,
  extends: W_CONTINUES,
  implements: W_CONTINUES,
  finally: W_CONTINUES,
  // Statement starts: a newline right after them does not end anything.
  return: 0,
  throw: 0,
  const: 0,
  let: 0,
  var: 0,
  export: 0,
  import: 0,
  type: 0,
  interface: 0,
  enum: 0,
  async: 0,
  declare: 0,
  abstract: 0,
  readonly: 0,
  public: 0,
  private: 0,
  protected: 0,
  static: 0,
  namespace: 0,
  module: 0,
  from: 0,
};

/** Keywords by a hash of their bytes (collisions are checked), to classify a word without a string. */
const KEYWORDS: ReadonlyMap<number, { word: string; bits: number }> = (() => {
  const map = new Map<number, { word: string; bits: number }>();
  for (const [word, bits] of Object.entries(WORDS)) {
    let h = 0;
    for (let k = 0; k < word.length; k++) h = (h * 31 + word.charCodeAt(k)) | 0;
    if (map.has(h)) throw new Error(`keyword hash collision: ${word}`);
    map.set(h, { word, bits });
  }
  return map;
})();

/** The keyword bits of the word at [start, end), or -1 for an identifier. */
function keywordAt(text: Uint8Array, start: number, end: number): number {
  if (end - start > 10) return -1;
  let h = 0;
  for (let k = start; k < end; k++) h = (h * 31 + (text[k] ?? 0)) | 0;
  const entry = KEYWORDS.get(h);
  if (entry === undefined || entry.word.length !== end - start) return -1;
  for (let k = 0; k < entry.word.length; k++)
    if (entry.word.charCodeAt(k) !== text[start + k]) return -1;
  return entry.bits;
}

function wordEnd(text: Uint8Array, i: number): number {
  while (i < text.length && isIdentifierByte(text[i] ?? 0)) i++;
  return i;
}

/** Where the estimate peaked. */
export interface DepthEstimate {
  /** Estimated cost of the deepest point, in the units of MAX_SYNTAX_DEPTH. */
  depth: number;
  /** 1-based line of the deepest point. */
  line: number;
}

function isIdentifierByte(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x24 ||
    c === 0x23 ||
    c >= 0x80
  );
}

/** Bytes that, first on a line, continue the expression of the line before. */
function continuesLine(c: number, next: number): boolean {
  switch (c) {
    case 0x2e: // .
    case 0x2c: // ,
    case 0x3f: // ?
    case 0x3a: // :
    case 0x3d: // =
    case 0x2a: // *
    case 0x25: // %
    case 0x26: // &
    case 0x7c: // |
    case 0x5e: // ^
    case 0x3c: // <
    case 0x3e: // >
    case 0x28: // (
    case 0x5b: // [
    case 0x60: // `
    case 0x2f: // /
      return true;
    case 0x2b: // + but not ++
      return next !== 0x2b;
    case 0x2d: // - but not --
      return next !== 0x2d;
    default:
      return false;
  }
}

function skipString(text: Uint8Array, i: number, quote: number): number {
  while (i < text.length) {
    const c = text[i] ?? 0;
    if (c === 0x5c) i += 2;
    else if (c === quote) return i + 1;
    else if (c === 0x0a) return i;
    else i++;
  }
  return i;
}

function skipRegex(text: Uint8Array, i: number): number {
  let inClass = false;
  while (i < text.length) {
    const c = text[i] ?? 0;
    if (c === 0x5c) i += 2;
    else if (c === 0x0a) return i;
    else {
      i++;
      if (c === 0x5b) inClass = true;
      else if (c === 0x5d) inClass = false;
      else if (c === 0x2f && !inClass) break;
    }
  }
  while (i < text.length && isIdentifierByte(text[i] ?? 0)) i++;
  return i;
}

/**
 * Template text from `i`: returns the index after the closing backtick (`opened` false) or after
 * a `${` (`opened` true).
 */
function skipTemplate(text: Uint8Array, i: number): { end: number; opened: boolean } {
  while (i < text.length) {
    const c = text[i] ?? 0;
    if (c === 0x5c) i += 2;
    else if (c === 0x60) return { end: i + 1, opened: false };
    else if (c === 0x24 && text[i + 1] === 0x7b) return { end: i + 2, opened: true };
    else i++;
  }
  return { end: i, opened: false };
}

function quotedAfter(text: Uint8Array, i: number): boolean {
  while (i < text.length && (text[i] === 0x20 || text[i] === 0x09)) i++;
  return text[i] === 0x22 || text[i] === 0x27;
}

function lineAt(text: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === 0x0a) line++;
  return line;
}

/** Where a bracket opened, kept while it is open: its enclosing frame's state. */
interface Saved {
  kind: Frame;
  base: number;
  chain: number;
  angles: number;
  flags: number;
  peak: number;
}

/** Costs of keywords that nest, by their bits, in order of precedence. */
const WORD_COSTS: readonly [number, number][] = [
  [W_STATEMENT, COST.statement],
  [W_FUNCTION, COST.function],
  [W_NEW, COST.new],
  [W_UNARY, COST.unary],
  [W_CHAIN, COST.chain],
];

/**
 * One pass over a source. The innermost open bracket (the frame) lives in the fields, the
 * enclosing ones on `saved`: depth at a point is `base + chain`.
 */
class DepthScanner {
  private readonly saved: Saved[] = [];
  private kind = Frame.Brace;
  private base = 0;
  /** Cost of the chain of operators since the segment began. */
  private chain = 0;
  /** Unclosed `<` since the segment began: a `,` inside type arguments does not end the chain. */
  private angles = 0;
  /** HEADER for `if (...)` and the like, CARRIES for a grouping `(...)`, `[...]`, `${}`. */
  private flags = 0;
  /** The deepest point so far inside the frame, its children included. */
  private peak = 0;
  private max = 0;
  private maxAt = 0;
  private prev = Prev.None;
  private newline = false;
  /** The last word opens a header: `if`, `for`, `while`, `with`, `switch`, `catch`. */
  private header = false;
  /** Inside `</name`: its `>` ends a JSX element and nests nothing. */
  private closingTag = false;
  private i = 0;

  constructor(private readonly text: Buffer) {}

  run(): DepthEstimate {
    const { text } = this;
    while (this.i < text.length) {
      const c = text[this.i] ?? 0;
      const next = text[this.i + 1] ?? 0;
      if (this.skipSpace(c, next)) continue;
      if (this.newline) this.lineBreak(c, next);
      if (isIdentifierByte(c)) this.word(c);
      else this.punctuation(c, next);
    }
    return { depth: this.max, line: lineAt(text, this.maxAt) };
  }

  /** Skips whitespace or a comment, noting newlines; false at anything else. */
  private skipSpace(c: number, next: number): boolean {
    const { text } = this;
    if (c === 0x0a) this.newline = true;
    else if (c === 0x2f && next === 0x2f) {
      const end = text.indexOf(0x0a, this.i);
      this.i = end < 0 ? text.length : end;
      return true;
    } else if (c === 0x2f && next === 0x2a) {
      const end = text.indexOf('*/', this.i + 2);
      const stop = end < 0 ? text.length : end + 2;
      if (text.subarray(this.i, stop).includes(0x0a)) this.newline = true;
      this.i = stop;
      return true;
    } else if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0b && c !== 0x0c) return false;
    this.i++;
    return true;
  }

  /**
   * A newline ends a statement in a block unless the line before needs more or this one
   * continues it (ASI, approximately; when unsure, the chain goes on).
   */
  private lineBreak(c: number, next: number): void {
    this.newline = false;
    if (this.kind !== Frame.Brace || this.prev === Prev.More || continuesLine(c, next)) return;
    const { text, i } = this;
    if (isIdentifierByte(c) && (keywordAt(text, i, wordEnd(text, i)) & W_CONTINUES) > 0) return;
    this.endSegment();
  }

  private word(c: number): void {
    const { text } = this;
    const start = this.i;
    this.i = wordEnd(text, start);
    if (c >= 0x30 && c <= 0x39) {
      this.i = numberEnd(text, this.i);
      this.prev = Prev.Operand;
      this.header = false;
      return;
    }
    const bits = keywordAt(text, start, this.i);
    this.header = bits > 0 && (bits & W_HEADER) !== 0;
    if (bits < 0 || (bits & W_OPERAND) !== 0) {
      this.prev = Prev.Operand;
      return;
    }
    const cost = WORD_COSTS.find(([bit]) => (bits & bit) !== 0)?.[1];
    if (cost !== undefined) this.add(cost, start);
    else if ((bits & W_CASE) !== 0) this.endSegment();
    this.prev = Prev.More;
  }

  private punctuation(c: number, next: number): void {
    const header = this.header;
    this.header = false;
    switch (c) {
      case 0x27: // '
      case 0x22: // "
        this.i = skipString(this.text, this.i + 1, c);
        this.prev = Prev.Operand;
        return;
      case 0x60: // `
        this.template(this.i + 1);
        return;
      case 0x28: // (
      case 0x5b: // [
        this.openBracket(c, header);
        return;
      case 0x7b: // {
        this.open(Frame.Brace, COST.brace, 0);
        this.i++;
        return;
      case 0x29: // )
      case 0x5d: // ]
      case 0x7d: // }
        this.close(c);
        return;
      case 0x3b: // ;
        this.endSegment();
        this.prev = Prev.None;
        this.i++;
        return;
      case 0x2c: // ,
        if (this.angles === 0) this.endSegment();
        this.prev = Prev.More;
        this.i++;
        return;
      default:
        this.i = this.operator(c, next);
    }
  }

  /** Template text from `from`, up to its end or into a `${`. */
  private template(from: number): void {
    const t = skipTemplate(this.text, from);
    this.i = t.end;
    if (t.opened) this.open(Frame.Template, COST.template, CARRIES);
    else this.prev = Prev.Operand;
  }

  private openBracket(c: number, header: boolean): void {
    const call = this.prev === Prev.Operand;
    if (call) this.add(COST.chain, this.i);
    const paren = c === 0x28;
    // A call's arguments and a header's condition are not operands of what follows.
    let flags = call ? 0 : CARRIES;
    if (paren && header) flags = HEADER;
    this.open(paren ? Frame.Paren : Frame.Bracket, paren ? COST.paren : COST.bracket, flags);
    this.i++;
  }

  private close(c: number): void {
    const closed = this.kind;
    const flags = this.flags;
    // What an operand in brackets holds is as deep as the operators after it nest it:
    // `(a + a + ...) + b + b + ...` is as deep as both chains together.
    const held = (flags & CARRIES) !== 0 ? this.peak - this.base : 0;
    const peak = this.peak;
    const outer = this.saved.pop();
    if (outer !== undefined) {
      ({ kind: this.kind, base: this.base, chain: this.chain, angles: this.angles } = outer);
      this.flags = outer.flags;
      this.peak = Math.max(outer.peak, peak);
      this.chain += held;
    }
    this.i++;
    if (c === 0x7d && closed === Frame.Template) this.template(this.i);
    // After `if (...)` the statement that follows is nested in it.
    else this.prev = (flags & HEADER) !== 0 ? Prev.More : Prev.Operand;
  }

  private open(kind: Frame, cost: number, flags: number): void {
    const { kind: k, base, chain, angles, flags: f, peak } = this;
    this.saved.push({ kind: k, base, chain, angles, flags: f, peak });
    this.kind = kind;
    this.base = base + chain + cost;
    this.chain = 0;
    this.angles = 0;
    this.flags = flags;
    this.peak = this.base;
    this.prev = Prev.None;
    this.reach(this.base, this.i);
  }

  private add(cost: number, at: number): void {
    this.chain += cost;
    this.reach(this.base + this.chain, at);
  }

  private reach(depth: number, at: number): void {
    if (depth > this.peak) this.peak = depth;
    if (depth > this.max) {
      this.max = depth;
      this.maxAt = at;
    }
  }

  private endSegment(): void {
    this.chain = 0;
    this.angles = 0;
  }

  /** Adds what the operator at `at` costs; returns the index after it. */
  private operator(ch: number, nx: number): number {
    const at = this.i;
    const operand = this.prev === Prev.Operand;
    this.prev = Prev.More;
    switch (ch) {
      case 0x2f: // /
        return operand ? this.slash(at, nx) : this.regex(at);
      case 0x3c: // <
        return this.angle(at, nx);
      case 0x3e: // >
        return this.closeAngle(at, nx);
      case 0x3d: // =
        return this.equals(at, nx);
      case 0x3f: // ?
        // `??` and `?.` chain; a lone `?` costs nothing: its `:` does.
        if (nx === 0x3f || (nx === 0x2e && !isDigit(this.text[at + 2] ?? 0))) {
          this.add(COST.chain, at);
          return at + 2;
        }
        return at + 1;
      case 0x3a: // :
        this.add(COST.colon, at);
        return at + 1;
      case 0x2e: // .
        if (nx === 0x2e && this.text[at + 2] === 0x2e) {
          this.add(COST.unary, at);
          return at + 3;
        }
        this.add(COST.chain, at);
        return at + 1;
      case 0x21: // !
        if (nx === 0x3d) return this.comparison(at);
        this.add(COST.unary, at);
        return at + 1;
      case 0x7e: // ~
        this.add(COST.unary, at);
        return at + 1;
      case 0x2b: // +
      case 0x2d: // -
        return this.plusMinus(at, ch, nx, operand);
      case 0x40: // @
        return at + 1;
      default:
        // * % & | ^ and their doubled and compound forms, and anything unknown.
        this.add(COST.chain, at);
        // `&&`, `||`, `**` and their compound forms are one operator.
        if (nx === ch && (ch === 0x26 || ch === 0x7c || ch === 0x2a))
          return this.text[at + 2] === 0x3d ? at + 3 : at + 2;
        return nx === 0x3d ? at + 2 : at + 1;
    }
  }

  private regex(at: number): number {
    this.prev = Prev.Operand;
    return skipRegex(this.text, at + 1);
  }

  private slash(at: number, nx: number): number {
    if (nx === 0x3e) {
      // `/>` closes a JSX element: its `<` no longer encloses anything.
      this.chain = Math.max(0, this.chain - COST.angle);
      this.prev = Prev.Operand;
      return at + 2;
    }
    this.add(COST.chain, at);
    return nx === 0x3d ? at + 2 : at + 1;
  }

  private angle(at: number, nx: number): number {
    if (nx === 0x2f) {
      // `</`: a JSX closing tag ends the element its `<` and `>` opened.
      this.chain = Math.max(0, this.chain - COST.angle - COST.chain);
      this.closingTag = true;
      return at + 2;
    }
    this.angles++;
    this.add(COST.angle, at);
    return nx === 0x3c || nx === 0x3d ? at + 2 : at + 1;
  }

  private closeAngle(at: number, nx: number): number {
    if (this.closingTag) {
      this.closingTag = false;
      this.prev = Prev.Operand;
      return at + 1;
    }
    if (this.angles > 0) this.angles--;
    this.add(COST.chain, at);
    // `>=` is one operator; `>>` may close two type argument lists, so each `>` counts.
    return nx === 0x3d ? at + 2 : at + 1;
  }

  private equals(at: number, nx: number): number {
    if (nx === 0x3e) {
      this.add(COST.arrow, at);
      return at + 2;
    }
    if (nx === 0x3d) return this.comparison(at);
    // A string ends an assignment chain: `a="x"` (a JSX attribute, mostly) nests nothing more.
    this.add(quotedAfter(this.text, at + 1) ? COST.chain : COST.assign, at);
    return at + 1;
  }

  /** `==`, `===`, `!=`, `!==`. */
  private comparison(at: number): number {
    this.add(COST.chain, at);
    return this.text[at + 2] === 0x3d ? at + 3 : at + 2;
  }

  private plusMinus(at: number, ch: number, nx: number, operand: boolean): number {
    if (nx === ch) {
      // Postfix `++` leaves an operand; prefix nests like any unary operator.
      if (operand) this.prev = Prev.Operand;
      else this.add(COST.unary, at);
      return at + 2;
    }
    this.add(operand ? COST.chain : COST.unary, at);
    return nx === 0x3d ? at + 2 : at + 1;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The end of a number's fraction and exponent (`1.5e+3`), from the end of its first word. */
function numberEnd(text: Uint8Array, i: number): number {
  for (;;) {
    const c = text[i];
    if (c === undefined) return i;
    const sign = (c === 0x2b || c === 0x2d) && ((text[i - 1] ?? 0) | 0x20) === 0x65;
    if (c !== 0x2e && !isIdentifierByte(c) && !sign) return i;
    i++;
  }
}

/** Estimates the parser stack a source needs; linear in its length, without recursion. */
export function estimateDepth(source: Buffer | string): DepthEstimate {
  return new DepthScanner(typeof source === 'string' ? Buffer.from(source, 'utf8') : source).run();
}

/** Why a source is too deep to parse safely, or undefined when it is not. */
export function tooDeep(source: Buffer | string): string | undefined {
  const { depth, line } = estimateDepth(source);
  if (depth <= MAX_SYNTAX_DEPTH) return undefined;
  return `syntax nested too deeply near line ${line} (estimated depth ${depth}, limit ${MAX_SYNTAX_DEPTH}): too deep to parse safely`;
}
