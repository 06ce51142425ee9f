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

/** A run of `validateInBatches`: its options and the validations spent so far. */
interface Run<T> {
  options: BatchOptions<T>;
  validations: number;
}

function validate<T>(run: Run<T>, set: readonly T[]): Promise<Verdict> {
  run.validations++;
  return run.options.validate(set);
}

async function check<T>(run: Run<T>, set: readonly T[], known?: Verdict): Promise<void> {
  if (set.length === 0) return;
  const verdict = known ?? (await validate(run, set));
  if (verdict.ok) {
    await run.options.accept(set);
    return;
  }
  if (set.length === 1) {
    await run.options.reject(set[0]!, verdict);
    return;
  }
  const clusters = clusterFailures(set, verdict, run.options.filesOf);
  if (clusters) await isolate(run, set, clusters, verdict);
  else await bisect(run, set, verdict);
}

/** Two parts; when the first passes, the second is known to fail. */
async function bisect<T>(run: Run<T>, set: readonly T[], verdict: Verdict): Promise<void> {
  const [first, second] = splitFailed(set, verdict, run.options.filesOf);
  const firstVerdict = await validate(run, first);
  if (firstVerdict.ok) {
    await run.options.accept(first);
    await check(run, second, verdict);
    return;
  }
  await check(run, first, firstVerdict);
  await check(run, second);
}

async function isolate<T>(
  run: Run<T>,
  set: readonly T[],
  clusters: T[][],
  verdict: Verdict,
): Promise<void> {
  const clustered = new Set(clusters.flat());
  const innocents = set.filter((item) => !clustered.has(item));
  if (innocents.length > 0) {
    const innocentVerdict = await validate(run, innocents);
    if (!innocentVerdict.ok) {
      await check(run, innocents, innocentVerdict);
      await check(run, [...clustered]);
      return;
    }
    await run.options.accept(innocents);
  }
  await bisectClusters(run, clusters, verdict);
}

interface Suspect<T> {
  items: T[];
  /** The failure that shows this cluster holds a bad change. */
  verdict: Verdict;
}

async function rejectSingles<T>(run: Run<T>, suspects: readonly Suspect<T>[]): Promise<void> {
  for (const single of suspects.filter((c) => c.items.length === 1)) {
    await run.options.reject(single.items[0]!, {
      ...single.verdict,
      reason: `${single.verdict.reason ?? 'failed'} (the only change its failing check depends on)`,
    });
  }
}

/** Each cluster holds at least one bad change; bisect them all at once. */
async function bisectClusters<T>(run: Run<T>, start: T[][], verdict: Verdict): Promise<void> {
  let suspects: Suspect<T>[] = start.map((items) => ({ items, verdict }));
  const pending: T[] = [];
  while (suspects.length > 0) {
    await rejectSingles(run, suspects);
    const halves = suspects
      .filter((c) => c.items.length > 1)
      .map((c) => ({ halves: halve(c.items), verdict: c.verdict }));
    if (halves.length === 0) break;
    const trial = halves.flatMap((c) => c.halves[0]);
    const trialVerdict = await validate(run, trial);
    if (trialVerdict.ok) {
      await run.options.accept(trial);
      suspects = halves.map((c) => ({ items: c.halves[1], verdict: c.verdict }));
      continue;
    }
    const implicated = clusterFailures(trial, trialVerdict, run.options.filesOf);
    if (!implicated) {
      await check(run, trial, trialVerdict);
      await check(run, [...halves.flatMap((c) => c.halves[1]), ...pending]);
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
  await check(run, pending);
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
  const run: Run<T> = { options, validations: 0 };
  for (const batch of chunks(items, Math.max(1, options.batchSize))) await check(run, batch);
  return { validations: run.validations };
}
