// The real repositories of bench/repos.json, shared by the eval scripts: which ones to run (--only,
// or paths given as arguments) and where their clones are (the config's `root`, overridden by
// REPOS_DIR or --root).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RepoEntry {
  name: string;
  upstream?: string;
  commit?: string;
  packageManager?: string;
  runners?: string[];
  linters?: string[];
  formatter?: string;
  /** The Node the repository requires (its engines) and the major its own commands run on. */
  node?: { engines?: string; uses?: string };
  install?: string;
  /** Its own commands, re-run on the base and on the result branch. */
  commands: { test?: string; typecheck?: string; lint?: string | string[] };
  cleanCheckout?: string;
  notes?: string;
}

export interface Config {
  root: string;
  /** Folders (relative to root) holding `node` of a given major, put first on PATH for that major. */
  nodes?: Record<string, string>;
  /** Folders (relative to root) with package managers (pnpm, yarn), appended to PATH. */
  tools?: string[];
  env?: Record<string, string>;
  repos: RepoEntry[];
}

export function flagValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * Reads the config (--config, else bench/repos.json) and picks the repositories: paths given as
 * arguments (looked up in the config by folder name), or the config's list; --only narrows either.
 * `valued` names the script's flags that take a value, so their values are not read as paths.
 */
export async function loadRepos(
  args: string[],
  valued: Set<string>,
): Promise<{ config: Config; root: string; selected: { entry: RepoEntry; dir: string }[] }> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const configFile = path.resolve(flagValue(args, '--config') ?? path.join(here, 'repos.json'));
  const config = JSON.parse(await readFile(configFile, 'utf8')) as Config;
  const root = path.resolve(flagValue(args, '--root') ?? process.env.REPOS_DIR ?? config.root);
  const known = new Set([...valued, '--only', '--config', '--root']);
  const positional = args.filter((a, i) => !a.startsWith('--') && !known.has(args[i - 1] ?? ''));
  const byName = new Map(config.repos.map((r) => [r.name, r]));
  const chosen = positional.length
    ? positional.map((p) => {
        const dir = path.resolve(p);
        const name = path.basename(dir);
        return { entry: byName.get(name) ?? { name, commands: {} }, dir };
      })
    : config.repos.map((entry) => ({ entry, dir: path.join(root, entry.name) }));
  const only = flagValue(args, '--only')?.split(',');
  const selected = only ? chosen.filter((c) => only.includes(c.entry.name)) : chosen;
  return { config, root, selected };
}
