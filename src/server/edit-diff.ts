import { normalizeEdits, type TextEdit } from '../core/index.js';

/*
 * A unified diff of known edits to a known text. The edits say exactly what changed, so the hunks
 * are the lines they touch: no line-matching diff algorithm is needed.
 */

const CONTEXT = 3;

/** Lines of `text` without their line ends; a final newline ends the last line, it adds none. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 0-based index of the line holding `offset`. */
function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** A run of old lines `[from, to)` replaced by `lines`. */
interface Block {
  from: number;
  to: number;
  lines: string[];
  /** The new text ends the file without a final newline. */
  noEol: boolean;
}

const NO_EOL = '\\ No newline at end of file';

/** The old lines each edit touches, merged where they touch the same or adjacent lines. */
function blocksOf(source: string, edits: readonly TextEdit[]): Block[] {
  const starts = lineStarts(source);
  const count = splitLines(source).length;
  const lineEnd = (line: number): number => starts[line + 1] ?? source.length;
  const groups: { from: number; to: number; edits: TextEdit[] }[] = [];
  for (const edit of normalizeEdits(source, edits)) {
    const from = lineAt(starts, edit.start);
    // An insertion after the last line touches no old line.
    const to = Math.min(count, lineAt(starts, Math.max(edit.start, edit.end - 1)) + 1);
    const last = groups.at(-1);
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.edits.push(edit);
    } else groups.push({ from, to, edits: [edit] });
  }
  return groups.map(({ from, to, edits: group }) => {
    let text = '';
    let cursor = starts[from] ?? source.length;
    for (const edit of group) {
      text += source.slice(cursor, edit.start) + edit.text;
      cursor = edit.end;
    }
    if (to > from) text += source.slice(cursor, lineEnd(to - 1));
    const atEnd = cursor === source.length;
    return {
      from,
      to,
      lines: splitLines(text),
      noEol: atEnd && text !== '' && !text.endsWith('\n'),
    };
  });
}

/** Blocks grouped into hunks: a hunk takes every block whose context meets the previous one's. */
function hunksOf(blocks: readonly Block[]): Block[][] {
  const hunks: Block[][] = [];
  for (const block of blocks) {
    const last = hunks.at(-1);
    const previous = last?.at(-1);
    if (last && previous && block.from - previous.to <= 2 * CONTEXT) last.push(block);
    else hunks.push([block]);
  }
  return hunks;
}

/** The old file's lines, and how a line of it is written with its sign. */
interface OldText {
  lines: readonly string[];
  /** Git marks a line that ends the file without a newline; both sides may end that way. */
  noEol: boolean;
}

function oldLine(old: OldText, sign: string, i: number): string[] {
  const line = `${sign}${old.lines[i] ?? ''}`;
  return i === old.lines.length - 1 && old.noEol ? [line, NO_EOL] : [line];
}

/** A hunk side's `start,count`, 1-based; an empty side names the line before it, as in diff(1). */
function range(start: number, count: number): string {
  return `${count === 0 ? start : start + 1},${count}`;
}

/** One hunk's header and lines; `shift` is how many lines earlier hunks added. */
function renderHunk(old: OldText, hunk: readonly Block[], shift: number) {
  const [first, last] = [hunk[0], hunk.at(-1)];
  const start = first ? Math.max(0, first.from - CONTEXT) : 0;
  const end = last ? Math.min(old.lines.length, last.to + CONTEXT) : 0;
  const body: string[] = [];
  let cursor = start;
  let added = 0;
  for (const block of hunk) {
    for (; cursor < block.from; cursor++) body.push(...oldLine(old, ' ', cursor));
    for (; cursor < block.to; cursor++) body.push(...oldLine(old, '-', cursor));
    body.push(...block.lines.map((line) => `+${line}`), ...(block.noEol ? [NO_EOL] : []));
    added += block.lines.length - (block.to - block.from);
  }
  for (; cursor < end; cursor++) body.push(...oldLine(old, ' ', cursor));
  const oldCount = end - start;
  const newCount = oldCount + added;
  const header = `@@ -${range(start, oldCount)} +${range(start + shift, newCount)} @@`;
  return { lines: [header, ...body], added };
}

/**
 * The unified diff (`--- a/file`, `+++ b/file`, hunks with three lines of context) of applying
 * `edits` to `source`; empty when they change nothing.
 *
 * @throws ValidationError when an edit is out of range or two overlap.
 */
export function diffOfEdits(file: string, source: string, edits: readonly TextEdit[]): string {
  const old: OldText = {
    lines: splitLines(source),
    noEol: source !== '' && !source.endsWith('\n'),
  };
  const blocks = blocksOf(source, edits).filter(
    (b) => b.lines.join('\n') !== old.lines.slice(b.from, b.to).join('\n'),
  );
  if (blocks.length === 0) return '';
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let shift = 0;
  for (const hunk of hunksOf(blocks)) {
    const rendered = renderHunk(old, hunk, shift);
    out.push(...rendered.lines);
    shift += rendered.added;
  }
  return `${out.join('\n')}\n`;
}
