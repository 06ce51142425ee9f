import { ValidationError } from './errors.js';

/**
 * A replacement of `source.slice(start, end)` by `text`. Offsets are UTF-16 code units, as in
 * JavaScript strings and oxc-parser spans.
 */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Edits to one file, by repository-relative path with forward slashes. */
export interface FileChange {
  file: string;
  edits: TextEdit[];
}

/** Whether two edits touch overlapping ranges (two insertions at one offset also overlap). */
export function editsOverlap(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Sorts edits by offset and rejects ones out of range or overlapping each other. */
export function normalizeEdits(source: string, edits: readonly TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((x, y) => x.start - y.start || x.end - y.end);
  for (const [index, edit] of sorted.entries()) {
    if (edit.start < 0 || edit.end < edit.start || edit.end > source.length) {
      throw new ValidationError(
        `edit ${edit.start}-${edit.end} is outside the file (length ${source.length})`,
      );
    }
    const previous = sorted[index - 1];
    if (previous && editsOverlap(previous, edit)) {
      throw new ValidationError(
        `edits ${previous.start}-${previous.end} and ${edit.start}-${edit.end} overlap`,
      );
    }
  }
  return sorted;
}

/** Applies non-overlapping edits to `source`; all offsets refer to the original text. */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const sorted = normalizeEdits(source, edits);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    result += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + source.slice(cursor);
}

/** Whether any edit of `a` overlaps any edit of `b` in the same file. */
export function changesOverlap(a: readonly FileChange[], b: readonly FileChange[]): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x.file !== y.file) continue;
      if (x.edits.some((e) => y.edits.some((f) => editsOverlap(e, f)))) return true;
    }
  }
  return false;
}
