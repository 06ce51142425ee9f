import { Alert } from './alert';
import { useResource } from '../context';
import { plural } from '../format';
import { fileHref, routeHref } from '../route';
import type { Knowledge, KnowledgeFact } from '../types';

const SOURCES: Record<KnowledgeFact['source'], string> = {
  code: 'from the code',
  readme: 'from the README',
  llm: 'written by a language model, checked',
};

function Fact({ repoId, fact }: { repoId: string; fact: KnowledgeFact }) {
  return (
    <li class="fact" data-kind={fact.kind} data-status={fact.status}>
      <div class="finding-head">
        <span class="tag">{fact.kind}</span>
        <span class="muted">{SOURCES[fact.source] ?? fact.source}</span>
        {fact.status === 'stale' && <span class="tag tag-new">stale</span>}
      </div>
      <div class="fact-text">{fact.text}</div>
      {fact.citations.length > 0 && (
        <div class="fact-citations">
          {fact.citations.map((c, i) => (
            <a
              key={i}
              class="where"
              href={fileHref(repoId, c.file, c.startLine, undefined, {
                end: c.endLine,
                commit: fact.commit,
              })}
            >
              <code>{c.ref}</code>
            </a>
          ))}
        </div>
      )}
    </li>
  );
}

/** The facts of a list, module by module (the repository's own first), in the order given. */
function byModule(facts: readonly KnowledgeFact[]): [string, KnowledgeFact[]][] {
  const groups = new Map<string, KnowledgeFact[]>();
  for (const fact of facts) groups.set(fact.module, [...(groups.get(fact.module) ?? []), fact]);
  return [...groups].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
}

/**
 * What the repository's knowledge base says, module by module, each fact citing the code it rests
 * on at the indexed commit; searchable by words.
 */
export function KnowledgePage({ repoId, params }: { repoId: string; params: URLSearchParams }) {
  const q = params.get('q')?.trim() ?? '';
  const query = new URLSearchParams({ repo: repoId, ...(q ? { q } : {}) }).toString();
  const result = useResource((api) => api.get<Knowledge>(`/api/knowledge?${query}`), [query]);
  const data = result.data;

  return (
    <article class="knowledge-page" aria-labelledby="knowledge-heading">
      <p>
        <a href={routeHref(repoId)}>← Repository</a>
      </p>
      <h2 id="knowledge-heading">Knowledge</h2>
      <form
        role="search"
        aria-label="Search the knowledge"
        class="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          const input = event.currentTarget.elements.namedItem('q') as HTMLInputElement;
          const words = input.value.trim();
          window.location.hash = routeHref(repoId, 'knowledge', { q: words });
        }}
      >
        <label for="knowledge-search" class="sr-only">
          Search the knowledge
        </label>
        <input
          id="knowledge-search"
          key={q}
          name="q"
          type="search"
          placeholder="environment variables, errors, entry points…"
          defaultValue={q}
        />
        <button type="submit">Search</button>
      </form>
      <Alert message={result.error} />
      {!data ? (
        !result.error && <p class="muted">Loading…</p>
      ) : (
        <>
          <p role="status" data-testid="knowledge-total">
            {data.facts.length === 0
              ? q
                ? 'No fact matches.'
                : 'No facts yet.'
              : `${plural(data.facts.length, 'fact')}${q ? ` matching “${q}”` : ''}`}
            {data.commit && (
              <span class="muted">
                {' '}
                at commit <code>{data.commit.slice(0, 12)}</code>
              </span>
            )}
            .
          </p>
          {byModule(data.facts).map(([module, facts]) => (
            <section key={module} aria-label={module || 'The repository'}>
              <h3>{module ? <code>{module}</code> : 'The repository'}</h3>
              <ul class="finding-list">
                {facts.map((fact, i) => (
                  <Fact key={i} repoId={repoId} fact={fact} />
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
    </article>
  );
}
