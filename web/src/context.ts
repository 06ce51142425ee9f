import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { ApiError, type Api } from './api';

export interface Session {
  api: Api;
  /** Called when the API answers 401: the token is wrong or was rotated. */
  unauthorized(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside of <SessionContext.Provider>');
  return session;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

export interface Resource<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** Loads `load(api)` when a dependency changes and on `reload()`; a 401 goes to the token form. */
export function useResource<T>(load: (api: Api) => Promise<T>, deps: unknown[]): Resource<T> {
  const { api, unauthorized } = useSession();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let current = true;
    setLoading(true);
    load(api).then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (!current) return;
        if (cause instanceof ApiError && cause.status === 401) return unauthorized();
        setError(errorText(cause));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // The caller names what the load depends on, as with useEffect.
  }, [api, generation, ...deps]);

  return { data, error, loading, reload };
}
