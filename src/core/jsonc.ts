/**
 * JSON with comments (`//`, `/* *\/`) and trailing commas, as editors write `.jsonc` and
 * tsconfig files. A mistake is a JsoncError with its line and column (from 1), which JSON.parse
 * does not give on every Node version.
 */
export class JsoncError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'JsoncError';
  }
}

/** Deeper than any config; a hostile file of a million `[` would otherwise overflow the stack. */
const MAX_DEPTH = 256;

/** Pure: the value of a JSONC text. Throws a JsoncError naming the line and column of a mistake. */
export function parseJsonc(text: string): unknown {
  const parser = new Parser(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const value = parser.value(0);
  parser.space();
  if (parser.at < parser.text.length) parser.fail('unexpected text after the end');
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Control characters are not allowed unescaped in a JSON string.
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class Parser {
  at = 0;
  constructor(readonly text: string) {}

  fail(message: string, at = this.at): never {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new JsoncError(message, line, column);
  }

  /** Skips white space and comments. */
  space(): void {
    const { text } = this;
    while (this.at < text.length) {
      const c = text[this.at]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.at++;
      else if (text.startsWith('//', this.at)) {
        const end = text.indexOf('\n', this.at);
        this.at = end === -1 ? text.length : end;
      } else if (text.startsWith('/*', this.at)) {
        const end = text.indexOf('*/', this.at + 2);
        if (end === -1) this.fail('unterminated comment');
        this.at = end + 2;
      } else return;
    }
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} deep`);
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === undefined) this.fail('unexpected end of file');
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    return this.number();
  }

  /** Matches `pattern` (sticky) at the current offset, without copying the rest of the text. */
  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    return pattern.exec(this.text)?.[0];
  }

  number(): number {
    const match = this.match(NUMBER);
    if (match === undefined) this.fail(`unexpected ${JSON.stringify(this.text[this.at])}`);
    this.at += match.length;
    return Number(match);
  }

  string(): string {
    const start = this.at;
    const match = this.match(STRING);
    if (match === undefined) this.fail('invalid or unterminated string', start);
    this.at += match.length;
    return JSON.parse(match) as string;
  }

  /** `{` ... `}` with an optional comma before the closing brace. */
  object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    for (;;) {
      this.space();
      if (this.text[this.at] === '}') {
        this.at++;
        return out;
      }
      if (this.text[this.at] !== '"') this.fail('expected a "quoted" key or }');
      const key = this.string();
      this.space();
      if (this.text[this.at] !== ':') this.fail('expected :');
      this.at++;
      // As JSON.parse does: "__proto__" is a key like any other, never the prototype.
      Object.defineProperty(out, key, {
        value: this.value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      if (!this.separator('}')) return out;
    }
  }

  array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.at++;
    for (;;) {
      this.space();
      if (this.text[this.at] === ']') {
        this.at++;
        return out;
      }
      out.push(this.value(depth + 1));
      if (!this.separator(']')) return out;
    }
  }

  /** After an element: true for a comma (more may follow), false having consumed `close`. */
  separator(close: '}' | ']'): boolean {
    this.space();
    const c = this.text[this.at];
    if (c === ',') {
      this.at++;
      return true;
    }
    if (c === close) {
      this.at++;
      return false;
    }
    return this.fail(c === undefined ? 'unexpected end of file' : `expected , or ${close}`);
  }
}
