import { toApiError } from './api';

/* The dashboard's login: the server keeps the session and the browser its HttpOnly cookie. */

async function csrfOf(response: Response): Promise<string> {
  if (!response.ok) throw await toApiError(response);
  return ((await response.json()) as { session: { csrfToken: string } }).session.csrfToken;
}

/** Logs in with the API token: the server sets the session cookie. Returns the CSRF token. */
export async function login(token: string): Promise<string> {
  return csrfOf(
    await fetch('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token }),
      credentials: 'same-origin',
    }),
  );
}

/** The CSRF token of the session this browser already has (another tab's login), or null. */
export async function currentSession(): Promise<string | null> {
  const response = await fetch('/api/session', { credentials: 'same-origin' });
  if (!response.ok) throw await toApiError(response);
  const { session } = (await response.json()) as { session: { csrfToken: string } | null };
  return session?.csrfToken ?? null;
}

/** Ends the session on the server and clears its cookie. */
export async function logout(csrfToken: string): Promise<void> {
  const response = await fetch('/api/session', {
    method: 'DELETE',
    headers: { 'X-CSRF-Token': csrfToken },
    credentials: 'same-origin',
  });
  // 401: it had ended already, which is what was asked.
  if (!response.ok && response.status !== 401) throw await toApiError(response);
}
