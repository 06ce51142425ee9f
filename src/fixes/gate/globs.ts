import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import picomatch from 'picomatch';

const SKIPPED = new Set(['node_modules', '.git']);

async function walk(cwd: string, dir: string, out: string[]): Promise<void> {
  const entries = await readdir(join(cwd, dir), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = dir === '' ? entry.name : posix.join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED.has(entry.name)) await walk(cwd, path, out);
    else if (entry.isFile()) out.push(path);
  }
}

/** Files under `cwd` (relative, `/` separators) that match a glob, sorted; none for no match. */
async function expandGlob(cwd: string, pattern: string): Promise<string[]> {
  const base = picomatch.scan(pattern).base;
  const files: string[] = [];
  await walk(cwd, base === '.' ? '' : base.replace(/^\.\//, ''), files);
  const isMatch = picomatch(pattern.replace(/^\.\//, ''));
  return files.filter((file) => isMatch(file)).sort();
}

/**
 * Expands the glob words of a command line as the shell of an npm script would (with `**` as a
 * globstar); a word that matches nothing stays as written. Node 20's `--test` takes no globs.
 */
export async function expandGlobs(cwd: string, words: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const word of words) {
    const matches =
      !word.startsWith('-') && picomatch.scan(word).isGlob ? await expandGlob(cwd, word) : [];
    out.push(...(matches.length > 0 ? matches : [word]));
  }
  return out;
}
