import { useEffect, useMemo, useState } from 'preact/hooks';
import { Alert } from './components/alert';
import { createApi } from './api';
import { RegisterForm } from './components/forms';
import { LoginForm, loginErrorText } from './components/login-form';
import { ModelStatsPanel } from './components/model-stats';
import { RepoDetail } from './components/repo-detail';
import { RepoList } from './components/repo-list';
import { SearchBox } from './components/search-box';
import { WorkbenchView } from './components/workbench-view';
import { errorText, SessionContext, useResource, type Session } from './context';
import { readRoute } from './route';
import { currentSession, login, logout } from './session';
import { takeTokenFragment } from './token';
import type { RepoSummary } from './types';

function selectedFromHash(): string | null {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('repo');
}

type Auth =
  | { state: 'checking' }
  | { state: 'out'; message: string | null }
  | { state: 'in'; csrfToken: string };

/**
 * The page: the login form until the browser has a session, then the dashboard. A session another
 * tab opened (the cookie) or the link `beast serve` prints logs in without asking.
 */
export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  useEffect(() => {
    const fromLink = takeTokenFragment();
    (fromLink ? login(fromLink) : currentSession()).then(
      (csrfToken) =>
        setAuth(csrfToken ? { state: 'in', csrfToken } : { state: 'out', message: null }),
      (cause: unknown) => setAuth({ state: 'out', message: loginErrorText(cause) }),
    );
  }, []);
  const session = useMemo<Session | null>(
    () =>
      auth.state === 'in'
        ? {
            api: createApi(auth.csrfToken),
            unauthorized: () =>
              setAuth({ state: 'out', message: 'The session has ended: log in again.' }),
          }
        : null,
    [auth],
  );

  return (
    <>
      <header class="top">
        <h1>BEAST MODE</h1>
        <span class="muted">code quality dashboard</span>
        {auth.state === 'in' && (
          <button
            type="button"
            class="logout"
            onClick={() =>
              void logout(auth.csrfToken).then(
                () => setAuth({ state: 'out', message: null }),
                (cause: unknown) => setAuth({ state: 'out', message: errorText(cause) }),
              )
            }
          >
            Log out
          </button>
        )}
      </header>
      <main>
        {session ? (
          <SessionContext.Provider value={session}>
            <Dashboard />
          </SessionContext.Provider>
        ) : auth.state === 'out' ? (
          <LoginForm
            message={auth.message}
            onLoggedIn={(csrfToken) => setAuth({ state: 'in', csrfToken })}
          />
        ) : (
          <p class="muted">Loading…</p>
        )}
      </main>
    </>
  );
}

function Dashboard() {
  const [refresh, setRefresh] = useState(0);
  const repos = useResource(
    (api) => api.get<{ repos: RepoSummary[] }>('/api/repos').then((r) => r.repos),
    [refresh],
  );
  const [selected, setSelected] = useState<string | null>(selectedFromHash);
  // The workbench's pages (findings, a file, a run) live in the hash too, beside the repository.
  const [route, setRoute] = useState(readRoute);

  useEffect(() => {
    const onHash = (): void => {
      setSelected(selectedFromHash());
      setRoute(readRoute());
    };
    window.addEventListener('hashchange', onHash);
    // The hash may have changed between the first render and this listener.
    onHash();
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const select = (id: string): void => {
    history.replaceState(null, '', `#repo=${encodeURIComponent(id)}`);
    setSelected(id);
    setRoute(readRoute());
  };
  const first = repos.data?.[0];
  const current = selected ?? (first ? String(first.id) : null);

  return (
    <div class="layout">
      <nav aria-label="Repositories" class="sidebar">
        <Alert message={repos.error} />
        {repos.data && <RepoList repos={repos.data} selected={current} onSelect={select} />}
        <RegisterForm
          onRegistered={(repo) => {
            select(String(repo.id));
            setRefresh((n) => n + 1);
          }}
        />
      </nav>
      <div class="content">
        {current && (
          <SearchBox
            key={`${current}:${route.get('q') ?? ''}`}
            repoId={current}
            query={route.get('view') === 'search' ? (route.get('q') ?? '') : ''}
          />
        )}
        {current && route.get('view') ? (
          <WorkbenchView key={current} repoId={current} route={route} />
        ) : current ? (
          <RepoDetail
            key={current}
            repoId={current}
            summary={repos.data?.find((repo) => String(repo.id) === current)}
            onChanged={() => setRefresh((n) => n + 1)}
          />
        ) : (
          <p class="muted">Register a repository to scan it.</p>
        )}
        {!route.get('view') && <ModelStatsPanel refresh={refresh} />}
      </div>
    </div>
  );
}
