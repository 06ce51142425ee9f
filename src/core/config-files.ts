import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './errors.js';
import { OutsideRepositoryError, readTextInside } from './files.js';
import { JsoncError, parseJsonc } from './jsonc.js';
import { PRESETS } from './presets.js';

/** The config files looked for at the repository root, besides package.json's `beast` key. */
export const CONFIG_FILES = ['beast.config.json', 'beast.config.jsonc'] as const;

/** One config as written, and where it was found. */
export interface ConfigSource {
  /** For error messages: an absolute path, `…/package.json#beast`, or a preset's name. */
  label: string;
  /** Repository-relative path of its file (`extends` paths resolve from its folder); none for a preset. */
  rel: string | undefined;
  raw: unknown;
}

/** A chain of extends deeper than this is a mistake, or a hostile repository. */
const MAX_DEPTH = 16;
/** More configs than this in one chain, presets included, is a hostile repository. */
const MAX_FILES = 64;

/**
 * Reads a repository file as JSONC; undefined when it does not exist. Symlinks are followed only
 * inside the root: one to `/etc/passwd` would otherwise be read, and its start quoted in an error.
 */
async function readJsonc(root: string, rel: string): Promise<unknown> {
  const file = path.join(root, rel);
  let text: string;
  try {
    text = await readTextInside(root, rel, { followInside: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseJsonc(text);
  } catch (error) {
    if (!(error instanceof JsoncError)) throw error;
    throw new ConfigError(`${file}:${error.line}:${error.column}: ${error.message}`, {
      cause: error,
    });
  }
}

/** package.json's `beast` key; a package.json that does not parse is not ours to judge, unless it names beast. */
async function packageJsonConfig(root: string): Promise<ConfigSource | undefined> {
  let pkg: unknown;
  try {
    pkg = await readJsonc(root, 'package.json');
  } catch (error) {
    const text = await readTextInside(root, 'package.json', { followInside: true }).catch(() => '');
    if (text.includes('"beast"')) throw error;
    return undefined;
  }
  if (typeof pkg !== 'object' || pkg === null || !Object.hasOwn(pkg, 'beast')) return undefined;
  return {
    label: `${path.join(root, 'package.json')}#beast`,
    rel: 'package.json',
    raw: (pkg as { beast: unknown }).beast,
  };
}

/**
 * The repository's config: `beast.config.json`, `beast.config.jsonc` or package.json's `beast`
 * key, or undefined for none. Two of them is a ConfigError saying which to keep: silently
 * preferring one would leave the other's settings ignored.
 */
export async function findConfigSource(root: string): Promise<ConfigSource | undefined> {
  const found: ConfigSource[] = [];
  for (const name of CONFIG_FILES) {
    const raw = await readJsonc(root, name);
    if (raw !== undefined) found.push({ label: path.join(root, name), rel: name, raw });
  }
  const pkg = await packageJsonConfig(root);
  if (pkg) found.push(pkg);
  if (found.length > 1) {
    const names = found.map((s) => (s.rel === 'package.json' ? 'package.json#beast' : s.rel));
    throw new ConfigError(
      `${root}: config found in both ${names.join(' and ')}; keep one (${names[0]})`,
    );
  }
  return found[0];
}

function extendsOf(source: ConfigSource): string[] {
  const raw = source.raw;
  if (typeof raw !== 'object' || raw === null || !Object.hasOwn(raw, 'extends')) return [];
  const value = (raw as { extends: unknown }).extends;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new ConfigError(
    `${source.label}: extends: expected a preset name or a relative path, or an array of them`,
  );
}

function chainText(chain: readonly string[]): string {
  return chain.join(' -> ');
}

/** The source an `extends` entry names: a preset, or a file inside the repository. */
async function extended(
  root: string,
  from: ConfigSource,
  entry: string,
  chain: readonly string[],
): Promise<ConfigSource> {
  const where = `${from.label}: extends "${entry}"`;
  if (entry.startsWith('beast:')) {
    const preset = PRESETS[entry];
    if (!preset)
      throw new ConfigError(
        `${where}: unknown preset; presets: ${Object.keys(PRESETS).join(', ')}`,
      );
    return { label: entry, rel: undefined, raw: preset };
  }
  if (from.rel === undefined) throw new ConfigError(`${where}: a preset extends presets only`);
  if (path.isAbsolute(entry) || path.win32.isAbsolute(entry))
    throw new ConfigError(`${where}: an absolute path; use a path relative to the file`);
  const rel = path.posix.normalize(path.posix.join(path.posix.dirname(from.rel), entry));
  if (rel === '..' || rel.startsWith('../'))
    throw new ConfigError(
      `${where}: outside the repository (${chainText([...chain, entry])}); extends reads files inside it only`,
    );
  if (chain.includes(rel))
    throw new ConfigError(`${where}: extends cycle ${chainText([...chain, rel])}`);
  let raw: unknown;
  try {
    raw = await readJsonc(root, rel);
  } catch (error) {
    const cause = (error as Error).cause;
    // A symlink out of the repository: say where the chain led, in one line.
    if (cause instanceof OutsideRepositoryError)
      throw new ConfigError(`${where}: ${cause.message} (${chainText([...chain, rel])})`, {
        cause,
      });
    throw error;
  }
  if (raw === undefined) throw new ConfigError(`${where}: no such file ${rel}`);
  return { label: path.join(root, rel), rel, raw };
}

/**
 * The configs to apply, lowest first: what `source` extends (each entry's own chain, in order),
 * then `source` itself. Presets and files inside the repository only; a cycle, a path out of the
 * repository or a symlink out of it is a one-line ConfigError naming the chain.
 */
export async function loadConfigChain(
  root: string,
  source: ConfigSource,
  chain: readonly string[] = [source.rel ?? source.label],
  budget = { files: MAX_FILES },
): Promise<ConfigSource[]> {
  if (chain.length > MAX_DEPTH)
    throw new ConfigError(
      `${source.label}: extends more than ${MAX_DEPTH} deep: ${chainText(chain)}`,
    );
  const out: ConfigSource[] = [];
  for (const entry of extendsOf(source)) {
    // Files extending the same file twice over, level after level, would be read 2^depth times.
    if (--budget.files < 0)
      throw new ConfigError(
        `${source.label}: extends "${entry}": more than ${MAX_FILES} configs in all; not read`,
      );
    const next = await extended(root, source, entry, chain);
    out.push(...(await loadConfigChain(root, next, [...chain, next.rel ?? next.label], budget)));
  }
  out.push(source);
  return out;
}

/**
 * The name of the config a repository already has (a file, even a broken one or a symlink, or
 * package.json's `beast` key), or undefined: what `beast init` must not overwrite or shadow.
 */
export async function existingConfig(root: string): Promise<string | undefined> {
  for (const name of CONFIG_FILES) {
    const found = await lstat(path.join(root, name)).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (found) return name;
  }
  const pkg = await packageJsonConfig(root).catch(() => 'broken' as const);
  return pkg === undefined ? undefined : 'package.json#beast';
}
