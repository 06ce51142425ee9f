// The baselines of npm run eval:search, written here so that they stay plain: BM25 (k1 1.2, b 0.75)
// over raw text split on whitespace only, and `git grep` on a query's words. Both rank units (whole
// files, or function line ranges) and give the rank of the first unit that holds the wanted
// function, ties taking their expected rank.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FunctionUnit } from './search-corpus.js';

const K1 = 1.2;
const B = 0.75;

/** Lowercased, split on whitespace only: what "raw text" means for the baseline. */
export function whitespaceTokens(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

export class Bm25 {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private readonly average: number;

  constructor(docs: readonly string[]) {
    docs.forEach((text, doc) => {
      const tokens = whitespaceTokens(text);
      this.lengths.push(tokens.length);
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ doc, tf });
      }
    });
    this.average = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
  }

  /** Each document's score for the query's distinct tokens (0 for none of them). */
  scores(query: string): Float64Array {
    const n = this.lengths.length;
    const out = new Float64Array(n);
    for (const term of new Set(whitespaceTokens(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = K1 * (1 - B + (B * this.lengths[doc]!) / this.average);
        out[doc]! += (idf * tf * (K1 + 1)) / (tf + norm);
      }
    }
    return out;
  }
}

/**
 * The rank of the first wanted unit when units are ordered by score, ties at their expected rank
 * (better + (tied + 1) / 2, the tied group counting the wanted one); null when no wanted unit scored.
 */
export function expectedRank(
  scores: ArrayLike<number>,
  wanted: (unit: number) => boolean,
): number | null {
  let best = 0;
  for (let i = 0; i < scores.length; i++) if (wanted(i) && scores[i]! > best) best = scores[i]!;
  if (best <= 0) return null;
  let better = 0;
  let tied = 0;
  for (let i = 0; i < scores.length; i++) {
    if (wanted(i)) continue;
    if (scores[i]! > best) better++;
    else if (scores[i] === best) tied++;
  }
  return better + (tied + 2) / 2;
}

/**
 * Whether a unit is the function itself: in its file, its line range holding the function's
 * declaration line and starting no earlier than the function's first line (an enclosing class or
 * function, which also holds the line, is not the function).
 */
export function holds(
  unit: { file: string; startLine: number; endLine: number },
  fn: FunctionUnit,
): boolean {
  return (
    unit.file === fn.file &&
    fn.startLine <= unit.startLine &&
    unit.startLine <= fn.line &&
    fn.line <= unit.endLine
  );
}

/** For each file, for each line, the units whose range holds it. */
export function unitsByLine(units: readonly FunctionUnit[]): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  units.forEach((u, i) => {
    let lines = out.get(u.file);
    if (!lines) out.set(u.file, (lines = []));
    for (let line = u.startLine; line <= u.endLine; line++) (lines[line] ??= []).push(i);
  });
  return out;
}

const STOPWORDS = new Set(
  (
    'a an and are as at be but by for from has have if in into is it its of on or that the their then there ' +
    'these this those to was were will with which when where who whom what how than so such not no can do does ' +
    'given any all each other only own same too very just also may might must should would could our your we you'
  ).split(' '),
);

/** The query's words for `git grep`: split on non-word characters, lowercased, stopwords removed. */
export function grepWords(query: string): string[] {
  const words = query.toLowerCase().split(/[^a-z0-9_$]+/);
  return [...new Set(words.filter((w) => w.length > 0 && !STOPWORDS.has(w)))];
}

const SOURCE_PATHSPECS = ['*.ts', '*.tsx', '*.js', '*.jsx', '*.mjs', '*.cjs', '*.mts', '*.cts'];

/**
 * `git grep -i -w` for the words in `dir`, and for each function unit the number of distinct
 * words matched on its lines.
 */
export async function grepScores(
  dir: string,
  words: string[],
  unitCount: number,
  byLine: Map<string, number[][]>,
): Promise<Float64Array> {
  const out = new Float64Array(unitCount);
  if (words.length === 0) return out;
  // One alternation of the literal words (they hold only [a-z0-9_$]) matches what -F does with
  // one -e a word, in one pass: git's -i -F with several patterns is about ten times slower.
  const alternation = `(${words.map((w) => w.replace(/\$/g, '\\$')).join('|')})`;
  const args = ['grep', '-n', '-o', '-z', '-i', '-w', '-E', '-I', '--no-color', '-e', alternation];
  let text: string;
  try {
    const run = await promisify(execFile)('git', [...args, '--', ...SOURCE_PATHSPECS], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    text = run.stdout;
  } catch (error) {
    // git grep exits 1 when nothing matched.
    if ((error as { code?: unknown }).code === 1) return out;
    throw error;
  }
  const matched = new Map<number, Set<string>>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [file = '', lineNo = '', match = ''] = line.split('\0');
    for (const u of byLine.get(file)?.[Number(lineNo)] ?? []) {
      let set = matched.get(u);
      if (!set) matched.set(u, (set = new Set()));
      set.add(match.toLowerCase());
    }
  }
  for (const [u, set] of matched) out[u] = set.size;
  return out;
}
