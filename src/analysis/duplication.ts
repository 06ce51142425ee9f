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

/** A kept fingerprint: hash of the k-gram starting at token `pos`, and the lines it covers. */
export type Fingerprint = [hash: number, pos: number, line: number, endLine: number];

/**
 * Fingerprints of a file, flattened as `hash, pos, line, endLine` quadruples: one array of numbers
 * is far cheaper to send between threads and to cache than an array of arrays.
 */
export type Fingerprints = number[];

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

const typeIds = new Map<string, number>();
const VARIANT_KEYS: Record<string, string> = {
  Literal: 'value',
  VariableDeclaration: 'kind',
};

/** Kind id of a node: its type, refined by its operator, literal type or declaration kind. */
function kindId(node: AstNode): number {
  const op = node.operator;
  if (typeof op === 'string') return hashKind(`${node.type}${op}`);
  const variant = VARIANT_KEYS[node.type];
  if (variant !== undefined) {
    const value = node[variant];
    return hashKind(`${node.type}:${variant === 'value' ? typeof value : String(value)}`);
  }
  let id = typeIds.get(node.type);
  if (id === undefined) typeIds.set(node.type, (id = hashKind(node.type)));
  return id;
}

export interface TokenStream {
  kinds: number[];
  lines: number[];
}

/**
 * Normalised token stream of a program: kind ids and start lines. `onNode` sees every node of the
 * same walk, so other per-node collection needs no walk of its own.
 */
export function tokenize(
  program: AstNode,
  lines: LineIndex,
  onNode?: (node: AstNode) => void,
): TokenStream {
  const kinds: number[] = [];
  const at: number[] = [];
  // Nodes mostly come in source order: remember the current line's span to skip most lookups.
  let line = 1;
  let lineStart = 0;
  let nextLineStart = -1;
  walk(program, {
    enter(node) {
      onNode?.(node);
      if (SKIP_SUBTREES.has(node.type)) return false;
      if (node.type === 'Program') return true;
      kinds.push(kindId(node));
      if (node.start < lineStart || node.start >= nextLineStart) {
        line = lines.lineOf(node.start);
        lineStart = lines.lineStart(line);
        nextLineStart = lines.lineStart(line + 1);
      }
      at.push(line);
      return true;
    },
  });
  return { kinds, lines: at };
}

const BASE = 31;

/** Winnowed fingerprints of a token stream, for clones of at least `minTokens` tokens. */
export function fingerprint(tokens: TokenStream, minTokens: number): Fingerprints {
  const { kinds, lines } = tokens;
  const k = GRAM;
  const w = Math.max(1, minTokens - k + 1);
  const count = kinds.length - k + 1;
  if (count <= 0) return [];
  // Rolling polynomial hash modulo 2^32: h(i+1) = (h(i) - kinds[i] * BASE^(k-1)) * BASE + kinds[i+k].
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
  const out: Fingerprints = [];
  let lastPicked = -1;
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
    if (min !== lastPicked) {
      out.push(hashes[min]!, min, lines[min]!, lines[min + k - 1]!);
      lastPicked = min;
    }
  }
  return out;
}

/** Finds clone pairs across files from their fingerprints. */
export function findClones(
  files: readonly { path: string; fingerprints: Fingerprints }[],
  minTokens: number,
): Clone[] {
  const index = new Map<number, { file: number; fp: Fingerprint }[]>();
  files.forEach((file, fileIndex) => {
    const flat = file.fingerprints;
    for (let i = 0; i + 3 < flat.length; i += 4) {
      const fp: Fingerprint = [flat[i]!, flat[i + 1]!, flat[i + 2]!, flat[i + 3]!];
      const list = index.get(fp[0]);
      if (list) list.push({ file: fileIndex, fp });
      else index.set(fp[0], [{ file: fileIndex, fp }]);
    }
  });

  // Group matching fingerprint pairs by (file a, file b, offset between positions): a clone is a
  // run of matches on one diagonal.
  const diagonals = new Map<string, { a: Fingerprint; b: Fingerprint }[]>();
  for (const list of index.values()) {
    if (list.length < 2 || list.length > 200) continue; // very common grams are boilerplate
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        let x = list[i]!;
        let y = list[j]!;
        if (x.file > y.file || (x.file === y.file && x.fp[1] > y.fp[1])) [x, y] = [y, x];
        if (x.file === y.file && y.fp[1] - x.fp[1] < GRAM) continue; // overlapping self-match
        const key = `${x.file}:${y.file}:${y.fp[1] - x.fp[1]}`;
        const run = diagonals.get(key);
        if (run) run.push({ a: x.fp, b: y.fp });
        else diagonals.set(key, [{ a: x.fp, b: y.fp }]);
      }
    }
  }

  const clones: Clone[] = [];
  for (const [key, matches] of diagonals) {
    const [fa, fb] = key.split(':').map(Number) as [number, number];
    matches.sort((m, n) => m.a[1] - n.a[1]);
    let first = matches[0]!;
    let last = first;
    const flush = () => {
      const tokens = last.a[1] - first.a[1] + GRAM;
      if (tokens < minTokens) return;
      clones.push({
        a: { file: files[fa]!.path, line: first.a[2], endLine: last.a[3] },
        b: { file: files[fb]!.path, line: first.b[2], endLine: last.b[3] },
        tokens,
      });
    };
    for (let i = 1; i < matches.length; i++) {
      const m = matches[i]!;
      // Consecutive fingerprints of one clone are at most a window apart.
      if (m.a[1] - last.a[1] <= minTokens) {
        last = m;
      } else {
        flush();
        first = m;
        last = m;
      }
    }
    flush();
  }
  clones.sort(
    (x, y) =>
      y.tokens - x.tokens ||
      x.a.file.localeCompare(y.a.file) ||
      x.a.line - y.a.line ||
      x.b.line - y.b.line,
  );
  return clones;
}

/** Lines of each file covered by at least one clone. */
export function duplicatedLines(clones: readonly Clone[]): Map<string, number> {
  const covered = new Map<string, Set<number>>();
  for (const clone of clones) {
    for (const span of [clone.a, clone.b]) {
      let set = covered.get(span.file);
      if (!set) covered.set(span.file, (set = new Set()));
      for (let l = span.line; l <= span.endLine; l++) set.add(l);
    }
  }
  return new Map([...covered].map(([file, set]) => [file, set.size]));
}
