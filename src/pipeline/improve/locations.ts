import { type TextEdit } from '../../core/index.js';
import type { Location } from '../../core/index.js';

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Offset of a 1-based line and column. */
export function offsetOf(text: string, line: number, column: number): number {
  const starts = lineStarts(text);
  const start = starts[Math.min(Math.max(line, 1), starts.length) - 1] ?? 0;
  return Math.min(start + column - 1, text.length);
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const starts = lineStarts(text);
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

/** Where an offset of the original text lands once the edits are applied. */
function mapOffset(offset: number, edits: readonly TextEdit[]): number {
  let shift = 0;
  for (const edit of edits) {
    if (edit.end <= offset && edit.start < offset)
      shift += edit.text.length - (edit.end - edit.start);
    else if (edit.start <= offset && offset < edit.end) return edit.start + shift;
  }
  return offset + shift;
}

/**
 * Maps a location in `before` through the edits that turned it into `after`, so a finding can be
 * looked for again in the changed file.
 */
export function mapLocation(
  location: Location,
  before: string,
  after: string,
  edits: readonly TextEdit[],
): Location {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const start = mapOffset(offsetOf(before, location.line, location.column), sorted);
  const end = Math.max(
    start,
    mapOffset(offsetOf(before, location.endLine, location.endColumn), sorted),
  );
  const from = positionOf(after, start);
  const to = positionOf(after, end);
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}
