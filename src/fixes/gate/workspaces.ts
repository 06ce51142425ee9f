import { readFile, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { isRecord } from './runners/report.js';
import { readPackageJson, type PackageJson } from './package-json.js';

/** One package of a repository: the root (`dir` is '') or a workspace package. */
export interface WorkspacePackage {
  /** Its folder relative to the repository root, `/` separators; '' for the root. */
  dir: string;
  /** Its `name`, when it has one. */
  name: string | undefined;
  pkg: PackageJson;
}

/**
 * Pure: the `packages:` list of a pnpm-workspace.yaml, in block (`- packages/*`) or flow
 * (`[a, b]`) form; the rest of the file is not read.
 */
export function parsePnpmWorkspace(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => /^packages\s*:/.test(line));
  if (at < 0) return [];
  const unquote = (value: string) =>
    value
      .replace(/\s+#.*$/, '')
      .trim()
      .replace(/^(['"])(.*)\1$/, '$2');
  const inline = (lines[at] ?? '').replace(/^packages\s*:/, '').trim();
  if (inline.startsWith('[')) {
    return inline
      .replace(/^\[|\].*$/g, '')
      .split(',')
      .map(unquote)
      .filter((v) => v !== '');
  }
  const out: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const item = /^\s+-\s*(.*)$/.exec(line);
    if (!item) break;
    out.push(unquote(item[1] ?? ''));
  }
  return out.filter((v) => v !== '');
}

/** Pure: npm's and yarn's `workspaces`, an array or `{ packages }`. */
export function packageJsonWorkspaces(pkg: PackageJson): string[] {
  const field = pkg.workspaces;
  const list = isRecord(field) ? field.packages : field;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

const SKIPPED = new Set(['node_modules', '.git']);
const MAX_DEPTH = 6;

async function folders(root: string, dir: string, depth: number, out: string[]): Promise<void> {
  if (depth > MAX_DEPTH) return;
  const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || SKIPPED.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = dir === '' ? entry.name : posix.join(dir, entry.name);
    out.push(path);
    await folders(root, path, depth + 1, out);
  }
}

/** The folders the workspace globs select (`!` globs exclude), sorted. */
async function expandFolders(root: string, globs: readonly string[]): Promise<string[]> {
  const clean = (glob: string) => glob.replace(/^\.\//, '').replace(/\/+$/, '');
  const include = globs.filter((g) => !g.startsWith('!')).map(clean);
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => clean(g.slice(1)));
  if (include.length === 0) return [];
  const isIncluded = picomatch(include);
  const isExcluded = exclude.length > 0 ? picomatch(exclude) : () => false;
  // Only below each glob's fixed part (`packages/` of `packages/*`): a big repository's other
  // folders are not walked.
  const bases = [...new Set(include.map((glob) => picomatch.scan(glob).base))];
  const all = new Set<string>();
  for (const base of bases) {
    const start = base === '.' ? '' : base;
    const found: string[] = start === '' ? [] : [start];
    await folders(root, start, start.split('/').length, found);
    for (const dir of found) all.add(dir);
  }
  return [...all].filter((dir) => isIncluded(dir) && !isExcluded(dir)).sort();
}

/**
 * The repository's packages: the root first, then the workspace packages named by
 * pnpm-workspace.yaml or package.json `workspaces` that have a readable package.json.
 */
export async function readWorkspace(
  root: string,
  rootPkg: PackageJson,
): Promise<WorkspacePackage[]> {
  const yaml = await readFile(join(root, 'pnpm-workspace.yaml'), 'utf8').catch(() => undefined);
  const globs = yaml === undefined ? packageJsonWorkspaces(rootPkg) : parsePnpmWorkspace(yaml);
  const name = (pkg: PackageJson) => (typeof pkg.name === 'string' ? pkg.name : undefined);
  const packages: WorkspacePackage[] = [{ dir: '', name: name(rootPkg), pkg: rootPkg }];
  for (const dir of await expandFolders(root, globs)) {
    if (dir === '') continue;
    const read = await readPackageJson(join(root, dir));
    if ('pkg' in read) packages.push({ dir, name: name(read.pkg), pkg: read.pkg });
  }
  return packages;
}

/** Pure: the deepest package folder that holds `file` (relative to the root), '' for the root. */
export function ownerOf(file: string, dirs: readonly string[]): string {
  const normal = file.split('\\').join('/').replace(/^\.\//, '');
  return dirs
    .filter((dir) => dir === '' || normal.startsWith(`${dir}/`))
    .reduce((best, dir) => (dir.length > best.length ? dir : best), '');
}

/**
 * Pure: the packages a filter list selects (`pnpm --filter`, `npm -w`, `yarn workspaces foreach
 * --include`, turbo's `--filter`): by name or name glob, or by folder (`./packages/*`,
 * `{packages/a}`); `...` and `^` graph selectors count as their package. No filter: all but the root.
 */
export function selectPackages(
  packages: readonly WorkspacePackage[],
  filters: readonly string[],
): WorkspacePackage[] {
  const members = packages.filter((p) => p.dir !== '');
  const positive = filters.filter((f) => !f.startsWith('!'));
  const negative = filters.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
  const matcher = (filter: string) => {
    const bare = filter
      .replace(/^\.\.\.\^?|\.\.\.$|\^\.\.\.$/g, '')
      .replace(/^\{(.*)\}$/, '$1')
      .replace(/\[.*\]$/, '');
    if (
      bare.startsWith('./') ||
      bare.startsWith('../') ||
      (bare.includes('/') && !bare.startsWith('@'))
    ) {
      const isMatch = picomatch(bare.replace(/^\.\//, '').replace(/\/+$/, ''));
      return (p: WorkspacePackage) => isMatch(p.dir);
    }
    const isMatch = picomatch(bare);
    return (p: WorkspacePackage) => (p.name !== undefined && isMatch(p.name)) || p.dir === bare;
  };
  const included =
    positive.length === 0 ? members : members.filter((p) => positive.some((f) => matcher(f)(p)));
  return included.filter((p) => !negative.some((f) => matcher(f)(p)));
}
