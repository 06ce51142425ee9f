/** A figure with three decimals, or "n/a" when it could not be measured. */
export function formatFigure(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(3);
}
