/**
 * The dashboard's place, kept in the address's hash (`#repo=1&view=file&path=src/a.ts&line=4`) so
 * that a finding, a file or a run can be linked to, bookmarked and left with the back button.
 */

export type View = 'findings' | 'file' | 'run' | 'search' | 'ask' | 'knowledge' | 'tests';

/** The hash's parameters. */
export function readRoute(): URLSearchParams {
  return new URLSearchParams(window.location.hash.replace(/^#/, ''));
}

/** A link to a place: `#repo=1&view=findings&rule=no-var`; empty values are left out. */
export function routeHref(
  repo: string | number,
  view?: View,
  params: Record<string, string | number | null | undefined> = {},
): string {
  const query = new URLSearchParams({ repo: String(repo) });
  if (view) query.set('view', view);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  return `#${query.toString()}`;
}

/**
 * A link to the code view of `file` at `line`, in the newest scan unless `scan` is given. With
 * `range`, lines `line`..`range.end` are marked, and with `range.commit` the file is shown at that
 * commit (a citation's, the index's) rather than the scan's.
 */
export function fileHref(
  repo: string | number,
  file: string,
  line?: number,
  scan?: number | string,
  range: { end?: number; commit?: string | null } = {},
): string {
  const end = range.end !== undefined && line !== undefined && range.end > line ? range.end : null;
  return routeHref(repo, 'file', { path: file, line, end, scan, commit: range.commit });
}
