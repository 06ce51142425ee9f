/** The outcome of validating a set of changes together. */
export interface Verdict {
  ok: boolean;
  /** The check that failed. */
  gate?: string;
  reason?: string;
  /**
   * Files the failure points at (a failing test and what it imports, a file with a new type
   * error); undefined when the failure cannot be attributed.
   */
  suspects?: ReadonlySet<string>;
}

export interface BatchOptions<T> {
  /** How many changes to validate at once (1 validates one by one). */
  batchSize: number;
  /** Files a change touches, to match it against a verdict's suspects. */
  filesOf(item: T): readonly string[];
  /** Validates `trial` on top of everything accepted so far. */
  validate(trial: readonly T[]): Promise<Verdict>;
  /** Makes a validated set part of the accepted state. */
  accept(items: readonly T[]): Promise<void>;
  /** Called for each change found bad on its own. */
  reject(item: T, verdict: Verdict): Promise<void> | void;
}

export interface BatchResult {
  /** Full validations run. */
  validations: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Splits a failed set: first by the verdict's suspects (changes touching the files the failure
 * points at go apart from the rest), and in halves when that does not narrow anything down.
 */
export function splitFailed<T>(
  items: readonly T[],
  verdict: Verdict,
  filesOf: (item: T) => readonly string[],
): [T[], T[]] {
  const suspects = verdict.suspects;
  if (suspects && suspects.size > 0) {
    const guilty = items.filter((item) => filesOf(item).some((f) => suspects.has(f)));
    if (guilty.length > 0 && guilty.length < items.length) {
      return [items.filter((item) => !guilty.includes(item)), guilty];
    }
  }
  const middle = Math.ceil(items.length / 2);
  return [items.slice(0, middle), items.slice(middle)];
}

/**
 * Validates changes in batches and bisects a batch that fails, so the number of full validations
 * grows with the number of bad changes rather than with all of them. Innocent-looking halves go
 * first, so that by the time a suspect is tried alone, everything good around it is accepted.
 */
export async function validateInBatches<T>(
  items: readonly T[],
  options: BatchOptions<T>,
): Promise<BatchResult> {
  let validations = 0;
  const check = async (set: readonly T[]): Promise<void> => {
    if (set.length === 0) return;
    validations++;
    const verdict = await options.validate(set);
    if (verdict.ok) {
      await options.accept(set);
      return;
    }
    if (set.length === 1) {
      await options.reject(set[0]!, verdict);
      return;
    }
    const [first, second] = splitFailed(set, verdict, options.filesOf);
    await check(first);
    await check(second);
  };
  for (const batch of chunks(items, Math.max(1, options.batchSize))) await check(batch);
  return { validations };
}
