/**
 * Strings that match a regular expression, for inputs of code that tests its parameters with one
 * (`/^(\d+) *(ms|s|m|h|d)$/i.exec(str)` gives `'12 ms'`, `'3h'`...): a small generator over the
 * pattern's syntax (alternatives, groups, classes, escapes, quantifiers), choosing alternatives and
 * repetitions at random from a seed. Lookarounds and back references generate nothing; a pattern
 * it cannot read gives no samples.
 */

type Node =
  | { kind: 'text'; value: string }
  | { kind: 'class'; chars: string[]; negated: boolean }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number }
  | { kind: 'empty' };

const DIGITS = '0123456789'.split('');
const WORD = ['a', 'b', 'x', 'Z', '_', '1'];
const SPACE = [' ', '\t'];
const OTHERS = ['a', 'Z', '0', ' ', '-', '_', '.', '/', '!', '@', 'é'];

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new Error('unbalanced');
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      let atom = this.atom();
      atom = this.quantified(atom);
      items.push(atom);
    }
    return { kind: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, 3];
    else if (c === '+') [min, max] = [1, 3];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? min + 2 : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.src[this.i] === '?') this.i++;
    return { kind: 'repeat', node: atom, min, max: Math.min(max, min + 3) };
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    switch (c) {
      case '^':
      case '$':
        return { kind: 'empty' };
      case '.':
        return { kind: 'class', chars: ['a', 'x', '1', '-'], negated: false };
      case '(': {
        let capture = true;
        if (this.src[this.i] === '?') {
          const next = this.src[this.i + 1];
          if (next === ':') this.i += 2;
          else if (next === '=' || next === '!') {
            this.i += 2;
            this.alternation();
            this.expect(')');
            return { kind: 'empty' };
          } else if (
            next === '<' &&
            (this.src[this.i + 2] === '=' || this.src[this.i + 2] === '!')
          ) {
            this.i += 3;
            this.alternation();
            this.expect(')');
            return { kind: 'empty' };
          } else if (next === '<') {
            const end = this.src.indexOf('>', this.i);
            if (end < 0) throw new Error('bad group');
            this.i = end + 1;
          }
          capture = false;
        }
        void capture;
        const inner = this.alternation();
        this.expect(')');
        return inner;
      }
      case '[':
        return this.charClass();
      case '\\':
        return this.escape(false);
      default:
        return { kind: 'text', value: c };
    }
  }

  private expect(c: string): void {
    if (this.src[this.i] !== c) throw new Error(`expected ${c}`);
    this.i++;
  }

  private escape(inClass: boolean): Node {
    const c = this.src[this.i++];
    switch (c) {
      case 'd':
        return { kind: 'class', chars: DIGITS, negated: false };
      case 'D':
        return { kind: 'class', chars: ['a', '-', ' '], negated: false };
      case 'w':
        return { kind: 'class', chars: WORD, negated: false };
      case 'W':
        return { kind: 'class', chars: ['-', ' ', '.', '/'], negated: false };
      case 's':
        return { kind: 'class', chars: SPACE, negated: false };
      case 'S':
        return { kind: 'class', chars: ['a', '1', '-'], negated: false };
      case 'b':
        return inClass ? { kind: 'text', value: '\b' } : { kind: 'empty' };
      case 'B':
        return { kind: 'empty' };
      case 'n':
        return { kind: 'text', value: '\n' };
      case 'r':
        return { kind: 'text', value: '\r' };
      case 't':
        return { kind: 'text', value: '\t' };
      case 'f':
        return { kind: 'text', value: '\f' };
      case 'v':
        return { kind: 'text', value: '\v' };
      case '0':
        return { kind: 'text', value: '\0' };
      case 'x': {
        const hex = this.src.slice(this.i, this.i + 2);
        this.i += 2;
        return { kind: 'text', value: String.fromCharCode(parseInt(hex, 16)) };
      }
      case 'u': {
        const braced = /^\{([0-9a-fA-F]+)\}/.exec(this.src.slice(this.i));
        if (braced) {
          this.i += braced[0].length;
          return { kind: 'text', value: String.fromCodePoint(parseInt(braced[1]!, 16)) };
        }
        const hex = this.src.slice(this.i, this.i + 4);
        this.i += 4;
        return { kind: 'text', value: String.fromCharCode(parseInt(hex, 16)) };
      }
      case 'p':
      case 'P': {
        const end = this.src.indexOf('}', this.i);
        this.i = end < 0 ? this.i : end + 1;
        return { kind: 'class', chars: ['a', 'Z'], negated: c === 'P' };
      }
      case 'k': {
        const end = this.src.indexOf('>', this.i);
        this.i = end < 0 ? this.i : end + 1;
        return { kind: 'empty' };
      }
      case undefined:
        throw new Error('dangling escape');
      default:
        if (/[1-9]/.test(c)) return { kind: 'empty' };
        return { kind: 'text', value: c };
    }
  }

  private charClass(): Node {
    let negated = false;
    if (this.src[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const chars: string[] = [];
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== ']' || first)) {
      first = false;
      let low: string;
      if (this.src[this.i] === '\\') {
        this.i++;
        const node = this.escape(true);
        if (node.kind === 'class') {
          chars.push(...node.chars);
          continue;
        }
        low = node.kind === 'text' ? node.value : '';
      } else {
        low = this.src[this.i++]!;
      }
      if (
        this.src[this.i] === '-' &&
        this.src[this.i + 1] !== ']' &&
        this.i + 1 < this.src.length
      ) {
        this.i++;
        let high: string;
        if (this.src[this.i] === '\\') {
          this.i++;
          const node = this.escape(true);
          high = node.kind === 'text' ? node.value : low;
        } else high = this.src[this.i++]!;
        const a = low.codePointAt(0) ?? 97;
        const b = high.codePointAt(0) ?? a;
        chars.push(
          String.fromCodePoint(a),
          String.fromCodePoint(Math.floor((a + b) / 2)),
          String.fromCodePoint(b),
        );
      } else if (low !== '') chars.push(low);
    }
    this.expect(']');
    const all = this.ignoreCase ? [...chars, ...chars.map((c) => c.toUpperCase())] : chars;
    return { kind: 'class', chars: [...new Set(all)], negated };
  }
}

