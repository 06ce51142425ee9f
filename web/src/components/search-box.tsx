import { useState } from 'preact/hooks';
import { routeHref } from '../route';

/**
 * The codebase's search box and the ways to the ask page and the knowledge base, above every page
 * of a repository. A query
 * opens the search page (`#repo=1&view=search&q=...`), so results can be linked to and gone back to.
 */
export function SearchBox({ repoId, query }: { repoId: string; query: string }) {
  const [text, setText] = useState(query);
  return (
    <div class="codebase-bar">
      <form
        role="search"
        aria-label="Search the code"
        class="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          const q = text.trim();
          if (q) window.location.hash = routeHref(repoId, 'search', { q });
        }}
      >
        <label for="code-search" class="sr-only">
          Search the code
        </label>
        <input
          id="code-search"
          name="q"
          type="search"
          placeholder="Search functions, classes, types…"
          autoComplete="off"
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit">Search</button>
      </form>
      <nav class="codebase-links" aria-label="The codebase">
        <a href={routeHref(repoId, 'ask')}>Ask about the code</a>
        <a href={routeHref(repoId, 'knowledge')}>Knowledge</a>
      </nav>
    </div>
  );
}
