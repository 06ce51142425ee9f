import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/index.js';
import {
  exportKnowledge,
  knowledgeLlm,
  knowledgeMarkdown,
  updateKnowledge,
  type KnowledgeExport,
  type KnowledgeStats,
} from '../../pipeline/index.js';
import { defaultStorePath, repositoryIdOf, openStore, searchKnowledge } from '../../store/index.js';
import { dbOption, EXIT, requireFolder, type CliIo } from '../io.js';

interface Flags {
  module?: string;
  search?: string;
  json?: boolean;
  markdown?: boolean;
  llm?: boolean;
  model?: string;
  db?: string;
}

/** Pure: what a run did, in one line (and one more for LLM summaries). */
export function formatKnowledgeStats(stats: KnowledgeStats): string[] {
  const lines = [
    `knowledge at ${stats.commit.slice(0, 12)}: ${stats.facts} facts; kept ${stats.kept}, refreshed ${stats.refreshed}, stale dropped ${stats.dropped}, new ${stats.added}${stats.stale > 0 ? `, stale kept (LLM, not rewritten) ${stats.stale}` : ''}; read ${stats.read} of ${stats.files} files in ${stats.ms} ms`,
  ];
  if (stats.llm) {
    const l = stats.llm;
    lines.push(
      `llm summaries: ${l.written} kept, dropped: ${l.dropped}${l.reasons.length > 0 ? ` (${l.reasons.slice(0, 5).join('; ')}${l.reasons.length > 5 ? '; …' : ''})` : ''}${l.skipped > 0 ? `, not written: ${l.skipped}` : ''}`,
    );
    for (const failure of l.failures.slice(0, 3)) lines.push(`  failed: ${failure}`);
  }
  if (stats.skippedFiles.length > 0)
    lines.push(
      `left out: ${stats.skippedFiles.length} files (${stats.skippedFiles
        .slice(0, 3)
        .map((s) => `${s.file}: ${s.reason}`)
        .join('; ')}${stats.skippedFiles.length > 3 ? '; …' : ''})`,
    );
  return lines;
}

/** Pure: facts as text lines, or counts per kind when there are too many to list usefully. */
export function formatFacts(data: KnowledgeExport, list: boolean): string[] {
  if (!list) {
    const counts = new Map<string, number>();
    for (const f of data.facts) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    const modules = new Set(data.facts.map((f) => f.module).filter((m) => m !== ''));
    return [
      `${modules.size} modules; facts by kind: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
      'list them with --module FILE, --search "words", --markdown or --json',
    ];
  }
  if (data.facts.length === 0) return ['no facts match'];
  return data.facts.map((f) => {
    const refs = f.citations.map((c) => c.ref).join(' ');
    const marks = [f.source === 'code' ? '' : f.source, f.status === 'stale' ? 'STALE' : '']
      .filter((m) => m !== '')
      .join(', ');
    return `${f.module || '(repository)'}  ${f.kind}${marks ? ` (${marks})` : ''}: ${f.text}  [${refs}]`;
  });
}

export function registerKnowledgeCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('knowledge')
    .description(
      'Facts about each module of the repository at HEAD (purpose, API, entry points, config, errors, side effects, dependencies, tests), each citing code at the commit; kept fresh, searchable, exportable',
    )
    .argument('[path]', 'repository', '.')
    .option('--module <file>', 'only the facts of this module (a repository-relative path)')
    .option('--search <words>', 'full-text search over the facts')
    .option('--json', 'print the facts as JSON, each with its citations and commit')
    .option('--markdown', 'print the facts as Markdown')
    .option('--llm', 'also write a summary of each module with the configured LLM (validated)')
    .option('--model <id>', 'the LLM for --llm (default: the first configured)')
    .addOption(dbOption())
    .action(async (target: string, flags: Flags) => {
      if (flags.json && flags.markdown)
        throw new InputError('--json and --markdown: choose one output format');
      if (flags.model !== undefined && !flags.llm)
        throw new InputError('--model: only used with --llm');
      if (flags.search !== undefined && flags.search.trim() === '')
        throw new InputError('--search: give words to search for');
      const root = await realpath(await requireFolder(io, target));
      const store = await openStore(path.resolve(io.cwd, flags.db ?? defaultStorePath(io.env)));
      try {
        const llm = flags.llm
          ? await knowledgeLlm({
              root,
              store,
              env: io.env,
              ...(flags.model ? { model: flags.model } : {}),
            })
          : undefined;
        if (flags.llm && !llm)
          throw new InputError(
            '--llm: no LLM model is configured (models.use / models.custom in beast.config.json, with its API key)',
          );
        const repoId = await repositoryIdOf(store, root);
        let stats: KnowledgeStats;
        try {
          stats = await updateKnowledge({ store, repoId, root, ...(llm ? { llm: llm.llm } : {}) });
        } finally {
          await llm?.close();
        }
        const module = flags.module?.replace(/^\.\//, '');
        const facts = await searchKnowledge(store, repoId, {
          ...(flags.search !== undefined ? { query: flags.search } : {}),
          ...(module !== undefined ? { module } : {}),
        });
        if (module !== undefined && facts.length === 0 && flags.search === undefined)
          throw new InputError(`--module: no facts about ${module} (is it a source file at HEAD?)`);
        const data = exportKnowledge(facts, {
          repository: root,
          commit: stats.commit,
          ...(flags.search !== undefined ? { query: flags.search } : {}),
          ...(module !== undefined ? { module } : {}),
        });
        const summary = [...(llm ? llm.warnings : []), ...formatKnowledgeStats(stats)];
        if (flags.json || flags.markdown) {
          io.stderr.write(`${summary.join('\n')}\n`);
          io.stdout.write(
            flags.json
              ? `${JSON.stringify({ ...data, stats }, null, 2)}\n`
              : knowledgeMarkdown(data),
          );
        } else {
          const list = flags.search !== undefined || module !== undefined;
          io.stdout.write(`${[...summary, ...formatFacts(data, list)].join('\n')}\n`);
        }
        done(EXIT.ok);
      } finally {
        await store.close();
      }
    });
}
