import { copyFile, mkdir, readdir, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';

const EXTENSIONS = /\.(?:[cm]?js|[cm]?ts|tsx|jsx)$/;
const MAX_BYTES = 200 * 1024;

/**
 * Builds a benchmark corpus of real third-party sources from node_modules: a deterministic selection
 * of files, copied into `target` with folder names that the scanner would otherwise skip as vendored
 * or build output renamed, so every file is scanned.
 */
export async function buildCorpus(
  projectRoot: string,
  target: string,
  count: number,
): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (
        entry.isFile() &&
        EXTENSIONS.test(entry.name) &&
        !/\.d\.[cm]?ts$|\.min\.js$/.test(entry.name)
      ) {
        const size = (await stat(full)).size;
        if (size > 0 && size <= MAX_BYTES) found.push(full);
      }
    }
  };
  await walk(path.join(projectRoot, 'node_modules'));
  // Spread the selection over all packages rather than taking the first ones alphabetically.
  const step = Math.max(1, found.length / count);
  const chosen: string[] = [];
  for (let i = 0; chosen.length < count && Math.floor(i) < found.length; i += step)
    chosen.push(found[Math.floor(i)]!);
  await rm(target, { recursive: true, force: true });
  const out: string[] = [];
  const past = new Date(Date.now() - 24 * 3_600_000);
  for (const file of chosen) {
    const rel = path
      .relative(path.join(projectRoot, 'node_modules'), file)
      .split(path.sep)
      .map((s) =>
        ['node_modules', 'dist', 'build', 'out', 'vendor', 'coverage'].includes(s) ? `_${s}` : s,
      )
      .join('/');
    const dest = path.join(target, rel);
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(file, dest);
    // As in a checked-out repository, files were last changed well before the scan.
    await utimes(dest, past, past);
    out.push(rel);
  }
  return out;
}
