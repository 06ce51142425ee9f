import { useState } from 'preact/hooks';
import { Alert } from './alert';
import { ApiError } from '../api';
import { errorText, useSession } from '../context';
import type { RepoSummary } from '../types';

/** Asks for the API token when the page has none or the server refused it. */
export function TokenForm({
  onToken,
  refused,
}: {
  onToken: (token: string) => void;
  refused: boolean;
}) {
  const [value, setValue] = useState('');
  return (
    <form
      class="token-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) onToken(value.trim());
      }}
    >
      <h2>API token</h2>
      <Alert message={refused ? 'The server refused the token. Paste the current one.' : null} />
      <p>
        <code>beast serve</code> prints a dashboard link with the token, or use the value of{' '}
        <code>BEAST_API_TOKEN</code>.
      </p>
      <label for="token">Token</label>
      <input
        id="token"
        name="token"
        type="password"
        autoComplete="off"
        required
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
      />
      <button type="submit">Open the dashboard</button>
    </form>
  );
}

/** Registers a repository by its path on the server's machine. */
export function RegisterForm({ onRegistered }: { onRegistered: (repo: RepoSummary) => void }) {
  const { api, unauthorized } = useSession();
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (): Promise<void> => {
    setPending(true);
    setError(null);
    try {
      const { repo } = await api.post<{ repo: RepoSummary }>('/api/repos', { path: path.trim() });
      setPath('');
      onRegistered(repo);
    } catch (cause) {
      if (cause instanceof ApiError && cause.status === 401) return unauthorized();
      setError(errorText(cause));
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      class="register-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (path.trim()) void submit();
      }}
    >
      <label for="repo-path">Register a repository by path</label>
      <div class="row">
        <input
          id="repo-path"
          name="path"
          type="text"
          placeholder="/path/to/repository"
          required
          value={path}
          onInput={(event) => setPath(event.currentTarget.value)}
        />
        <button type="submit" disabled={pending}>
          Register
        </button>
      </div>
      <Alert message={error} />
    </form>
  );
}
