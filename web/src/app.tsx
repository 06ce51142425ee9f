import { useEffect, useMemo, useState } from 'preact/hooks';
import { Alert } from './components/alert';
import { createApi } from './api';
import { RegisterForm, TokenForm } from './components/forms';
import { ModelStatsPanel } from './components/model-stats';
import { RepoDetail } from './components/repo-detail';
import { RepoList } from './components/repo-list';
import { WorkbenchView } from './components/workbench-view';
import { SessionContext, useResource, type Session } from './context';
import { readRoute } from './route';
import { forgetToken, saveToken, takeToken } from './token';
import type { RepoSummary } from './types';

function selectedFromHash(): string | null {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('repo');
}

/** The page: the token form until there is a token, then the dashboard. */
export function App() {
  const [token, setToken] = useState<string | null>(() => takeToken());
  const [refused, setRefused] = useState(false);
  const session = useMemo<Session | null>(
    () =>
      token
        ? {
            api: createApi(token),
            unauthorized: () => {
              forgetToken();
              setRefused(true);
              setToken(null);
            },
          }
        : null,
    [token],
  );

  return (
    <>
      <header class="top">
        <h1>BEAST MODE</h1>
        <span class="muted">code quality dashboard</span>
      </header>
      <main>
        {session ? (
          <SessionContext.Provider value={session}>
            <Dashboard />
          </SessionContext.Provider>
        ) : (
          <TokenForm
            refused={refused}
            onToken={(value) => {
              saveToken(value);
              setToken(value);
            }}
          />
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
