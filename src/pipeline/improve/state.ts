import { readTextInside, writeInside, applyEdits, type FileChange } from '../../core/index.js';

/**
 * The files of the worktree as a base (the state at the start of a round) plus changes proposed
 * against that base. Every state tried is written from the base, so changes validated in any
 * combination never depend on what was tried before. Files are read and written only inside
 * `root` and never through a symlink (`readTextInside`, `writeInside`).
 */
export interface WorkingState {
  /** Text of a file in the round's base. */
  base(file: string): Promise<string>;
  /** Writes base + `changes` to disk, restoring files an earlier trial touched. */
  write(changes: readonly FileChange[][]): Promise<Map<string, string>>;
  /** Content of `file` in base + `changes`. */
  contentWith(file: string, changes: readonly FileChange[][]): Promise<string>;
  /** Starts a new round from what is on disk now. */
  rebase(): void;
}

export function createWorkingState(root: string): WorkingState {
  let bases = new Map<string, string>();
  const written = new Map<string, string>();

  const base = async (file: string): Promise<string> => {
    let text = bases.get(file);
    if (text === undefined) {
      text = written.get(file) ?? (await readTextInside(root, file));
      bases.set(file, text);
    }
    return text;
  };

  const contentWith = async (file: string, sets: readonly FileChange[][]): Promise<string> => {
    const edits = sets.flatMap((set) => set.filter((c) => c.file === file).flatMap((c) => c.edits));
    return applyEdits(await base(file), edits);
  };

  return {
    base,
    contentWith,
    async write(sets) {
      const files = new Set([...written.keys(), ...sets.flat().map((c) => c.file)]);
      const contents = new Map<string, string>();
      for (const file of files) {
        const text = await contentWith(file, sets);
        contents.set(file, text);
        if (written.get(file) === text) continue;
        await writeInside(root, file, text);
        written.set(file, text);
      }
      return contents;
    },
    rebase() {
      bases = new Map();
    },
  };
}
