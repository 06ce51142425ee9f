import type { Command } from 'commander';
import type { CodeSymbol } from '../../analysis/index.js';
import { InputError } from '../../core/index.js';
import { searchCodebase, updateIndex, type SearchResult } from '../../pipeline/index.js';
import { commaList, dbOption, EXIT, type CliIo } from '../io.js';
import { openIndexTarget } from './index-command.js';

type SymbolKind = CodeSymbol['kind'];

const KINDS: readonly SymbolKind[] = [
  'function',
  'method',
  'class',
  'interface',
  'type',
  'enum',
  'variable',
];

/** Pure: the hits as `file:start-end  kind  name`, the signature under each, and how they were ranked. */
export function formatSearch(result: SearchResult, verbose: boolean): string[] {
  const lines: string[] = [];
  for (const hit of result.hits) {
    const s = hit.symbol;
    lines.push(`${hit.location}  ${s.kind}  ${s.qualifiedName}`, `    ${s.signature}`);
    if (verbose) lines.push(...hit.snippet.split('\n').map((l) => `    | ${l}`), '');
  }
  if (result.hits.length === 0) lines.push('no matching symbols');
  lines.push(`ranked by ${result.mode}${result.notice ? ` (${result.notice})` : ''}`);
  return lines;
}

interface SearchFlags {
  limit: string;
  kind?: string[];
  tests: boolean;
  json?: boolean;
  verbose?: boolean;
  db?: string;
}

export function registerSearchCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('search')
    .description(
      'Search the codebase index: ranked symbols with file:line (updates the index first)',
    )
    .argument('<query>', 'what the code does or is called')
    .argument('[path]', 'repository or folder', '.')
    .option('-n, --limit <n>', 'how many hits (1-100)', '10')
    .option('--kind <kinds>', `only these kinds, comma-separated (${KINDS.join(', ')})`, commaList)
    .option('--no-tests', 'leave test files out')
    .option('-v, --verbose', 'print each hit’s first lines')
    .option('--json', 'print as JSON (snippets included)')
    .addOption(dbOption())
    .action(async (query: string, target: string, flags: SearchFlags) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new InputError(
          `--limit: expected a whole number from 1 to 100, got "${flags.limit}"`,
        );
      const unknown = (flags.kind ?? []).filter((k) => !KINDS.includes(k as SymbolKind));
      if (unknown.length > 0)
        throw new InputError(`--kind: unknown kind "${unknown[0]}" (one of ${KINDS.join(', ')})`);
      const { store, root, repoId } = await openIndexTarget(io, target, flags.db);
      try {
        const stats = await updateIndex({ store, repoId, root });
        const result = await searchCodebase(store, {
          repoId,
          query,
          limit,
          ...(flags.kind ? { kinds: flags.kind as SymbolKind[] } : {}),
          excludeTests: !flags.tests,
        });
        io.stdout.write(
          flags.json
            ? `${JSON.stringify({ ...result, index: stats }, null, 2)}\n`
            : `${formatSearch(result, flags.verbose === true).join('\n')}\n`,
        );
      } finally {
        await store.close();
      }
      done(EXIT.ok);
    });
}
