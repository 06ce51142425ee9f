import type { ChangeOutcome, ChangeStatus, ImproveReport, ImproveStatus } from './types.js';

/** What the report's "after" quality describes. */
export type AfterBasis = ImproveReport['afterBasis'];

/**
 * A delivered run measures the branch; a dry run measures the code as it would be; every other
 * run applied nothing, so its "after" is its "before" and no change may be credited to it.
 */
export function afterBasisOf(status: ImproveStatus): AfterBasis {
  if (status === 'delivered') return 'delivered';
  if (status === 'dry-run') return 'dry-run';
  return 'nothing-delivered';
}

/** The ids of the changes of each outcome: every change is in exactly one list. */
export function outcomeLists(changes: readonly ChangeOutcome[]): Record<ChangeStatus, number[]> {
  const lists: Record<ChangeStatus, number[]> = { accepted: [], withheld: [], rejected: [] };
  for (const change of changes) lists[change.status].push(change.id);
  return lists;
}
