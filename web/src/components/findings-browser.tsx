import { Alert } from './alert';
import { useResource } from '../context';
import { formatTime, plural, sortedCounts } from '../format';
import { fileHref, routeHref } from '../route';
import type { FacetName, FindingItem, FindingsPage } from '../types';

const PAGE = 50;

/** The filters the browser passes on to the API, all kept in the address. */
const FILTERS = ['rule', 'severity', 'category', 'kind', 'baseline', 'file', 'prefix'] as const;
type Filter = (typeof FILTERS)[number];

const FACET_LABELS: Record<FacetName, [label: string, all: string]> = {
  rule: ['Rule', 'All rules'],
  severity: ['Severity', 'All severities'],
  category: ['Category', 'All categories'],
  kind: ['File kind', 'All kinds'],
  baseline: ['Baseline', 'New and old'],
};

const BASELINE_NAMES: Record<string, string> = {
  new: 'new since the baseline',
  unchanged: 'in the baseline',
  none: 'not compared',
};

/** The API query of the browser's place: its filters, order and page. */
function queryOf(params: URLSearchParams): string {
  const query = new URLSearchParams({ limit: String(PAGE) });
  for (const name of [...FILTERS, 'order', 'offset', 'scan']) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  return query.toString();
}

/** The browser's address with one filter changed; the page goes back to the first. */
function withFilter(
  repoId: string,
  params: URLSearchParams,
  name: string,
  value: string | null,
): string {
  const next: Record<string, string> = {};
  for (const key of [...FILTERS, 'order', 'scan']) {
    const current = key === name ? value : params.get(key);
    if (current) next[key] = current;
  }
  return routeHref(repoId, 'findings', next);
}

function go(href: string): void {
  window.location.hash = href;
}

function FacetSelect({
  name,
  counts,
  value,
  onChange,
}: {
  name: FacetName;
  counts: Record<string, number>;
  value: string;
  onChange: (value: string | null) => void;
}) {
  const [label, all] = FACET_LABELS[name];
  const rows = sortedCounts(counts);
  // A chosen value with no finding left still shows, so the filter can be seen and undone.
  if (value && !rows.some(([v]) => v === value)) rows.push([value, 0]);
  return (
    <label class="facet">
      <span>{label}</span>
      <select
        name={name}
        value={value}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value || null)}
      >
        <option value="">{all}</option>
        {rows.map(([v, n]) => (
          <option key={v} value={v}>
            {`${name === 'baseline' ? (BASELINE_NAMES[v] ?? v) : v} (${n})`}
          </option>
        ))}
      </select>
    </label>
  );
}

function FindingRow({
  repoId,
  finding,
  scan,
}: {
  repoId: string;
  finding: FindingItem;
  scan: number;
}) {
  return (
    <li class="finding" data-rule={finding.ruleId}>
      <div class="finding-head">
        <span class={`sev sev-${finding.severity}`}>{finding.severity}</span>{' '}
        <a href={withFilter(repoId, new URLSearchParams(), 'rule', finding.ruleId)}>
          <code>{finding.ruleId}</code>
        </a>
        {finding.kind !== 'source' && <span class="tag">{finding.kind}</span>}
        {finding.baselineState === 'new' && <span class="tag tag-new">new</span>}
      </div>
      <a class="where" href={fileHref(repoId, finding.file, finding.line, scan)}>
        <code>
          {finding.file}:{finding.line}
        </code>
      </a>
      <div class="finding-message">{finding.message}</div>
    </li>
  );
}

function ScanLine({ data }: { data: FindingsPage }) {
  const { scan, order } = data;
  return (
    <p class="muted">
      Scan {scan.id} of {formatTime(scan.at)}
      {scan.commit && (
        <>
          {' '}
          at <code>{scan.commit.slice(0, 12)}</code>
        </>
      )}
      {scan.dirty && ' (with uncommitted changes)'}. Ordered{' '}
      {order === 'value' ? 'by value: severity, weighed up in hotspot files' : `by ${order}`}.
    </p>
  );
}

