import type { Clone } from '../core/index.js';
import { walk, type AstNode, type LineIndex } from './ast.js';

/**
 * Token-based clone detection in the manner of MOSS's winnowing: each file becomes a stream of
 * normalised tokens (node kinds and operators; names and literal values erased, so renamed copies
 * match), k-grams of the stream are hashed, and the minimum hash of every window of `w` k-grams is
 * kept as a fingerprint. Any run of at least `k + w - 1` equal tokens in two places is guaranteed to
 * share a fingerprint; matches are then merged into clone pairs. Fingerprints are small and cacheable,
 * so a warm rescan needs no parsing.
 */
export const GRAM = 25;

/**
 * What clone detection keeps of a file, compact because every file's is cached and sent between
 * threads: its token kinds as indexes into `table` (its distinct kind ids), one byte each for up to
 * 256 kinds, else two; the line of every token as zigzag varint deltas; both base64. The winnowed
 * k-gram positions (`picks`) seed candidate matches, which are then extended exactly over the
 * k-gram hashes, recomputed from the kinds.
 */
export interface Fingerprints {
  table: number[];
  kinds: string;
  lines: string;
  picks: number[];
}

export const NO_FINGERPRINTS: Fingerprints = { table: [], kinds: '', lines: '', picks: [] };

function encodeKinds(kinds: readonly number[]): { table: number[]; kinds: string } {
  const table: number[] = [];
  const index = new Map<number, number>();
  const indexes = kinds.map((kind) => {
    let i = index.get(kind);
    if (i === undefined) index.set(kind, (i = table.push(kind) - 1));
    return i;
  });
  const packed = table.length <= 256 ? Uint8Array.from(indexes) : Uint16Array.from(indexes);
  return { table, kinds: base64(packed) };
}

function decodeKinds({ table, kinds }: Fingerprints): Uint32Array {
  const bytes = Buffer.from(kinds, 'base64');
  const indexes =
    table.length <= 256
      ? bytes
      : new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out = new Uint32Array(indexes.length);
  for (let i = 0; i < indexes.length; i++) out[i] = table[indexes[i]!]!;
  return out;
}

function encodeLines(lines: readonly number[]): string {
  const bytes: number[] = [];
  let previous = 0;
  for (const line of lines) {
    const delta = line - previous;
    previous = line;
    let zigzag = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    while (zigzag >= 0x80) {
      bytes.push((zigzag & 0x7f) | 0x80);
      zigzag = Math.floor(zigzag / 0x80);
    }
    bytes.push(zigzag);
  }
  return base64(Uint8Array.from(bytes));
}

function decodeLines(text: string, count: number): Uint32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Uint32Array(count);
  let line = 0;
  let at = 0;
  for (let i = 0; i < count; i++) {
    let zigzag = 0;
    let scale = 1;
    let byte: number;
    do {
      byte = bytes[at++]!;
      zigzag += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte >= 0x80);
    line += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    out[i] = line;
  }
  return out;
}

