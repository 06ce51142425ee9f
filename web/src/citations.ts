import { fileHref } from './route';
import type { CheckedCitation } from './types';

/** A piece of an answer's text: plain text, or a `[path:start-end]` citation as written. */
export type AnswerPart =
  | { kind: 'text'; text: string }
  | {
      kind: 'citation';
      /** As written, brackets included. */
      text: string;
      file: string;
      startLine: number;
      endLine: number;
      /** The server's check of it; null until the checks arrive (while the answer streams). */
      check: CheckedCitation | null;
      /** The failure the server marked in the text, if it did. */
      mark: string | null;
    };

/*
 * `[path:12-30]` or `[path:12]`, as the server's parser reads them (analysis/codebase/citations.ts):
 * a path of letters, digits and `._-/@+`. A citation that failed its check is marked in the text
 * where it stands, `[path:12-30 (citation not found: file has 20 lines)]`: the mark is kept apart.
 */
const CITATION = /\[((?:[\w.@+-]+\/)*[\w.@+-]+):(\d+)(?:\s*-\s*(\d+))?(?: \(([^\]\n]*)\))?\]/g;

const sameRange = (c: CheckedCitation, file: string, start: number, end: number): boolean =>
  c.file === file && c.startLine === start && c.endLine === end;

/**
 * Splits an answer's text into text and citations, each citation matched to its check: the unused
 * check of the same file and lines at its position if the server gave positions, else the first.
 * Text that only starts a citation (a stream cut mid-way) stays text until the rest arrives.
 */
export function splitCitations(
  text: string,
  checks: readonly CheckedCitation[] = [],
  /** Where `text` starts in the answer, when it is a piece of it: checks' positions are the answer's. */
  offset = 0,
): AnswerPart[] {
  const parts: AnswerPart[] = [];
  const used = new Set<CheckedCitation>();
  let last = 0;
  for (const match of text.matchAll(CITATION)) {
    const [written, file, start, end, mark] = match as unknown as [
      string,
      string,
      string,
      string?,
      string?,
    ];
    const startLine = Number(start);
    const path = file.replace(/^(\.\/)+/, '');
    const endLine = end === undefined ? startLine : Number(end);
    const at = match.index;
    const free = checks.filter((c) => !used.has(c) && sameRange(c, path, startLine, endLine));
    const check = free.find((c) => c.index === offset + at) ?? free[0] ?? null;
    if (check) used.add(check);
    if (at > last) parts.push({ kind: 'text', text: text.slice(last, at) });
    parts.push({
      kind: 'citation',
      text: written,
      file: path,
      startLine,
      endLine,
      check,
      mark: mark ?? null,
    });
    last = at + written.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

const REASONS: Record<string, string> = {
  'no-file': 'the file is not in the indexed commit',
  'out-of-range': 'the lines are outside the file',
  'quote-mismatch': 'the quoted code is not what the file says',
};

/** Why a citation failed, in words: the reason's meaning and the server's detail. */
export function failureText(check: CheckedCitation): string {
  const reason = check.reason ? (REASONS[check.reason] ?? check.reason) : 'it did not check out';
  return check.detail ? `${reason} (${check.detail})` : reason;
}

/** A piece of an answer: prose (with citations) or a fenced code block. */
export type AnswerBlock =
  { kind: 'prose'; text: string; offset: number } | { kind: 'code'; text: string; lang: string };

/* A fence of three or more backticks or tildes, closed by the same; unclosed, it runs to the end. */
const FENCE = /^[ \t]*(`{3,}|~{3,})([^\n]*)\n([\s\S]*?)(?:^[ \t]*\1[^\n]*$\n?|(?![\s\S]))/gm;

/**
 * Splits an answer into prose and fenced code blocks (the code an answer quotes). A fence not
 * closed yet (the answer is still streaming) runs to the end of the text.
 */
export function splitBlocks(text: string): AnswerBlock[] {
  const blocks: AnswerBlock[] = [];
  let last = 0;
  for (const match of text.matchAll(FENCE)) {
    if (match.index > last)
      blocks.push({ kind: 'prose', text: text.slice(last, match.index), offset: last });
    blocks.push({ kind: 'code', lang: (match[2] ?? '').trim(), text: match[3] ?? '' });
    last = match.index + match[0].length;
  }
  if (last < text.length) blocks.push({ kind: 'prose', text: text.slice(last), offset: last });
  return blocks;
}

type CitationPart = Extract<AnswerPart, { kind: 'citation' }>;

/** How a citation is shown: its label, its link into the code view (none for a file that is not there), its state and why it failed. */
export interface CitationLink {
  label: string;
  href: string | null;
  state: 'ok' | 'failed' | 'pending';
  why: string | null;
}

/**
 * A citation as a link to the code view of the cited file at the answer's commit, with the cited
 * lines marked; a failed one says why (its check's reason, else the mark in the text).
 */
export function citationLink(
  repoId: string,
  part: CitationPart,
  commit: string | null,
): CitationLink {
  const { file, startLine, endLine, check } = part;
  const label = startLine === endLine ? `${file}:${startLine}` : `${file}:${startLine}-${endLine}`;
  const failed = check ? !check.ok : part.mark !== null;
  // A file that is not in the indexed commit has nothing to open.
  const missing = check?.ok === false && check.reason === 'no-file';
  return {
    label,
    href: missing ? null : fileHref(repoId, file, startLine, undefined, { end: endLine, commit }),
    state: failed ? 'failed' : check ? 'ok' : 'pending',
    why: check && !check.ok ? failureText(check) : part.mark,
  };
}
