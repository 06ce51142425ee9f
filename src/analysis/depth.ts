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
  for (let k = start; k < end; k++) h = (h * 31 + text[k]!) | 0;
  const entry = KEYWORDS.get(h);
  if (entry === undefined || entry.word.length !== end - start) return -1;
  for (let k = 0; k < entry.word.length; k++)
    if (entry.word.charCodeAt(k) !== text[start + k]) return -1;
  return entry.bits;
}

function wordEnd(text: Uint8Array, i: number): number {
  while (i < text.length && isIdentifierByte(text[i]!)) i++;
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
    const c = text[i]!;
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
    const c = text[i]!;
    if (c === 0x5c) i += 2;
    else if (c === 0x0a) return i;
    else {
      i++;
      if (c === 0x5b) inClass = true;
      else if (c === 0x5d) inClass = false;
      else if (c === 0x2f && !inClass) break;
    }
  }
  while (i < text.length && isIdentifierByte(text[i]!)) i++;
  return i;
}

/**
 * Template text from `i`: returns the index after the closing backtick (`opened` false) or after
 * a `${` (`opened` true).
 */
function skipTemplate(text: Uint8Array, i: number): { end: number; opened: boolean } {
  while (i < text.length) {
    const c = text[i]!;
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

/** Estimates the parser stack a source needs; linear in its length, without recursion. */
export function estimateDepth(source: Buffer | string): DepthEstimate {
  const text = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  // One entry per open bracket; entry 0 is the file itself.
  const kinds: Frame[] = [Frame.Brace];
  const bases: number[] = [0];
  const chains: number[] = [0];
  /** Unclosed `<` since the segment began: a `,` inside type arguments does not end the chain. */
  const angles: number[] = [0];
  /** Per frame: HEADER for `if (...)` and the like, CARRIES for a grouping `(...)`, `[...]`, `${}`. */
  const flags: number[] = [0];
  /** The deepest point so far inside each frame, its children included. */
  const peaks: number[] = [0];
  let top = 0;
  let max = 0;
  let maxAt = 0;
  let prev = Prev.None;
  let newline = false;
  let header = false;
  /** Inside `</name`: its `>` ends a JSX element and nests nothing. */
  let closingTag = false;
  let i = 0;

  const add = (cost: number, at: number): void => {
    chains[top]! += cost;
    const depth = bases[top]! + chains[top]!;
    if (depth > peaks[top]!) peaks[top] = depth;
    if (depth > max) {
      max = depth;
      maxAt = at;
    }
  };
  const open = (kind: Frame, cost: number, at: number, carries: boolean): void => {
    const base = bases[top]! + chains[top]! + cost;
    top++;
    kinds[top] = kind;
    bases[top] = base;
    chains[top] = 0;
    angles[top] = 0;
    flags[top] = (header ? HEADER : 0) | (carries && !header ? CARRIES : 0);
    peaks[top] = base;
    header = false;
    if (base > max) {
      max = base;
      maxAt = at;
    }
  };
  const endSegment = (): void => {
    chains[top] = 0;
    angles[top] = 0;
  };

  while (i < text.length) {
    const c = text[i]!;
    // Whitespace and comments.
    if (c === 0x0a) {
      newline = true;
      i++;
      continue;
    }
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c) {
      i++;
      continue;
    }
    const next = i + 1 < text.length ? text[i + 1]! : 0;
    if (c === 0x2f && next === 0x2f) {
      while (i < text.length && text[i] !== 0x0a) i++;
      continue;
    }
    if (c === 0x2f && next === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      if (text.subarray(i, stop).includes(0x0a)) newline = true;
      i = stop;
      continue;
    }

    // A newline ends a statement in a block unless the line before needs more or this one
    // continues it (ASI, approximately; when unsure, the chain goes on).
    if (newline) {
      newline = false;
      if (
        kinds[top] === Frame.Brace &&
        prev !== Prev.More &&
        !continuesLine(c, next) &&
        !(isIdentifierByte(c) && (keywordAt(text, i, wordEnd(text, i)) & W_CONTINUES) > 0)
      ) {
        endSegment();
      }
    }

    if (isIdentifierByte(c)) {
      const start = i;
      while (i < text.length && isIdentifierByte(text[i]!)) i++;
      if (c >= 0x30 && c <= 0x39) {
        // A number, with its fraction and exponent (`1.5e+3`).
        while (
          i < text.length &&
          (text[i] === 0x2e ||
            isIdentifierByte(text[i]!) ||
            ((text[i] === 0x2b || text[i] === 0x2d) && (text[i - 1]! | 0x20) === 0x65))
        )
          i++;
        prev = Prev.Operand;
        header = false;
        continue;
      }
      const bits = keywordAt(text, start, i);
      header = bits > 0 && (bits & W_HEADER) !== 0;
      if (bits < 0 || (bits & W_OPERAND) !== 0) {
        prev = Prev.Operand;
        continue;
      }
      if ((bits & W_STATEMENT) !== 0) add(COST.statement, start);
      else if ((bits & W_FUNCTION) !== 0) add(COST.function, start);
      else if ((bits & W_NEW) !== 0) add(COST.new, start);
      else if ((bits & W_UNARY) !== 0) add(COST.unary, start);
      else if ((bits & W_CHAIN) !== 0) add(COST.chain, start);
      else if ((bits & W_CASE) !== 0) endSegment();
      prev = Prev.More;
      continue;
    }

    const wasHeader = header;
    header = false;
    switch (c) {
      case 0x27: // '
      case 0x22: // "
        i = skipString(text, i + 1, c);
        prev = Prev.Operand;
        continue;
      case 0x60: {
        // `
        const t = skipTemplate(text, i + 1);
        i = t.end;
        if (t.opened) open(Frame.Template, COST.template, i, true);
        prev = t.opened ? Prev.None : Prev.Operand;
        continue;
      }
      case 0x28: // (
      case 0x5b: {
        // [
        const call = prev === Prev.Operand;
        if (call) add(COST.chain, i);
        header = wasHeader && c === 0x28;
        const kind = c === 0x28 ? Frame.Paren : Frame.Bracket;
        open(kind, c === 0x28 ? COST.paren : COST.bracket, i, !call);
        prev = Prev.None;
        i++;
        continue;
      }
      case 0x7b: // {
        open(Frame.Brace, COST.brace, i, false);
        prev = Prev.None;
        i++;
        continue;
      case 0x29: // )
      case 0x5d: // ]
      case 0x7d: {
        // }
        const closed = kinds[top];
        const wasHeaderParen = (flags[top]! & HEADER) !== 0;
        // What an operand in brackets holds is as deep as the operators after it nest it:
        // `(a + a + ...) + b + b + ...` is as deep as both chains together.
        const held = (flags[top]! & CARRIES) !== 0 ? peaks[top]! - bases[top]! : 0;
        const peak = peaks[top]!;
        if (top > 0) top--;
        if (peak > peaks[top]!) peaks[top] = peak;
        chains[top]! += held;
        i++;
        if (c === 0x7d && closed === Frame.Template) {
          const t = skipTemplate(text, i);
          i = t.end;
          if (t.opened) open(Frame.Template, COST.template, i, true);
          prev = t.opened ? Prev.None : Prev.Operand;
        } else {
          // After `if (...)` the statement that follows is nested in it.
          prev = wasHeaderParen ? Prev.More : Prev.Operand;
        }
        continue;
      }
      case 0x3b: // ;
        endSegment();
        prev = Prev.None;
        i++;
        continue;
      case 0x2c: // ,
        if (angles[top] === 0) endSegment();
        prev = Prev.More;
        i++;
        continue;
      default:
        i = punctuator(text, i, c, next);
    }
  }
  return { depth: max, line: lineAt(text, maxAt) };

  function punctuator(text: Uint8Array, at: number, ch: number, nx: number): number {
    const operand = prev === Prev.Operand;
    prev = Prev.More;
    switch (ch) {
      case 0x2f: // /
        if (!operand) {
          prev = Prev.Operand;
          return skipRegex(text, at + 1);
        }
        if (nx === 0x3e) {
          // `/>` closes a JSX element: its `<` no longer encloses anything.
          chains[top] = Math.max(0, chains[top]! - COST.angle);
          prev = Prev.Operand;
          return at + 2;
        }
        add(COST.chain, at);
        return nx === 0x3d ? at + 2 : at + 1;
      case 0x3c: // <
        if (nx === 0x2f) {
          // `</`: a JSX closing tag ends the element its `<` and `>` opened.
          chains[top] = Math.max(0, chains[top]! - COST.angle - COST.chain);
          closingTag = true;
          return at + 2;
        }
        angles[top]!++;
        add(COST.angle, at);
        return nx === 0x3c || nx === 0x3d ? at + 2 : at + 1;
      case 0x3e: // >
        if (closingTag) {
          closingTag = false;
          prev = Prev.Operand;
          return at + 1;
        }
        if (angles[top]! > 0) angles[top]!--;
        add(COST.chain, at);
        // `>=` is one operator; `>>` may close two type argument lists, so each `>` counts.
        return nx === 0x3d ? at + 2 : at + 1;
      case 0x3d: // =
        if (nx === 0x3e) {
          add(COST.arrow, at);
          return at + 2;
        }
        if (nx === 0x3d) {
          add(COST.chain, at);
          return text[at + 2] === 0x3d ? at + 3 : at + 2;
        }
        // A string ends an assignment chain: `a="x"` (a JSX attribute, mostly) nests nothing more.
        add(quotedAfter(text, at + 1) ? COST.chain : COST.assign, at);
        return at + 1;
      case 0x3f: // ?
        if (nx === 0x3f || (nx === 0x2e && !(text[at + 2]! >= 0x30 && text[at + 2]! <= 0x39))) {
          add(COST.chain, at);
          return at + 2;
        }
        return at + 1;
      case 0x3a: // :
        add(COST.colon, at);
        return at + 1;
      case 0x2e: // .
        if (nx === 0x2e && text[at + 2] === 0x2e) {
          add(COST.unary, at);
          return at + 3;
        }
        add(COST.chain, at);
        return at + 1;
      case 0x21: // !
        if (nx === 0x3d) {
          add(COST.chain, at);
          return text[at + 2] === 0x3d ? at + 3 : at + 2;
        }
        add(COST.unary, at);
        return at + 1;
      case 0x7e: // ~
        add(COST.unary, at);
        return at + 1;
      case 0x2b: // +
      case 0x2d: // -
        if (nx === ch) {
          if (operand) {
            // Postfix: the operand goes on.
            prev = Prev.Operand;
          } else add(COST.unary, at);
          return at + 2;
        }
        add(operand ? COST.chain : COST.unary, at);
        return nx === 0x3d ? at + 2 : at + 1;
      default:
        // * % & | ^ and their doubled and compound forms, @, #, and anything unknown.
        if (ch === 0x40) return at + 1;
        add(COST.chain, at);
        // `&&`, `||`, `**` and their compound forms are one operator.
        if (nx === ch && (ch === 0x26 || ch === 0x7c || ch === 0x2a))
          return text[at + 2] === 0x3d ? at + 3 : at + 2;
        return nx === 0x3d ? at + 2 : at + 1;
    }
  }
}

/** Why a source is too deep to parse safely, or undefined when it is not. */
export function tooDeep(source: Buffer | string): string | undefined {
  const { depth, line } = estimateDepth(source);
  if (depth <= MAX_SYNTAX_DEPTH) return undefined;
  return `syntax nested too deeply near line ${line} (estimated depth ${depth}, limit ${MAX_SYNTAX_DEPTH}): too deep to parse safely`;
}
