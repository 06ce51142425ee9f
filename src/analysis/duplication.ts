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

const SKIP_SUBTREES = new Set([
  'ImportDeclaration',
  'ExportAllDeclaration',
  'TSImportEqualsDeclaration',
]);

const kindIds = new Map<string, number>();
function kindId(kind: string): number {
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

function tokenKind(node: AstNode): string {
  const op = node.operator;
  if (typeof op === 'string') return `${node.type}${op}`;
  if (node.type === 'Literal') return `Literal:${typeof node.value}`;
  if (node.type === 'VariableDeclaration') return `Var:${String(node.kind)}`;
  return node.type;
}

/** Normalised token stream of a program: kind ids and start lines. */
export function tokenize(program: AstNode, lines: LineIndex): { kinds: number[]; lines: number[] } {
  const kinds: number[] = [];
  const at: number[] = [];
  walk(program, {
    enter(node) {
      if (SKIP_SUBTREES.has(node.type)) return false;
      if (node.type === 'Program') return true;
      kinds.push(kindId(tokenKind(node)));
      at.push(lines.lineOf(node.start));
      return true;
    },
  });
  return { kinds, lines: at };
}

/** Winnowed fingerprints of a token stream, for clones of at least `minTokens` tokens. */
export function fingerprint(
  tokens: { kinds: number[]; lines: number[] },
  minTokens: number,
): Fingerprint[] {
  const { kinds, lines } = tokens;
  const k = GRAM;
  const w = Math.max(1, minTokens - k + 1);
  const count = kinds.length - k + 1;
  if (count <= 0) return [];
  const hashes = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    let h = 0;
    for (let j = 0; j < k; j++) h = (Math.imul(h, 31) + kinds[i + j]!) | 0;
    hashes[i] = h >>> 0;
  }
  const out: Fingerprint[] = [];
  let lastPicked = -1;
  for (let start = 0; start + w <= count || (start === 0 && count > 0); start++) {
    const end = Math.min(count, start + w);
    let min = start;
    // Rightmost minimum, as winnowing prescribes, so a window sliding over equal hashes keeps one.
    for (let i = start; i < end; i++) if (hashes[i]! <= hashes[min]!) min = i;
    if (min !== lastPicked) {
      out.push([hashes[min]!, min, lines[min]!, lines[min + k - 1]!]);
      lastPicked = min;
    }
    if (end === count) break;
  }
  return out;
}

/** Finds clone pairs across files from their fingerprints. */
export function findClones(
  files: readonly { path: string; fingerprints: readonly Fingerprint[] }[],
  minTokens: number,
): Clone[] {
  const index = new Map<number, { file: number; fp: Fingerprint }[]>();
  files.forEach((file, fileIndex) => {
    for (const fp of file.fingerprints) {
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
