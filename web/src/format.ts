/** Pure formatting helpers for the dashboard's figures. */

/** A score: the API reports 0-100; shown with one decimal at most. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return '–';
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

/** A 0-1 ratio as a percentage. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  return `${Math.round(ratio * 100)}%`;
}

export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '–';
  // Shown as they are, however absurd: a ledger figure is evidence, not decoration.
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  if (abs >= 1e12) return `${sign}$${abs.toExponential(2)}`;
  if (abs >= 1000) return `${sign}$${abs.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
  return abs < 0.01 && abs > 0 ? `${sign}$${abs.toFixed(4)}` : `${sign}$${abs.toFixed(2)}`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** A timestamp in the reader's locale, or the raw text if it does not parse. */
export function formatTime(at: string | null | undefined): string {
  if (!at) return '–';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at : date.toLocaleString();
}

/** The change between two scores, signed: "+3.5", "-1", "0". */
export function formatDelta(before: number | null, after: number | null): string {
  if (before === null || after === null) return '';
  const delta = Math.round((after - before) * 10) / 10;
  return delta > 0 ? `+${delta}` : String(delta);
}

/** A one-line description of a job's progress, whatever shape the pipeline reported. */
export function describeProgress(progress: unknown): string {
  if (progress === null || progress === undefined) return '';
  if (typeof progress === 'string' || typeof progress === 'number') return String(progress);
  if (typeof progress !== 'object') return '';
  const p = progress as Record<string, unknown>;
  // An improve run reports each validated change as it is decided.
  if (p.type === 'change' && typeof p.change === 'object' && p.change !== null) {
    const c = p.change as Record<string, unknown>;
    return `${String(c.status)} ${String(c.ruleId)} at ${String(c.file)}:${String(c.line)}`;
  }
  const label = [p.message, p.phase, p.step, p.stage, p.type].find((v) => typeof v === 'string') as
    string | undefined;
  const done =
    typeof p.done === 'number' ? p.done : typeof p.current === 'number' ? p.current : null;
  const total = typeof p.total === 'number' ? p.total : null;
  const count = done !== null && total !== null ? `${done}/${total}` : '';
  return [label, count].filter(Boolean).join(' ') || JSON.stringify(progress);
}

/** The fate of a change an improve run reported in its progress, or null for other progress. */
export function changeOutcome(progress: unknown): 'accepted' | 'rejected' | null {
  if (typeof progress !== 'object' || progress === null) return null;
  const p = progress as { type?: unknown; change?: { status?: unknown } };
  if (p.type !== 'change') return null;
  const status = p.change?.status;
  return status === 'accepted' || status === 'rejected' ? status : null;
}

/** A finished job's result in a line: a scan's score and grade, an improve run's outcome. */
export function describeResult(result: unknown): string {
  if (typeof result !== 'object' || result === null) return '';
  const r = result as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof r.status === 'string') parts.push(r.status);
  if (typeof r.score === 'number') parts.push(`score ${formatScore(r.score)}`);
  if (typeof r.grade === 'string') parts.push(`grade ${r.grade}`);
  if (typeof r.accepted === 'number') parts.push(`${r.accepted} accepted`);
  if (typeof r.rejected === 'number') parts.push(`${r.rejected} rejected`);
  // A test-generation run: its funnel's ends and the line coverage it measured.
  const funnel = r.funnel as { generated?: unknown; kept?: unknown } | undefined;
  if (typeof funnel?.generated === 'number' && typeof funnel.kept === 'number')
    parts.push(`${funnel.kept} of ${plural(funnel.generated, 'generated test')} kept`);
  const lines = (side: unknown) => (side as { lines?: { covered: number; total: number } })?.lines;
  if (lines(r.before) && lines(r.after))
    parts.push(`lines ${formatCoverage(lines(r.before))} → ${formatCoverage(lines(r.after))}`);
  if (typeof r.branch === 'string') parts.push(`on ${r.branch}`);
  return parts.join(', ');
}

/** Entries of a count map, largest first. */
export function sortedCounts(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** "1 finding", "3 findings". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * A coverage measure as a percentage with one decimal and its counts: "72.5% (145/200)"; "–" when
 * there is nothing to count (Istanbul would say 100%, which reads as a claim).
 */
export function formatCoverage(
  counts: { covered: number; total: number } | null | undefined,
): string {
  if (!counts || counts.total === 0) return '–';
  return `${((counts.covered / counts.total) * 100).toFixed(1)}% (${counts.covered}/${counts.total})`;
}
