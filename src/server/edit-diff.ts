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
    if (starts[mid]! <= offset) low = mid;
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

/**
 * The unified diff (`--- a/file`, `+++ b/file`, hunks with three lines of context) of applying
 * `edits` to `source`; empty when they change nothing.
 *
 * @throws ValidationError when an edit is out of range or two overlap.
 */
export function diffOfEdits(file: string, source: string, edits: readonly TextEdit[]): string {
  const old = splitLines(source);
  const oldNoEol = source !== '' && !source.endsWith('\n');
  // Git marks a line that ends the file without a newline; both sides may end that way.
  const oldLine = (sign: string, i: number): string[] =>
    i === old.length - 1 && oldNoEol ? [`${sign}${old[i]}`, NO_EOL] : [`${sign}${old[i]}`];
  const blocks = blocksOf(source, edits).filter(
    (b) => b.lines.join('\n') !== old.slice(b.from, b.to).join('\n'),
  );
  if (blocks.length === 0) return '';
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let shift = 0;
  let index = 0;
  while (index < blocks.length) {
    // A hunk takes every block whose context meets the previous one's.
    const hunk = [blocks[index]!];
    while (index + 1 < blocks.length && blocks[index + 1]!.from - hunk.at(-1)!.to <= 2 * CONTEXT)
      hunk.push(blocks[++index]!);
    index++;
    const start = Math.max(0, hunk[0]!.from - CONTEXT);
    const end = Math.min(old.length, hunk.at(-1)!.to + CONTEXT);
    const body: string[] = [];
    let cursor = start;
    let added = 0;
    let removed = 0;
    for (const block of hunk) {
      for (; cursor < block.from; cursor++) body.push(...oldLine(' ', cursor));
      for (; cursor < block.to; cursor++, removed++) body.push(...oldLine('-', cursor));
      for (const line of block.lines) body.push(`+${line}`);
      if (block.noEol) body.push(NO_EOL);
      added += block.lines.length;
    }
    for (; cursor < end; cursor++) body.push(...oldLine(' ', cursor));
    const oldCount = end - start;
    const newCount = oldCount - removed + added;
    const oldStart = oldCount === 0 ? start : start + 1;
    const newStart = newCount === 0 ? start + shift : start + shift + 1;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...body);
    shift += added - removed;
  }
  return `${out.join('\n')}\n`;
}
