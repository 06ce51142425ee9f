import { useState } from 'preact/hooks';
import { Alert } from './alert';
import { ConfirmDialog } from './confirm-dialog';
import { ApiError } from '../api';
import { errorText, useSession } from '../context';
import { plural } from '../format';
import type { RepoSummary } from '../types';

/** The task kinds the dashboard starts, as the server's task registry describes them. */
const TASKS = {
  fix: {
    button: 'Improve…',
    title: 'an improvement',
    summary: 'fix the findings of the scan, most valuable first',
    branchPrefix: 'improve',
  },
  refactor: {
    button: 'Refactor…',
    title: 'a refactoring',
    summary: 'restructure code flagged as too complex, too long or duplicated, keeping behaviour',
    branchPrefix: 'refactor',
  },
} as const;

export type TaskKind = keyof typeof TASKS;

/** What an improve job is asked to do; the API's `options`. */
export interface ImproveChoice {
  kind: TaskKind;
  maxChanges: number;
}

const MAX_CHANGES = 10;

/**
 * A button that starts an improvement run of one task kind, after a confirmation that says what
 * will happen; only Start calls `onStart`.
 */
export function ImproveButton({
  kind,
  repo,
  disabled,
  onStart,
}: {
  kind: TaskKind;
  repo: { name: string; root: string };
  disabled: boolean;
  onStart: (choice: ImproveChoice) => void;
}) {
  const task = TASKS[kind];
  const [open, setOpen] = useState(false);
  const [max, setMax] = useState(String(MAX_CHANGES));
  const maxChanges = Number(max);
  const valid = Number.isInteger(maxChanges) && maxChanges >= 1 && maxChanges <= 10_000;
  const date = new Date().toISOString().slice(0, 10).replaceAll('-', '');

  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={disabled}>
        {task.button}
      </button>
      {open && (
        <ConfirmDialog
          title={`Start ${task.title} of ${repo.name}?`}
          confirmLabel={`Start ${kind === 'fix' ? 'improvement' : 'refactoring'}`}
          onCancel={() => setOpen(false)}
          onConfirm={() => {
            if (!valid) return;
            setOpen(false);
            onStart({ kind, maxChanges });
          }}
        >
          <ul class="confirm-facts">
            <li>
              Task <code>{kind}</code>: {task.summary}.
            </li>
            <li>
              At most {valid ? plural(maxChanges, 'change') : '… changes'}, each kept only if the
              type-check, linters and tests still pass.
            </li>
            <li>
              Kept changes are committed to a new branch{' '}
              <code>
                beast/{task.branchPrefix}-{date}-…
              </code>{' '}
              of <code>{repo.root}</code>.
            </li>
            <li>
              Your working tree, current branch and uncommitted changes are not touched: the run
              works in a separate worktree, and nothing is merged or pushed.
            </li>
          </ul>
          <label for={`max-changes-${kind}`}>Maximum changes</label>
          <input
            id={`max-changes-${kind}`}
            name="maxChanges"
            type="number"
            inputMode="numeric"
            min={1}
            max={10_000}
            required
            value={max}
            onInput={(event) => setMax(event.currentTarget.value)}
          />
        </ConfirmDialog>
      )}
    </>
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