function base64(values: Uint8Array | Uint16Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

const SKIP_SUBTREES = new Set([
  'ImportDeclaration',
  'ExportAllDeclaration',
  'TSImportEqualsDeclaration',
]);

const kindIds = new Map<string, number>();
function hashKind(kind: string): number {
  let id = kindIds.get(kind);
  if (id === undefined) {
    // FNV-1a: stable across processes, so cached fingerprints stay comparable.
    let h = 0x811c9dc5;
    for (let i = 0; i < kind.length; i++) {
      h ^= kind.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    id = h >>> 0;
    kindIds.set(kind, id);
  }
  return id;
}

const VARIANT_KEYS: Record<string, string> = {
  Literal: 'value',
  VariableDeclaration: 'kind',
};

/** What the tokenizer needs of one node type, looked up once per node. */
interface KindEntry {
  skip: boolean;
  /** The type's own kind id. */
  id: number;
  variant: string | undefined;
  /** Kind ids of the type refined by an operator or a variant, by its text. */
  refined: Map<string, number>;
}

const kindEntries = new Map<string, KindEntry>();
function kindEntry(type: string): KindEntry {
  let entry = kindEntries.get(type);
  if (entry === undefined) {
    entry = {
      skip: SKIP_SUBTREES.has(type),
      id: hashKind(type),
      variant: VARIANT_KEYS[type],
      refined: new Map(),
    };
    kindEntries.set(type, entry);
  }
  return entry;
}

/** Kind id of a node: its type, refined by its operator, literal type or declaration kind. */
function kindId(node: AstNode, entry: KindEntry): number {
  const op = node.operator;
  let refinement: string;
  if (typeof op === 'string') refinement = op;
  else if (entry.variant !== undefined) {
    const value = node[entry.variant];
    refinement = `:${entry.variant === 'value' ? typeof value : String(value)}`;
  } else return entry.id;
  let id = entry.refined.get(refinement);
  if (id === undefined) entry.refined.set(refinement, (id = hashKind(`${node.type}${refinement}`)));
  return id;
}

export interface TokenStream {
  kinds: number[];
  lines: number[];
}

/** Builds a token stream node by node, from a walk of its own or from another walk's `enter`. */
export interface Tokenizer {
  /** Takes the next node in walk order; false when its children add no tokens. */
  enter(node: AstNode, parent: AstNode | undefined): boolean;
  tokens(): TokenStream;
}

/**
 * Normalised tokens of the nodes it is shown: kind ids and start lines. Subtrees that add no tokens
 * (imports) are skipped even when the walk goes into them, by their parents, so the tokenizer can
 * ride on a walk that must visit every node. `onNode` sees every node that is not skipped.
 */
export function createTokenizer(lines: LineIndex, onNode?: (node: AstNode) => void): Tokenizer {
  const kinds: number[] = [];
  const at: number[] = [];
  const skipped = new Set<AstNode>();
  // Nodes mostly come in source order: remember the current line's span to skip most lookups.
  let line = 1;
  let lineStart = 0;
  let nextLineStart = -1;
  return {
    enter(node, parent) {
      if (skipped.size > 0 && parent !== undefined && skipped.has(parent)) {
        skipped.add(node);
        return false;
      }
      onNode?.(node);
      const entry = kindEntry(node.type);
      if (entry.skip) {
        skipped.add(node);
        return false;
      }
      if (node.type === 'Program') return true;
      kinds.push(kindId(node, entry));
      if (node.start < lineStart || node.start >= nextLineStart) {
        line = lines.lineOf(node.start);
        lineStart = lines.lineStart(line);
        nextLineStart = lines.lineStart(line + 1);
      }
      at.push(line);
      return true;
    },
    tokens: () => ({ kinds, lines: at }),
  };
}

/** Normalised token stream of a program: kind ids and start lines (see `createTokenizer`). */
export function tokenize(
  program: AstNode,
  lines: LineIndex,
  onNode?: (node: AstNode) => void,
): TokenStream {
  const tokenizer = createTokenizer(lines, onNode);
  walk(program, { enter: tokenizer.enter });
  return tokenizer.tokens();
}

const BASE = 31;

/** Fingerprints of a token stream, for clones of at least `minTokens` tokens. */
export function fingerprint(tokens: TokenStream, minTokens: number): Fingerprints {
  const { kinds } = tokens;
  const k = GRAM;
  const w = Math.max(1, minTokens - k + 1);
  const count = kinds.length - k + 1;
  if (count <= 0) return NO_FINGERPRINTS;
  const hashes = gramHashes(kinds);
  const picks: number[] = [];
  let min = -1;
  const windows = Math.max(1, count - w + 1);
  for (let start = 0; start < windows; start++) {
    const end = Math.min(count, start + w);
    if (min < start) {
      // The previous minimum left the window: rescan it (amortised O(1) for random hashes).
      min = start;
      for (let i = start; i < end; i++) if (hashes[i]! <= hashes[min]!) min = i;
    } else if (hashes[end - 1]! <= hashes[min]!) {
      min = end - 1;
    }
    // Rightmost minimum, as winnowing prescribes, so a window sliding over equal hashes keeps one.
    if (picks[picks.length - 1] !== min) picks.push(min);
  }
  return { ...encodeKinds(kinds), lines: encodeLines(tokens.lines), picks };
}

/** The hash of every k-gram of a token stream: a rolling polynomial hash modulo 2^32. */
function gramHashes(kinds: ArrayLike<number>): Uint32Array {
  const k = GRAM;
  const count = kinds.length - k + 1;
  if (count <= 0) return new Uint32Array(0);
  // h(i+1) = (h(i) - kinds[i] * BASE^(k-1)) * BASE + kinds[i+k].
  let top = 1;
  for (let j = 1; j < k; j++) top = Math.imul(top, BASE);
  const hashes = new Uint32Array(count);
  let h = 0;
  for (let j = 0; j < k; j++) h = (Math.imul(h, BASE) + kinds[j]!) | 0;
  hashes[0] = h >>> 0;
  for (let i = 1; i < count; i++) {
    h = (Math.imul(h - Math.imul(kinds[i - 1]!, top), BASE) + kinds[i + k - 1]!) | 0;
    hashes[i] = h >>> 0;
  }
  return hashes;
}

interface Decoded {
  path: string;
  grams: Uint32Array;
  lines: Uint32Array;
}

/** Extends a seed match backwards and forwards over equal k-grams: [start offset, end offset]. */
function extend(a: Decoded, b: Decoded, pa: number, pb: number): [number, number] {
  let back = 0;
  while (pa - back > 0 && pb - back > 0 && a.grams[pa - back - 1] === b.grams[pb - back - 1])
    back++;
  let ahead = 0;
  while (
    pa + ahead + 1 < a.grams.length &&
    pb + ahead + 1 < b.grams.length &&
    a.grams[pa + ahead + 1] === b.grams[pb + ahead + 1]
  ) {
    ahead++;
  }
  return [back, ahead];
}

/**
 * A key per diagonal (file a, file b, offset): one number when every combination fits in a double's
 * integers (it does for any real repository), else a string. Numbers spare a string per candidate.
 */
function diagonalKey(
  decoded: readonly Decoded[],
): (fileA: number, fileB: number, offset: number) => number | string {
  const files = decoded.length;
  const longest = decoded.reduce((n, d) => Math.max(n, d.grams.length), 0);
  const span = 2 * longest + 1;
  if (files * files * span < Number.MAX_SAFE_INTEGER)
    return (a, b, offset) => (a * files + b) * span + offset + longest;
  return (a, b, offset) => `${a}:${b}:${offset}`;
}

/**
 * Finds clone pairs across and within files: shared winnowed fingerprints seed candidate matches,
 * and each is extended exactly over the k-gram hashes, so a clone's extent and size are measured,
 * not estimated. Any shared run of at least `minTokens` tokens is found.
 */
export function findClones(
  files: readonly { path: string; fingerprints: Fingerprints }[],
  minTokens: number,
): Clone[] {
  const decoded: Decoded[] = files.map(({ path, fingerprints }) => {
    const kinds = decodeKinds(fingerprints);
    return { path, grams: gramHashes(kinds), lines: decodeLines(fingerprints.lines, kinds.length) };
  });
  const index = new Map<number, { file: number; pos: number }[]>();
  files.forEach((file, fileIndex) => {
    const grams = decoded[fileIndex]!.grams;
    for (const pos of file.fingerprints.picks) {
      const hash = grams[pos]!;
      const list = index.get(hash);
      if (list) list.push({ file: fileIndex, pos });
      else index.set(hash, [{ file: fileIndex, pos }]);
    }
  });

  // Runs already measured, per diagonal (file a, file b, offset), so each clone is extended once.
  const covered = new Map<number | string, [number, number][]>();
  const diagonal = diagonalKey(decoded);
  const clones: Clone[] = [];
  for (const list of index.values()) {
    if (list.length < 2 || list.length > 200) continue; // very common grams are boilerplate
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        let x = list[i]!;
        let y = list[j]!;
        if (x.file > y.file || (x.file === y.file && x.pos > y.pos)) [x, y] = [y, x];
        if (x.file === y.file && y.pos - x.pos < GRAM) continue; // overlapping self-match
        const key = diagonal(x.file, y.file, y.pos - x.pos);
        const runs = covered.get(key);
        if (runs?.some(([from, to]) => x.pos >= from && x.pos <= to)) continue;
        const a = decoded[x.file]!;
        const b = decoded[y.file]!;
        const [back, ahead] = extend(a, b, x.pos, y.pos);
        const startA = x.pos - back;
        let endA = x.pos + ahead;
        // Within one file the two copies must not overlap.
        if (x.file === y.file) endA = Math.min(endA, y.pos - back - GRAM);
        if (runs) runs.push([startA, endA]);
        else covered.set(key, [[startA, endA]]);
        const tokens = endA - startA + GRAM;
        if (tokens < minTokens) continue;
        const startB = y.pos - back;
        const endB = startB + (endA - startA);
        clones.push({
          a: { file: a.path, line: a.lines[startA]!, endLine: a.lines[endA + GRAM - 1]! },
          b: { file: b.path, line: b.lines[startB]!, endLine: b.lines[endB + GRAM - 1]! },
          tokens,
        });
      }
    }
  }
  clones.sort(
    (p, q) =>
      q.tokens - p.tokens ||
      p.a.file.localeCompare(q.a.file) ||
      p.a.line - q.a.line ||
      p.b.line - q.b.line,
  );
  return clones;
}

/** Lines of each file covered by at least one clone. */
export function duplicatedLines(clones: readonly Clone[]): Map<string, number> {
  // Per file, a flag per line (grown as needed) and the count of lines flagged.
  const covered = new Map<string, { lines: Uint8Array; count: number }>();
  for (const clone of clones) {
    for (const span of [clone.a, clone.b]) {
      let entry = covered.get(span.file);
      if (!entry) covered.set(span.file, (entry = { lines: new Uint8Array(256), count: 0 }));
      if (span.endLine >= entry.lines.length) {
        const grown = new Uint8Array(Math.max(span.endLine + 1, entry.lines.length * 2));
        grown.set(entry.lines);
        entry.lines = grown;
      }
      for (let l = span.line; l <= span.endLine; l++) {
        if (entry.lines[l] === 0) {
          entry.lines[l] = 1;
          entry.count++;
        }
      }
    }
  }
  return new Map([...covered].map(([file, entry]) => [file, entry.count]));
}
