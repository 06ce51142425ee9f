import { useState } from 'preact/hooks';
import { Alert } from './alert';
import { ApiError } from '../api';
import { errorText } from '../context';
import { login } from '../session';

/** Why a login failed, in the words the page shows. */
export function loginErrorText(cause: unknown): string {
  if (cause instanceof ApiError && cause.status === 401)
    return 'The server refused the token. Check that it is the current one.';
  if (cause instanceof ApiError && cause.status === 429) return `${cause.message}.`;
  return `Could not log in: ${errorText(cause)}`;
}

/**
 * Asks for the API token once; the server answers with an HttpOnly session cookie, so other tabs
 * and reloads need no token, and the page never stores it.
 */
export function LoginForm({
  message,
  onLoggedIn,
}: {
  /** Why the form is shown again: a refused token, an ended session, a logout. */
  message: string | null;
  onLoggedIn: (csrfToken: string) => void;
}) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (): Promise<void> => {
    setPending(true);
    setError(null);
    try {
      const csrf = await login(value.trim());
      setValue('');
      onLoggedIn(csrf);
    } catch (cause) {
      setError(loginErrorText(cause));
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      class="token-form"
      aria-labelledby="login-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) void submit();
      }}
    >
      <h2 id="login-heading">Log in</h2>
      <Alert message={error ?? message} />
      <p>The dashboard asks once for the server's API token. It is:</p>
      <ul>
        <li>
          printed by <code>beast serve</code> when it makes one, with a dashboard link that logs you
          in;
        </li>
        <li>
          saved in the <code>api-token</code> file beside the store (in <code>$BEAST_HOME</code>, or
          the folder of <code>--db</code>);
        </li>
        <li>
          or the value of <code>BEAST_API_TOKEN</code>, when the server was started with it.
        </li>
      </ul>
      <label for="token">API token</label>
      <input
        id="token"
        name="token"
        type="password"
        autoComplete="off"
        required
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
      />
      <button type="submit" disabled={pending}>
        Log in
      </button>
      <p class="muted">
        The browser then keeps a session cookie (HttpOnly: the page cannot read it) until it closes,
        or after 12 hours unused; the token itself is not stored.
      </p>
    </form>
  );
}
