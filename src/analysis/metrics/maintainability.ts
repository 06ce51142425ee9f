import { round2 } from './halstead.js';

/**
 * Maintainability index, Microsoft's normalised variant:
 * `max(0, (171 - 5.2 ln V - 0.23 CC - 16.2 ln LOC) * 100 / 171)`, capped at 100. `LOC` is the
 * logical line count (statements), so formatting does not move it. A volume or a line count
 * below 1 is taken as 1, where the logarithm is 0.
 */
export function maintainabilityIndex(volume: number, cyclomatic: number, loc: number): number {
  const raw =
    171 -
    5.2 * Math.log(Math.max(volume, 1)) -
    0.23 * cyclomatic -
    16.2 * Math.log(Math.max(loc, 1));
  return round2(Math.min(100, Math.max(0, (raw * 100) / 171)));
}
