const KEY = 'beast.token';

/** The token in a URL fragment such as `#token=abc`, or null. */
export function parseTokenFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token')?.trim();
  return token ? token : null;
}

/**
 * Takes the token from the address bar into sessionStorage and removes it from the address, so it
 * does not stay in the history or get copied with the link; falls back to the stored one.
 */
export function takeToken(): string | null {
  const fromHash = parseTokenFragment(window.location.hash);
  if (fromHash) {
    sessionStorage.setItem(KEY, fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