type Setter = (name: Filter | 'order', value: string | null) => void;

function TextFilter(props: {
  name: 'file' | 'prefix';
  label: string;
  hint: string;
  params: URLSearchParams;
  set: Setter;
}) {
  const { name, params, set } = props;
  return (
    <label class="facet">
      <span>{props.label}</span>
      <input
        name={name}
        type="search"
        placeholder={props.hint}
        value={params.get(name) ?? ''}
        onChange={(e) => set(name, (e.currentTarget as HTMLInputElement).value.trim() || null)}
      />
    </label>
  );
}

function Filters({
  data,
  params,
  set,
}: {
  data: FindingsPage | null;
  params: URLSearchParams;
  set: Setter;
}) {
  const facets = (['rule', 'severity', 'category', 'kind', 'baseline'] as const).filter(
    // The baseline filter appears only when the scan recorded baseline states.
    (name) => data?.facets[name],
  );
  return (
    <form class="filters" onSubmit={(e) => e.preventDefault()}>
      {facets.map((name) => (
        <FacetSelect
          key={name}
          name={name}
          counts={data?.facets[name] ?? {}}
          value={params.get(name) ?? ''}
          onChange={(v) => set(name, v)}
        />
      ))}
      <TextFilter name="file" label="File contains" hint="cart.ts" params={params} set={set} />
      <TextFilter name="prefix" label="Folder" hint="src/" params={params} set={set} />
      <label class="facet">
        <span>Order</span>
        <select
          name="order"
          value={params.get('order') ?? 'value'}
          onChange={(e) => set('order', (e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="value">By value</option>
          <option value="severity">By severity</option>
          <option value="file">By file</option>
        </select>
      </label>
    </form>
  );
}

function Results(props: {
  repoId: string;
  data: FindingsPage;
  offset: number;
  pageHref: (to: number) => string;
}) {
  const { repoId, data, offset, pageHref } = props;
  const shown = data.findings.length;
  const range = data.total > shown ? `, ${offset + 1}–${offset + shown} shown` : '';
  return (
    <>
      <p role="status" data-testid="findings-total">
        {data.total === 0 ? 'No findings match.' : `${plural(data.total, 'finding')}${range}`}
      </p>
      <ul class="finding-list">
        {data.findings.map((f, i) => (
          <FindingRow key={`${offset + i}`} repoId={repoId} finding={f} scan={data.scan.id} />
        ))}
      </ul>
      <nav class="pager" aria-label="Pages">
        {offset > 0 && <a href={pageHref(Math.max(0, offset - PAGE))}>← Previous</a>}
        {offset + shown < data.total && <a href={pageHref(offset + PAGE)}>Next →</a>}
      </nav>
    </>
  );
}

/** Every finding of a scan, filtered by rule, severity, category, file, kind and baseline. */
export function FindingsBrowser({ repoId, params }: { repoId: string; params: URLSearchParams }) {
  const id = encodeURIComponent(repoId);
  const query = queryOf(params);
  const page = useResource(
    (api) => api.get<FindingsPage>(`/api/repos/${id}/findings?${query}`),
    [id, query],
  );
  const set: Setter = (name, value) => go(withFilter(repoId, params, name, value));
  const data = page.data;
  const offset = Number(params.get('offset') ?? 0) || 0;
  const pageHref = (to: number): string => {
    const next = new URLSearchParams(withFilter(repoId, params, '', null).slice(1));
    if (to > 0) next.set('offset', String(to));
    return `#${next.toString()}`;
  };

  return (
    <article class="findings-browser" aria-labelledby="findings-browser-heading">
      <p>
        <a href={routeHref(repoId)}>← Repository</a>
      </p>
      <h2 id="findings-browser-heading">Findings</h2>
      {data && <ScanLine data={data} />}
      <Filters data={data} params={params} set={set} />
      <Alert message={page.error} />
      {data ? (
        <Results repoId={repoId} data={data} offset={offset} pageHref={pageHref} />
      ) : (
        !page.error && <p class="muted">Loading…</p>
      )}
    </article>
  );
}
