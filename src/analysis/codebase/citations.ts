import { redactSecretsKeepingLines } from '../../core/index.js';
import type { CheckedCitation, Citation } from './types.js';

/*
 * Citations of an answer about the code: `[path:start-end]` or `[path:line]`, each optionally
 * followed by a fenced code block that quotes the cited lines. Parsing, checking and marking are
 * pure; the file text at the indexed commit comes from an injected reader.
 */

/** The text of a repository-relative file at the indexed commit, or undefined when it has none. */
export type ReadAtCommit = (file: string) => Promise<string | undefined>;

/** A path of letters, digits and `._-/@+`, then `:line` or `:start-end`, in square brackets. */
const CITATION = /\[((?:[\w.@+-]+\/)*[\w.@+-]+):(\d+)(?:\s*-\s*(\d+))?\]/g;

/** A fenced block starting on the line after a citation (optionally after `:` and a blank line). */
const QUOTE =
  /^[ \t]*:?[ \t]*\r?\n(?:[ \t]*\r?\n)?[ \t]*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\r?\n[ \t]*\1/;

/** Offsets `[start, end)` of fenced code blocks: a citation-like text inside code is code. */
function fencedRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  const fence = /^[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?\n[ \t]*\1[^\n]*$/gm;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}

/** The citations of `text` in order of appearance, with the code each quotes, if any. */
export function parseCitations(text: string): Citation[] {
  const fenced = fencedRanges(text);
  const citations: Citation[] = [];
  for (const m of text.matchAll(CITATION)) {
    const index = m.index;
    if (fenced.some(([from, to]) => index >= from && index < to)) continue;
    const startLine = Number(m[2]);
    const endLine = m[3] === undefined ? startLine : Number(m[3]);
    const quote = QUOTE.exec(text.slice(index + m[0].length));
    const file = m[1]!.replace(/^(\.\/)+/, '');
    citations.push({
      file,
      startLine,
      endLine,
      index,
      ...(quote ? { quoted: quote[2]! } : {}),
    });
  }
  return citations;
}

/** Whitespace-insensitive form of code: every run of whitespace one space, trimmed. */
function normalise(code: string): string {
  return code.replace(/\s+/g, ' ').trim();
}

/** A quote's lines without the `12 | ` prefixes of numbered excerpts, when every line has one. */
function withoutLineNumbers(quote: string): string {
  const lines = quote.split('\n');
  const numbered = /^\s*\d+\s*\|\s?/;
  const filled = lines.filter((l) => l.trim() !== '');
  if (filled.length === 0 || !filled.every((l) => numbered.test(l))) return quote;
  return lines.map((l) => l.replace(numbered, '')).join('\n');
}

/** An elision line in a quote: `...`, `…`, `// ...`. */
const ELISION = /^\s*(?:\/\/|#|\/\*)?\s*(?:\.\.\.|…)\s*(?:\*\/)?\s*$/;

/** Whether every part of the quote (split at elisions) appears, in order, within `cited`. */
export function quoteMatches(quote: string, cited: string): boolean {
  const haystack = normalise(cited);
  const parts: string[] = [];
  let current: string[] = [];
  for (const line of withoutLineNumbers(quote).split('\n')) {
    if (ELISION.test(line)) {
      parts.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  parts.push(current.join('\n'));
  let from = 0;
  let found = 0;
  for (const part of parts.map(normalise)) {
    if (part === '') continue;
    const at = haystack.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
    found++;
  }
  return found > 0;
}

/** Lines of a text: a final newline ends the last line rather than starting another. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const lines = text.split('\n').length;
  return text.endsWith('\n') ? lines - 1 : lines;
}

function isSafePath(file: string): boolean {
  return !file.startsWith('/') && !file.split('/').some((part) => part === '..' || part === '');
}

/** Checks one citation against the file's text at the commit (undefined: not there). */
export function checkCitation(citation: Citation, text: string | undefined): CheckedCitation {
  if (text === undefined) {
    return {
      ...citation,
      ok: false,
      reason: 'no-file',
      detail: 'no such file at the indexed commit',
    };
  }
  const lines = lineCount(text);
  const { startLine, endLine } = citation;
  if (startLine < 1 || startLine > endLine || endLine > lines) {
    const detail =
      startLine > endLine
        ? `start line ${startLine} is after end line ${endLine}`
        : `file has ${lines} lines`;
    return { ...citation, ok: false, reason: 'out-of-range', detail };
  }
  if (citation.quoted !== undefined) {
    // Quotes come from the index, which stores code with key-shaped values redacted.
    const cited = redactSecretsKeepingLines(text)
      .split('\n')
      .slice(startLine - 1, endLine)
      .join('\n');
    if (!quoteMatches(citation.quoted, cited)) {
      const span = startLine === endLine ? `line ${startLine}` : `lines ${startLine}-${endLine}`;
      return {
        ...citation,
        ok: false,
        reason: 'quote-mismatch',
        detail: `the quoted code is not in ${span}`,
      };
    }
  }
  return { ...citation, ok: true };
}

/** Checks every citation, reading each file once. */
export async function checkCitations(
  citations: readonly Citation[],
  read: ReadAtCommit,
): Promise<CheckedCitation[]> {
  const texts = new Map<string, Promise<string | undefined>>();
  const textOf = (file: string): Promise<string | undefined> => {
    if (!isSafePath(file)) return Promise.resolve(undefined);
    let text = texts.get(file);
    if (!text) {
      text = read(file);
      texts.set(file, text);
    }
    return text;
  };
  return Promise.all(citations.map(async (c) => checkCitation(c, await textOf(c.file))));
}

/** The words a failed citation is marked with, in the text and in a repair request. */
export function describeFailure(citation: CheckedCitation): string {
  if (citation.ok) return '';
  return citation.reason === 'quote-mismatch'
    ? `quote does not match: ${citation.detail}`
    : `citation not found: ${citation.detail}`;
}

/** The citation as written: `path:start-end`, or `path:line` for one line. */
export function formatLocation(c: Pick<Citation, 'file' | 'startLine' | 'endLine'>): string {
  return c.startLine === c.endLine
    ? `${c.file}:${c.startLine}`
    : `${c.file}:${c.startLine}-${c.endLine}`;
}

/**
 * The text with each failed citation marked where it stands:
 * `[src/x.ts:90-99 (citation not found: file has 40 lines)]`; the citations' `index` is moved to
 * where each now stands in the marked text.
 */
export function markFailures(
  text: string,
  checked: readonly CheckedCitation[],
): { marked: string; citations: CheckedCitation[] } {
  let marked = '';
  let from = 0;
  let shift = 0;
  const citations: CheckedCitation[] = [];
  for (const c of [...checked].sort((a, b) => a.index - b.index)) {
    citations.push({ ...c, index: c.index + shift });
    const close = text.indexOf(']', c.index);
    if (c.ok || close < 0) continue;
    const mark = ` (${describeFailure(c)})`;
    marked += text.slice(from, close) + mark;
    from = close;
    shift += mark.length;
  }
  return { marked: marked + text.slice(from), citations };
}

/** Parses, checks and marks the citations of an answer. */
export async function verifyCitations(
  text: string,
  read: ReadAtCommit,
): Promise<{ citations: CheckedCitation[]; failed: number; marked: string }> {
  const checked = await checkCitations(parseCitations(text), read);
  const { marked, citations } = markFailures(text, checked);
  return { citations, failed: citations.filter((c) => !c.ok).length, marked };
}
