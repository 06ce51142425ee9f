import path from 'node:path';
import type { Command } from 'commander';
import { updateIndex, type IndexStats } from '../../pipeline/index.js';
import { defaultStorePath, openStore, repositoryIdOf, type Store } from '../../store/index.js';
import { dbOption, EXIT, requireFolder, type CliIo } from '../io.js';

/** The store and the repository's id for a command that reads or updates the codebase index. */
export async function openIndexTarget(
  io: CliIo,
  target: string,
  db: string | undefined,
): Promise<{ store: Store; root: string; repoId: number }> {
  const root = await requireFolder(io, target);
  const store = await openStore(path.resolve(io.cwd, db ?? defaultStorePath(io.env)));
  try {
    return { store, root, repoId: await repositoryIdOf(store, root) };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Pure: `beast index`'s report. */
export function formatIndexStats(stats: IndexStats): string[] {
  const at = stats.commit === null ? 'the working tree (no git commit)' : stats.commit.slice(0, 10);
  const lines = [
    `indexed ${at}: ${stats.files} files, ${stats.symbols} symbols (${stats.indexed} parsed, ${stats.reused} unchanged, ${stats.removed} removed) in ${stats.ms} ms`,
  ];
  if (stats.skipped.length > 0) {
    lines.push(`skipped ${stats.skipped.length} file(s):`);
    for (const s of stats.skipped) lines.push(`  ${s.file}: ${s.reason}`);
  }
  return lines;
}

export function registerIndexCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('index')
    .description(
      "Index the repository's symbols, imports and references at its HEAD commit (incremental)",
    )
    .argument('[path]', 'repository or folder', '.')
    .option('--json', 'print the statistics as JSON')
    .addOption(dbOption())
    .action(async (target: string, flags: { json?: boolean; db?: string }) => {
      const { store, root, repoId } = await openIndexTarget(io, target, flags.db);
      try {
        const stats = await updateIndex({ store, repoId, root });
        io.stdout.write(
          flags.json
            ? `${JSON.stringify(stats, null, 2)}\n`
            : `${formatIndexStats(stats).join('\n')}\n`,
        );
      } finally {
        await store.close();
      }
      done(EXIT.ok);
    });
}
