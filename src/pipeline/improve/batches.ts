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
  /**
   * The failure broken into independent failures (one failing test, one file with new type
   * errors), each with the files it depends on. Undefined when it cannot be broken down.
   */
  failures?: readonly ReadonlySet<string>[];
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
  /** Called for each change found bad. */
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

function touches<T>(item: T, files: ReadonlySet<string>, filesOf: (item: T) => readonly string[]) {
  return filesOf(item).some((f) => files.has(f));
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
    const guilty = items.filter((item) => touches(item, suspects, filesOf));
    if (guilty.length > 0 && guilty.length < items.length) {
      return [items.filter((item) => !guilty.includes(item)), guilty];
    }
  }
  const middle = Math.ceil(items.length / 2);
  return [items.slice(0, middle), items.slice(middle)];
}

/**
 * Groups the items of a failed set by the independent failures they can have caused: items that
 * share a failure end up in one cluster. Undefined when some failure touches none of the items
 * (it cannot be attributed) or the verdict has no breakdown.
 */
export function clusterFailures<T>(
  items: readonly T[],
  verdict: Verdict,
  filesOf: (item: T) => readonly string[],
): T[][] | undefined {
  if (!verdict.failures || verdict.failures.length === 0) return undefined;
  const clusters: Set<T>[] = [];
  for (const files of verdict.failures) {
    const hit = items.filter((item) => touches(item, files, filesOf));
    if (hit.length === 0) return undefined;
    const merged = new Set(hit);
    for (const cluster of clusters.filter((c) => hit.some((item) => c.has(item)))) {
      for (const item of cluster) merged.add(item);
      clusters.splice(clusters.indexOf(cluster), 1);
    }
    clusters.push(merged);
  }
  // Keep the items' order inside each cluster, so runs are deterministic.
  return clusters.map((c) => items.filter((item) => c.has(item)));
}

function halve<T>(items: readonly T[]): [T[], T[]] {
  const middle = Math.ceil(items.length / 2);
  return [items.slice(0, middle), items.slice(middle)];
}

/**
 * Validates changes in batches, so the number of full validations grows with the number of bad
 * changes rather than with all of them. A failed batch is narrowed down in three ways:
 * - its independent failures (each failing test with what it imports) split it into clusters of
 *   changes that can have caused them, and the changes outside every cluster are validated alone;
 * - clusters are bisected in parallel, one half of each in the same validation, since a change in
 *   one cluster cannot make a test of another fail (the assumption behind "related tests");
 * - when one part of a failed set passes, the rest is known to fail without validating it again.
 * Every accepted set was validated exactly as it is accepted; a rejection inferred from a failing
 * test that only one change can reach says so in its reason.
 */
export async function validateInBatches<T>(
  items: readonly T[],
  options: BatchOptions<T>,
): Promise<BatchResult> {
  let validations = 0;
  const validate = (set: readonly T[]): Promise<Verdict> => {
    validations++;
    return options.validate(set);
  };

  const check = async (set: readonly T[], known?: Verdict): Promise<void> => {
    if (set.length === 0) return;
    const verdict = known ?? (await validate(set));
    if (verdict.ok) {
      await options.accept(set);
      return;
    }
    if (set.length === 1) {
      await options.reject(set[0]!, verdict);
      return;
    }
    const clusters = clusterFailures(set, verdict, options.filesOf);
    if (clusters) await isolate(set, clusters, verdict);
    else await bisect(set, verdict);
  };

  /** Two parts; when the first passes, the second is known to fail. */
  const bisect = async (set: readonly T[], verdict: Verdict): Promise<void> => {
    const [first, second] = splitFailed(set, verdict, options.filesOf);
    const firstVerdict = await validate(first);
    if (firstVerdict.ok) {
      await options.accept(first);
      await check(second, verdict);
      return;
    }
    await check(first, firstVerdict);
    await check(second);
  };

  const isolate = async (set: readonly T[], clusters: T[][], verdict: Verdict): Promise<void> => {
    const clustered = new Set(clusters.flat());
    const innocents = set.filter((item) => !clustered.has(item));
    if (innocents.length > 0) {
      const innocentVerdict = await validate(innocents);
      if (!innocentVerdict.ok) {
        await check(innocents, innocentVerdict);
        await check([...clustered]);
        return;
      }
      await options.accept(innocents);
    }
    await bisectClusters(clusters, verdict);
  };

  /** Each cluster holds at least one bad change; bisect them all at once. */
  const bisectClusters = async (start: T[][], verdict: Verdict): Promise<void> => {
    let suspects = start.map((items) => ({ items, verdict }));
    const pending: T[] = [];
    while (suspects.length > 0) {
      for (const single of suspects.filter((c) => c.items.length === 1)) {
        await options.reject(single.items[0]!, {
          ...single.verdict,
          reason: `${single.verdict.reason ?? 'failed'} (the only change its failing check depends on)`,
        });
      }
      const halves = suspects
        .filter((c) => c.items.length > 1)
        .map((c) => ({ halves: halve(c.items), verdict: c.verdict }));
      if (halves.length === 0) break;
      const trial = halves.flatMap((c) => c.halves[0]);
      const trialVerdict = await validate(trial);
      if (trialVerdict.ok) {
        await options.accept(trial);
        suspects = halves.map((c) => ({ items: c.halves[1], verdict: c.verdict }));
        continue;
      }
      const implicated = clusterFailures(trial, trialVerdict, options.filesOf);
      if (!implicated) {
        await check(trial, trialVerdict);
        await check([...halves.flatMap((c) => c.halves[1]), ...pending]);
        return;
      }
      const guilty = new Set(implicated.flat());
      suspects = halves.map(({ halves: [first, second], verdict: own }) => {
        const firstFailed = first.some((item) => guilty.has(item));
        pending.push(...(firstFailed ? second : first));
        return firstFailed
          ? { items: first, verdict: trialVerdict }
          : { items: second, verdict: own };
      });
    }
    await check(pending);
  };

  for (const batch of chunks(items, Math.max(1, options.batchSize))) await check(batch);
  return { validations };
}