function generate(node: Node, random: () => number, minimal: boolean): string {
  switch (node.kind) {
    case 'empty':
      return '';
    case 'text':
      return node.value;
    case 'class': {
      const pool = node.negated ? OTHERS.filter((c) => !node.chars.includes(c)) : node.chars;
      if (pool.length === 0) return '';
      return pool[minimal ? 0 : Math.floor(random() * pool.length)]!;
    }
    case 'seq':
      return node.items.map((n) => generate(n, random, minimal)).join('');
    case 'alt':
      return generate(
        node.options[minimal ? 0 : Math.floor(random() * node.options.length)]!,
        random,
        minimal,
      );
    case 'repeat': {
      // An optional part is more often there than not: it is usually what the code looks for.
      const count = minimal
        ? node.min
        : node.min === 0 && node.max === 1
          ? Number(random() < 0.65)
          : node.min + Math.floor(random() * (node.max - node.min + 1));
      let out = '';
      for (let k = 0; k < count; k++) out += generate(node.node, random, minimal);
      return out;
    }
  }
}

/**
 * Up to `count` distinct strings matching `/source/flags` (checked against the regular
 * expression itself; samples that do not match are dropped).
 */
export function sampleRegex(source: string, flags = '', count = 8, seed = 1): string[] {
  let tree: Node;
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags.replace(/[gy]/g, ''));
    tree = new Parser(source, flags.includes('i')).parse();
  } catch {
    return [];
  }
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const out = new Set<string>();
  const tries = [generate(tree, random, true)];
  for (let k = 0; k < count * 4; k++) tries.push(generate(tree, random, false));
  for (const sample of tries) {
    if (out.size >= count) break;
    if (sample.length <= 80 && regex.test(sample)) out.add(sample);
  }
  return [...out];
}
