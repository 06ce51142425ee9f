import { Alert } from './alert';
import { useResource } from '../context';
import { plural } from '../format';
import { fileHref, routeHref } from '../route';
import type { SearchHit, SearchResult } from '../types';

const LIMIT = 20;

/**
 * How the hits were ranked, in words: the server's notice when the ranking is not the one
 * configured (it says how they were ranked instead, and why), else the mode.
 */
function rankingText(result: Pick<SearchResult, 'mode' | 'notice'>): string {
  if (result.notice) return result.notice.charAt(0).toUpperCase() + result.notice.slice(1);
  return result.mode === 'bm25+vectors+graph'
    ? 'Ranked by BM25, embeddings and the reference graph'
    : 'Ranked by BM25 and the reference graph';
}

/** A doc comment's first line of prose (not a JSDoc tag such as `@param`), or ''. */
function firstLine(doc: string): string {
  return (
    doc
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '' && !line.startsWith('@')) ?? ''
  );
}

/** Numbered lines of code starting at `first`, scrolling sideways inside their box. */
export function Snippet({ text, first }: { text: string; first: number }) {
  const lines = text.replace(/\n$/, '').split('\n');
  return (
    <div class="code snippet" role="region" aria-label="Code" tabIndex={0}>
      {lines.map((line, i) => (
        <div key={i} class="code-line">
          <span class="ln" aria-hidden="true">
            {first + i}
          </span>
          <code>{line || ' '}</code>
        </div>
      ))}
    </div>
  );
}

function Hit({ repoId, hit, commit }: { repoId: string; hit: SearchHit; commit: string | null }) {
  const href = fileHref(repoId, hit.file, hit.startLine, undefined, {
    end: hit.endLine,
    commit,
  });
  const doc = firstLine(hit.doc);
  return (
    <li class="hit" data-symbol={hit.qualifiedName}>
      <div class="finding-head">
        <span class="tag">{hit.kind}</span>
        <a href={href}>
          <code class="hit-name">{hit.qualifiedName}</code>
        </a>
        {!hit.exported && <span class="tag">not exported</span>}
      </div>
      {hit.signature && <code class="signature">{hit.signature}</code>}
      {doc && <p class="hit-doc">{doc}</p>}
      <a class="where" href={href}>
        <code>{hit.location}</code>
      </a>
      {hit.snippet && <Snippet text={hit.snippet} first={hit.startLine} />}
    </li>
  );
}

/** The symbols of the repository's index that match a query, ranked, each linked to its code. */
export function SearchPage({ repoId, params }: { repoId: string; params: URLSearchParams }) {
  const q = params.get('q')?.trim() ?? '';
  const query = new URLSearchParams({ repo: repoId, q, limit: String(LIMIT) }).toString();
  const result = useResource(
    (api) => (q ? api.get<SearchResult>(`/api/codebase/search?${query}`) : Promise.resolve(null)),
    [query],
  );
  const data = result.data;

  return (
    <article class="search-page" aria-labelledby="search-heading">
      <p>
        <a href={routeHref(repoId)}>← Repository</a>
      </p>
      <h2 id="search-heading">{q ? <>Code matching “{q}”</> : 'Search the code'}</h2>
      <Alert message={result.error} />
      {!q ? (
        <p class="muted">Type words, a name or a description in the search box above.</p>
      ) : result.loading && !data ? (
        !result.error && <p class="muted">Searching…</p>
      ) : (
        data && (
          <>
            <p class="muted" data-testid="search-mode">
              {rankingText(data)}.
              {data.commit && (
                <>
                  {' '}
                  Index at commit <code>{data.commit.slice(0, 12)}</code>.
                </>
              )}
            </p>
            <p role="status" data-testid="search-total">
              {data.hits.length === 0
                ? 'Nothing in the index matches.'
                : data.hits.length === LIMIT
                  ? `The best ${LIMIT} symbols found.`
                  : `${plural(data.hits.length, 'symbol')} found.`}
            </p>
            <ol class="finding-list hits">
              {data.hits.map((hit) => (
                <Hit key={hit.id} repoId={repoId} hit={hit} commit={data.commit} />
              ))}
            </ol>
          </>
        )
      )}
    </article>
  );
}
