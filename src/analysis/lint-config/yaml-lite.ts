/**
 * The YAML that `.eslintrc.yml` files are written in: block mappings and sequences, flow `[…]` and
 * `{…}`, quoted and plain scalars, comments. Anchors, aliases, tags and block scalars are refused
 * with an error rather than guessed at: the config is then reported as not read.
 */

interface Line {
  indent: number;
  text: string;
  no: number;
}

class YamlError extends Error {}

function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      return text.slice(0, i);
    }
  }
  return text;
}

function toLines(source: string): Line[] {
  const out: Line[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    if (raw.includes('\t') && /^\s*\t/.test(raw)) throw new YamlError(`line ${i + 1}: tab indent`);
    const text = stripComment(raw).trimEnd();
    if (text.trim() === '' || text === '---') return;
    if (text === '...') return;
    out.push({ indent: text.length - text.trimStart().length, text: text.trimStart(), no: i + 1 });
  });
  return out;
}

function isItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#{[\]][^:#]*?)\s*:(?:\s+(.*)|$)/;

function keyOf(raw: string): string {
  const value = scalar(raw, 0);
  return String(value);
}

/** A flow collection or scalar starting at `at`; returns the value and where it ends. */
function flow(text: string, at: number, line: number): [unknown, number] {
  let i = at;
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  skip();
  const c = text[i];
  if (c === '[' || c === '{') {
    const close = c === '[' ? ']' : '}';
    const list: unknown[] = [];
    const map: Record<string, unknown> = {};
    i++;
    for (;;) {
      skip();
      if (text[i] === close) return [c === '[' ? list : map, i + 1];
      if (c === '[') {
        const [value, end] = flow(text, i, line);
        list.push(value);
        i = end;
      } else {
        const [key, afterKey] = flow(text, i, line);
        i = afterKey;
        skip();
        if (text[i] !== ':') throw new YamlError(`line ${line}: expected ":" in a flow mapping`);
        const [value, end] = flow(text, i + 1, line);
        map[String(key)] = value;
        i = end;
      }
      skip();
      if (text[i] === ',') i++;
      else if (text[i] !== close) throw new YamlError(`line ${line}: unterminated flow collection`);
    }
  }
  if (c === '"' || c === "'") {
    const end = c === '"' ? /"(?:[^"\\]|\\.)*"/y : /'(?:[^']|'')*'/y;
    end.lastIndex = i;
    const match = end.exec(text);
    if (!match) throw new YamlError(`line ${line}: unterminated string`);
    return [scalar(match[0], line), i + match[0].length];
  }
  const plain = /[^,\]}:]*(?::(?!\s|$)[^,\]}:]*)*/y;
  plain.lastIndex = i;
  const match = plain.exec(text)!;
  return [scalar(match[0].trim(), line), i + match[0].length];
}

function scalar(raw: string, line: number): unknown {
  const text = raw.trim();
  if (text === '' || text === '~' || text === 'null') return null;
  if (/^[&*!|>%@`]/.test(text)) throw new YamlError(`line ${line}: unsupported YAML "${text}"`);
  if (text.startsWith('"')) return JSON.parse(text) as unknown;
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (text.startsWith('[') || text.startsWith('{')) {
    const [value, end] = flow(text, 0, line);
    if (text.slice(end).trim() !== '') throw new YamlError(`line ${line}: text after a collection`);
    return value;
  }
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^[-+]?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

function block(lines: Line[], i: number, indent: number): [unknown, number] {
  const line = lines[i];
  if (!line || line.indent < indent) return [null, i];
  return isItem(line.text) ? sequence(lines, i, line.indent) : mapping(lines, i, line.indent);
}

function sequence(lines: Line[], start: number, indent: number): [unknown[], number] {
  const out: unknown[] = [];
  let i = start;
  while (i < lines.length && lines[i]!.indent === indent && isItem(lines[i]!.text)) {
    const line = lines[i]!;
    const rest = line.text.slice(1).trimStart();
    if (rest === '') {
      const [value, next] = block(lines, i + 1, indent + 1);
      out.push(value);
      i = next;
    } else if (KEY.test(rest) && !/^["'[{]/.test(rest.trim().slice(0, 1).replace(/["']/, ''))) {
      // `- key: value` opens a mapping whose keys line up with `key`.
      const inner = indent + (line.text.length - rest.length);
      lines[i] = { indent: inner, text: rest, no: line.no };
      const [value, next] = mapping(lines, i, inner);
      out.push(value);
      i = next;
    } else {
      out.push(scalar(rest, line.no));
      i++;
    }
  }
  return [out, i];
}

function mapping(lines: Line[], start: number, indent: number): [Record<string, unknown>, number] {
  const out: Record<string, unknown> = {};
  let i = start;
  while (i < lines.length && lines[i]!.indent === indent && !isItem(lines[i]!.text)) {
    const line = lines[i]!;
    const match = KEY.exec(line.text);
    if (!match) throw new YamlError(`line ${line.no}: expected "key: value"`);
    const key = keyOf(match[1]!);
    const rest = match[2]?.trim() ?? '';
    i++;
    if (rest !== '') {
      out[key] = scalar(rest, line.no);
      continue;
    }
    const next = lines[i];
    // A sequence may sit at its key's own indent.
    if (next && (next.indent > indent || (next.indent === indent && isItem(next.text)))) {
      const [value, after] = block(lines, i, next.indent);
      out[key] = value;
      i = after;
    } else {
      out[key] = null;
    }
  }
  return [out, i];
}

/** Pure: parses the YAML subset ESLint configs use; throws an Error naming the line otherwise. */
export function parseYamlLite(source: string): unknown {
  const lines = toLines(source);
  if (lines.length === 0) return null;
  const [value, end] = block(lines, 0, 0);
  if (end < lines.length) throw new YamlError(`line ${lines[end]!.no}: unexpected indentation`);
  return value;
}
