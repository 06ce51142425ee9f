/**
 * Most bound parameters one statement may carry. SQLite's limit is 32,766 (since 3.32) and
 * PostgreSQL's 65,535; staying well below keeps statements quick to prepare.
 */
const MAX_PARAMETERS = 4000;

/** Splits `items` into runs small enough that `paramsPerItem` parameters each fit one statement. */
export function chunk<T>(items: readonly T[], paramsPerItem: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, paramsPerItem)));
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

/** Splits rows for a multi-row insert; each row binds one parameter per property. */
export function chunkRows<T extends object>(rows: readonly T[]): T[][] {
  const first = rows[0];
  return first === undefined ? [] : chunk(rows, Object.keys(first).length);
}
