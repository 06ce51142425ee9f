import { spawn } from 'node:child_process';
import { InputError } from '../../core/index.js';
import { runGit } from '../git.js';

/*
 * A commit's files as git stores them: the index reads what HEAD holds, never the working tree,
 * so that what it cites exists at the commit it names.
 */

export interface TreeFile {
  path: string;
  /** The git blob id: the content's identity. */
  blob: string;
}

/**
 * The regular files of HEAD's tree under `root` (paths relative to `root`), or undefined when
 * `root` is not in a git work tree or HEAD has no commit yet.
 */
export async function readHeadTree(
  root: string,
): Promise<{ commit: string; files: TreeFile[] } | undefined> {
  const head = await runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.code !== 0) return undefined;
  const commit = head.stdout.trim();
  // Without --long: sizes cost a read of every blob's header (slow on loose objects), and only the
  // blobs about to be parsed need theirs (readBlobSizes).
  const listed = await runGit(root, ['ls-tree', '-r', '-z', commit]);
  if (listed.code !== 0)
    throw new InputError(`git ls-tree failed in ${root}: ${listed.stderr.trim()}`);
  const files: TreeFile[] = [];
  for (const entry of listed.stdout.split('\0')) {
    // "<mode> <type> <id>\t<path>"; symlinks (120000) and submodules are not files.
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, blob] = entry.slice(0, tab).split(/\s+/);
    if (type !== 'blob' || mode === '120000' || blob === undefined) continue;
    files.push({ path: entry.slice(tab + 1), blob });
  }
  return { commit, files };
}

/** Reads blobs by id in one `git cat-file --batch` process. */
export function readBlobs(root: string, ids: readonly string[]): Promise<Map<string, Buffer>> {
  return catFile(root, ids, '--batch');
}

/** The sizes in bytes of blobs by id, from one `git cat-file --batch-check` process. */
export async function readBlobSizes(
  root: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const out = await catFile(root, ids, '--batch-check');
  return new Map([...out].map(([id, size]) => [id, Number(size.toString('utf8'))]));
}

/** `git cat-file` over ids: each blob's content (--batch), or its size as text (--batch-check). */
function catFile(
  root: string,
  ids: readonly string[],
  mode: '--batch' | '--batch-check',
): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (ids.length === 0) return Promise.resolve(blobs);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', mode], {
      cwd: root,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => chunks.push(data));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', (error) =>
      reject(new InputError(`cannot run git: ${error.message}`, { cause: error })),
    );
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new InputError(`git cat-file ${mode} failed in ${root}: ${stderr.trim()}`));
        return;
      }
      const out = Buffer.concat(chunks);
      let at = 0;
      while (at < out.length) {
        const newline = out.indexOf(10, at);
        if (newline < 0) break;
        const [id, type, size] = out.subarray(at, newline).toString('utf8').split(' ');
        at = newline + 1;
        if (type === 'missing' || size === undefined || id === undefined) continue;
        if (mode === '--batch-check') {
          blobs.set(id, Buffer.from(size));
          continue;
        }
        const length = Number(size);
        blobs.set(id, out.subarray(at, at + length));
        at += length + 1;
      }
      resolve(blobs);
    });
    child.stdin.end(`${ids.join('\n')}\n`);
  });
}
