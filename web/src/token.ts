/** The token in a URL fragment such as `#token=abc`, or null. */
export function parseTokenFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token')?.trim();
  return token ? token : null;
}

/**
 * The token of the link `beast serve` prints (`#token=...`, a fragment, which the browser never
 * sends to a server), removed from the address at once so that it stays in neither the history nor
 * a copied link. The page logs in with it and forgets it; nothing stores it.
 */
export function takeTokenFragment(): string | null {
  const token = parseTokenFragment(window.location.hash);
  if (token) history.replaceState(null, '', window.location.pathname + window.location.search);
  return token;
}
