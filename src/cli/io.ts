import { Option } from 'commander';

/** Exit codes: ok, a quality gate failed, bad usage or input, an internal error. */
export const EXIT = { ok: 0, gateFailed: 1, usage: 2, internal: 3 } as const;

/** What commands need from the outside world; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface CommandResult {
  exitCode: number;
}

export function dbOption(): Option {
  return new Option(
    '--db <path>',
    'SQLite database file (default: $BEAST_HOME/beast.db or the user data folder)',
  );
}

/** Commander collector for a repeatable, comma-separated option: `--x a,b --x c` → [a, b, c]. */
export function commaList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}
