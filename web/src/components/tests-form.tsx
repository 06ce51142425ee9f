import { useState } from 'preact/hooks';
import { ConfirmDialog } from './confirm-dialog';

/** What a test-generation job is asked for: the body of `POST /api/codebase/tests/generate`. */
export interface TestsChoice {
  paths?: string[];
  target?: number;
  models?: string[];
  maxFiles?: number;
  attempts?: number;
  dryRun: boolean;
}

/** Words of a list field: separated by spaces or commas. */
function words(text: string): string[] {
  return text.split(/[\s,]+/).filter((w) => w !== '');
}

/** A whole number field: undefined when empty (the server's default), NaN when not a number. */
function wholeNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/** The form's fields as a request, or the first problem with them. */
function parseChoice(fields: Record<string, string>, dryRun: boolean): TestsChoice | string {
  const choice: TestsChoice = { dryRun };
  const paths = words(fields.paths ?? '');
  if (paths.length > 0) choice.paths = paths;
  const models = words(fields.models ?? '');
  if (models.length > 0) choice.models = models;
  const target = wholeNumber(fields.target ?? '');
  if (target !== undefined) {
    if (!(target >= 0 && target <= 100)) return 'Target coverage: a percentage from 0 to 100.';
    choice.target = target / 100;
  }
  const maxFiles = wholeNumber(fields.maxFiles ?? '');
  if (maxFiles !== undefined) {
    if (!Number.isInteger(maxFiles) || maxFiles < 1)
      return 'Most files: a whole number, 1 or more.';
    choice.maxFiles = maxFiles;
  }
  const attempts = wholeNumber(fields.attempts ?? '');
  if (attempts !== undefined) {
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10)
      return 'Attempts per file: a whole number from 1 to 10.';
    choice.attempts = attempts;
  }
  return choice;
}

const FIELDS = [
  {
    name: 'paths',
    label: 'Files or folders',
    hint: 'relative to the repository, separated by spaces; empty: the least-covered files',
    numeric: false,
  },
  {
    name: 'target',
    label: 'Target line coverage (%)',
    hint: "files at or above it are left alone; empty: the server's default",
    numeric: true,
  },
  { name: 'maxFiles', label: 'Most files', hint: "empty: the server's default", numeric: true },
  {
    name: 'models',
    label: 'Models',
    hint: "e.g. builtin:testgen, in order; empty: the router's choice",
    numeric: false,
  },
  {
    name: 'attempts',
    label: 'Attempts per file',
    hint: "for models that repair their tests (LLMs); empty: the server's default",
    numeric: true,
  },
] as const;

/**
 * A button that opens the form of a test-generation run; Start sends it (`onStart`), after the
 * form says what will happen.
 */
export function TestsButton({
  repo,
  disabled,
  onStart,
}: {
  repo: { name: string; root: string };
  disabled: boolean;
  onStart: (choice: TestsChoice) => void;
}) {
  const [open, setOpen] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [dryRun, setDryRun] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={disabled}>
        Generate tests…
      </button>
      {open && (
        <ConfirmDialog
          title={`Generate tests for ${repo.name}?`}
          confirmLabel="Start test generation"
          onCancel={() => setOpen(false)}
          onConfirm={() => {
            const choice = parseChoice(fields, dryRun);
            if (typeof choice === 'string') return setProblem(choice);
            setOpen(false);
            setProblem(null);
            onStart(choice);
          }}
        >
          <ul class="confirm-facts">
            <li>
              Coverage is measured with the repository's own test runner, then tests are written for
              the files below their target.
            </li>
            <li>
              A test is kept only if it builds, passes five times alone and once in the whole suite,
              and raises coverage or kills a mutant.
            </li>
            <li>
              {dryRun ? (
                <>Dry run: nothing is committed; the run reports what it would keep.</>
              ) : (
                <>
                  Kept tests are committed to a new branch <code>beast/tests-…</code> of{' '}
                  <code>{repo.root}</code>; your working tree is not touched.
                </>
              )}
            </li>
          </ul>
          {FIELDS.map((field) => (
            <div class="field" key={field.name}>
              <label for={`tests-${field.name}`}>{field.label}</label>
              <input
                id={`tests-${field.name}`}
                name={field.name}
                type="text"
                aria-describedby={`tests-${field.name}-hint`}
                inputMode={field.numeric ? 'decimal' : 'text'}
                value={fields[field.name] ?? ''}
                onInput={(event) => {
                  const value = event.currentTarget.value;
                  setFields((prev) => ({ ...prev, [field.name]: value }));
                }}
              />
              <small id={`tests-${field.name}-hint`} class="muted">
                {field.hint}
              </small>
            </div>
          ))}
          <label class="check">
            <input
              type="checkbox"
              name="dryRun"
              checked={dryRun}
              onChange={(event) => setDryRun(event.currentTarget.checked)}
            />{' '}
            Dry run (commit nothing)
          </label>
          {problem && (
            <p role="alert" class="error">
              {problem}
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
