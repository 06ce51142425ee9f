import {
  citationHash,
  createFileClassifier,
  extractModuleFacts,
  extractPackageFacts,
  extractReadmeFacts,
  extractTestFacts,
  isSourceFile,
  readHeadTree,
  parseTestPatterns,
  readBlobs,
  readGitInfo,
  skipByContent,
  skipByPath,
  validateLlmFact,
  type ExtractedFact,
  type FactCitation,
} from '../../analysis/index.js';
import { InputError, redactSecretsKeepingLines, resolveConfig } from '../../core/index.js';
import { isLlmModel } from '../../models/index.js';
import {
  loadKnowledge,
  saveKnowledge,
  type KnowledgeChange,
  type KnowledgeFact,
  type KnowledgeFile,
  type NewKnowledgeFact,
  type Store,
} from '../../store/index.js';
import { setupModels } from '../models.js';

/*
 * `beast knowledge`: facts about a repository's modules, read from its HEAD commit's tree (never
 * the working tree), kept fresh incrementally: a file whose blob is unchanged is not read again,
 * and a fact whose cited lines no longer hold the same text is refreshed, marked stale or dropped.
 */

/**
 * Writes free text for a prompt. Knowledge needs one free-text call per module summary; until the
 * model layer offers a free-text entry point, `knowledgeLlm` below adapts an LLM model's router.
 */
export type FreeTextLlm = (request: { system: string; prompt: string }) => Promise<string>;

export interface KnowledgeOptions {
  store: Store;
  repoId: number;
  /** The repository, or a folder inside it: its top level's HEAD is read. */
  root: string;
  /** Write a summary per module with this LLM (validated before it is kept). */
  llm?: FreeTextLlm;
  /** At most this many LLM summaries per run (default 100). */
  maxLlmCalls?: number;
}

/** What one run did. */
export interface KnowledgeStats {
  commit: string;
  /** Files the facts are read from (modules, tests, README, package.json) at the commit. */
  files: number;
  /** Files read and parsed this run: new or changed blobs. */
  read: number;
  /** Facts kept: their cited lines still hold the same text. */
  kept: number;
  /** Facts whose cited lines changed, extracted again for their module. */
  refreshed: number;
  /** Facts whose cited lines changed or vanished and that no longer hold: removed. */
  dropped: number;
  added: number;
  /** LLM-written facts whose cited lines changed, kept marked stale (no `--llm` this run). */
  stale: number;
  llm?: {
    written: number;
    /** Summaries refused by validation, by reason (`unknown-identifier: foo`). */
    dropped: number;
    reasons: string[];
    /** Modules left without a summary because of `maxLlmCalls`, or because a call failed. */
    skipped: number;
    failures: string[];
  };
  /** Files left out: unparsable or generated/minified content. */
  skippedFiles: { file: string; reason: string }[];
  facts: number;
  ms: number;
}

type Role = KnowledgeFile['role'];

/** What is kept of a module's or test's imports, to know when a file added or removed affects it. */
interface StoredImports {
  exports?: string[];
  imports?: { module: string; line: number }[];
  unresolved?: string[];
}

const README = /^readme(?:\.md|\.markdown)?$/i;

/** The tree's files that facts are read from, with their roles. */
function selectFiles(tree: Map<string, string>): Map<string, Role> {
  const roles = new Map<string, Role>();
  const pkg = tree.has('package.json') ? 'package.json' : undefined;
  if (pkg) roles.set(pkg, 'package');
  const readme = [...tree.keys()].find((p) => !p.includes('/') && README.test(p));
  if (readme) roles.set(readme, 'readme');
  return roles;
}

function factKey(f: { module: string; kind: string; key: string }): string {
  return `${f.module}\0${f.kind}\0${f.key}`;
}

const SUMMARY_SYSTEM =
  'You summarise one source module for a knowledge base. Answer with one to three plain sentences ' +
  'saying what the module is for and what it offers. Put every identifier you mention in backticks ' +
  'and mention only identifiers that appear in the code shown. No lists, no headings, no code blocks.';
const MAX_PROMPT_CHARS = 24_000;

/** The prompt of one module summary. */
function summaryPrompt(file: string, text: string): string {
  const body = text.length > MAX_PROMPT_CHARS ? `${text.slice(0, MAX_PROMPT_CHARS)}\n…` : text;
  return `Module \`${file}\`:\n\n\`\`\`\n${body}\n\`\`\`\n\nWhat is this module for?`;
}

/**
 * Brings the repository's knowledge up to date with its HEAD commit and returns what changed.
 *
 * @throws InputError when the folder is not in a git repository or the repository has no commit.
 */
export async function updateKnowledge(options: KnowledgeOptions): Promise<KnowledgeStats> {
  const started = performance.now();
  const { store, repoId } = options;
  const info = await readGitInfo(options.root);
  if (!info)
    throw new InputError(
      `${options.root} is not in a git repository (knowledge reads the HEAD commit)`,
    );
  const top = info.toplevel;
  const head = await readHeadTree(top);
  if (!head) throw new InputError(`${top} has no commit yet (knowledge reads the HEAD commit)`);
  const { commit } = head;
  const tree = new Map(head.files.map((f) => [f.path, f.blob]));

  const roles = selectFiles(tree);
  const pkgBlob = tree.get('package.json');
  const previous = await loadKnowledge(store, repoId);
  const blobsToRead = new Set<string>();
  if (pkgBlob) blobsToRead.add(pkgBlob); // test patterns live there; small
  const early = await readBlobs(top, [...blobsToRead]);
  const pkgText = pkgBlob ? early.get(pkgBlob)?.toString('utf8') : undefined;
  let pkgJson: unknown;
  try {
    pkgJson = pkgText === undefined ? undefined : (JSON.parse(pkgText) as unknown);
  } catch {
    pkgJson = undefined;
  }
  const classify = createFileClassifier(parseTestPatterns(pkgJson));
  for (const file of tree.keys()) {
    if (!isSourceFile(file) || skipByPath(file)) continue;
    const kind = classify(file);
    if (kind === 'source') roles.set(file, 'module');
    else if (kind === 'test') roles.set(file, 'test');
  }
  const sourceSet = new Set(
    [...roles].filter(([, r]) => r === 'module' || r === 'test').map(([p]) => p),
  );

  const changed = (file: string) => previous.files.get(file)?.blob !== tree.get(file);
  // A file added or removed changes what imports resolve to: files importing a removed one, or
  // with imports that resolved to nothing, are read again.
  const added = [...sourceSet].some((f) => !previous.files.has(f));
  const removed = new Set(
    [...previous.files.keys()].filter(
      (f) =>
        !sourceSet.has(f) &&
        previous.files.get(f)!.role !== 'readme' &&
        previous.files.get(f)!.role !== 'package',
    ),
  );
  const importsMoved = (file: string) => {
    const data = previous.files.get(file)?.data as StoredImports | null | undefined;
    return (
      (added && (data?.unresolved?.length ?? 0) > 0) ||
      (removed.size > 0 && (data?.imports ?? []).some((i) => removed.has(i.module)))
    );
  };
  const anyModuleChanged = [...roles].some(([f, r]) => r === 'module' && changed(f));
  const llmFacts = new Map<string, KnowledgeFact>();
  for (const fact of previous.facts) if (fact.source === 'llm') llmFacts.set(fact.module, fact);

  const toRead = new Set<string>();
  for (const [file, role] of roles) {
    if (changed(file)) toRead.add(file);
    else if ((role === 'test' || role === 'module') && importsMoved(file)) toRead.add(file);
    else if (role === 'readme' && anyModuleChanged) toRead.add(file);
    else if (role === 'module' && options.llm && !llmFacts.has(file)) toRead.add(file);
  }
  const texts = await readBlobs(top, [...new Set([...toRead].map((f) => tree.get(f)!))]);
  const decoded = new Map<string, string>();
  const textOf = (file: string) => {
    const blob = tree.get(file);
    if (blob === undefined) return undefined;
    let text = decoded.get(blob);
    if (text === undefined) {
      // Facts are kept in the store: key-shaped values in the code are read redacted (lines kept).
      const raw = (texts.get(blob) ?? early.get(blob))?.toString('utf8');
      text = raw === undefined ? undefined : redactSecretsKeepingLines(raw);
      if (text !== undefined) decoded.set(blob, text);
    }
    return text;
  };

  const skippedFiles: KnowledgeStats['skippedFiles'] = [];
  const extracted = new Map<string, ExtractedFact[]>();
  const fileRows: KnowledgeFile[] = [];
  const exportsOf = new Map<string, string[]>();
  for (const [file, role] of roles) {
    const prior = previous.files.get(file);
    if (role === 'module' && prior && !toRead.has(file))
      exportsOf.set(file, (prior.data as { exports?: string[] } | null)?.exports ?? []);
  }
  // Modules and tests first: the README's facts name modules by their exports.
  for (const file of toRead) {
    const role = roles.get(file)!;
    if (role !== 'module' && role !== 'test') continue;
    const text = textOf(file);
    if (text === undefined) {
      skippedFiles.push({ file, reason: 'blob not readable' });
      continue;
    }
    const skip = skipByContent(texts.get(tree.get(file)!)!);
    if (skip) {
      // Kept by blob with no facts, so that it is not read again until it changes.
      skippedFiles.push({ file, reason: skip.detail });
      fileRows.push({ path: file, blob: tree.get(file)!, role, data: { skipped: skip.detail } });
      continue;
    }
    const result = extractModuleFacts(file, text, sourceSet);
    const imports: StoredImports = {
      imports: result.internalImports,
      unresolved: result.unresolved,
    };
    if (result.error !== undefined)
      skippedFiles.push({ file, reason: `parse error: ${result.error}` });
    if (role === 'module') {
      extracted.set(file, result.facts);
      exportsOf.set(file, result.exports);
      fileRows.push({
        path: file,
        blob: tree.get(file)!,
        role,
        data: { exports: result.exports, ...imports },
      });
    } else {
      extracted.set(file, extractTestFacts(file, result.internalImports));
      fileRows.push({
        path: file,
        blob: tree.get(file)!,
        role,
        data: imports,
      });
    }
  }
  for (const file of toRead) {
    const role = roles.get(file);
    const text = textOf(file);
    if (text === undefined || (role !== 'readme' && role !== 'package')) continue;
    extracted.set(
      file,
      role === 'package'
        ? extractPackageFacts(file, text)
        : extractReadmeFacts(file, text, exportsOf),
    );
    fileRows.push({ path: file, blob: tree.get(file)!, role, data: null });
  }

  const change: KnowledgeChange = {
    commit,
    files: fileRows,
    removedFiles: [...previous.files.keys()].filter((f) => !roles.has(f)),
    insert: [],
    update: [],
    delete: [],
  };
  const stats = { kept: 0, refreshed: 0, dropped: 0, added: 0, stale: 0 };
  const hashIn = (citations: readonly FactCitation[]) => citationHash(citations, textOf);
  const byOrigin = new Map<string, KnowledgeFact[]>();
  for (const fact of previous.facts) {
    const list = byOrigin.get(fact.origin) ?? [];
    list.push(fact);
    byOrigin.set(fact.origin, list);
  }

  // Origins gone from the tree (or no longer selected): their facts no longer hold.
  for (const [origin, facts] of byOrigin) {
    if (roles.has(origin)) continue;
    for (const fact of facts) change.delete.push(fact.id);
    stats.dropped += facts.length;
  }
  const staleLlm: string[] = [];
  for (const [origin, fresh] of extracted) {
    const old = (byOrigin.get(origin) ?? []).filter((f) => f.source !== 'llm');
    const oldByKey = new Map(old.map((f) => [factKey(f), f]));
    for (const fact of fresh) {
      const hash = hashIn(fact.citations);
      const before = oldByKey.get(factKey(fact));
      oldByKey.delete(factKey(fact));
      const stored: NewKnowledgeFact = {
        origin,
        module: fact.module,
        kind: fact.kind,
        key: fact.key,
        text: fact.text,
        citations: fact.citations,
        commit,
        source: fact.source,
        status: 'fresh',
        hash,
      };
      if (!before) {
        change.insert.push(stored);
        stats.added++;
        continue;
      }
      if (before.hash === hash && before.text === fact.text) stats.kept++;
      else stats.refreshed++;
      change.update.push({ ...stored, id: before.id });
    }
    for (const gone of oldByKey.values()) {
      change.delete.push(gone.id);
      stats.dropped++;
    }
    // An LLM summary of a module read again: does the text it cites still hold?
    for (const fact of (byOrigin.get(origin) ?? []).filter((f) => f.source === 'llm')) {
      if (hashIn(fact.citations) === fact.hash) {
        stats.kept++;
        change.update.push({ ...fact, commit, status: 'fresh' });
      } else if (options.llm) {
        staleLlm.push(origin);
      } else {
        stats.stale++;
        if (fact.status !== 'stale') change.update.push({ ...fact, status: 'stale' });
      }
    }
  }

  let llm: KnowledgeStats['llm'];
  if (options.llm) {
    llm = await writeSummaries(options.llm, {
      modules: [...roles]
        .filter(([f, r]) => r === 'module' && (!llmFacts.has(f) || staleLlm.includes(f)))
        .map(([f]) => f),
      textOf,
      paths: new Set(tree.keys()),
      commit,
      limit: options.maxLlmCalls ?? 100,
      onFact(fact) {
        const before = llmFacts.get(fact.module);
        if (before) {
          stats.refreshed++;
          change.update.push({ ...fact, id: before.id });
        } else {
          stats.added++;
          change.insert.push(fact);
        }
      },
      onDrop(module) {
        const before = llmFacts.get(module);
        if (before && staleLlm.includes(module)) {
          change.delete.push(before.id);
          stats.dropped++;
        }
      },
    });
  }
  await saveKnowledge(store, repoId, change);
  const after = previous.facts.length + change.insert.length - change.delete.length;
  return {
    commit,
    files: roles.size,
    read: toRead.size,
    ...stats,
    ...(llm ? { llm } : {}),
    skippedFiles,
    facts: after,
    ms: Math.round(performance.now() - started),
  };
}

async function writeSummaries(
  llm: FreeTextLlm,
  input: {
    modules: string[];
    textOf: (file: string) => string | undefined;
    paths: ReadonlySet<string>;
    commit: string;
    limit: number;
    onFact: (fact: NewKnowledgeFact) => void;
    onDrop: (module: string) => void;
  },
): Promise<NonNullable<KnowledgeStats['llm']>> {
  const out = {
    written: 0,
    dropped: 0,
    reasons: [] as string[],
    skipped: 0,
    failures: [] as string[],
  };
  let calls = 0;
  for (const module of input.modules) {
    const text = input.textOf(module);
    if (text === undefined || text.trim() === '') continue;
    if (calls >= input.limit) {
      out.skipped++;
      continue;
    }
    calls++;
    let answer: string;
    try {
      answer = (await llm({ system: SUMMARY_SYSTEM, prompt: summaryPrompt(module, text) })).trim();
    } catch (error) {
      out.skipped++;
      out.failures.push(`${module}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const lineCount = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
    const citations = [{ file: module, startLine: 1, endLine: Math.max(1, lineCount) }];
    const rejection = validateLlmFact(answer, text, input.paths);
    if (rejection) {
      out.dropped++;
      out.reasons.push(`${module}: ${rejection.reason} ${rejection.detail}`);
      input.onDrop(module);
      continue;
    }
    out.written++;
    input.onFact({
      origin: module,
      module,
      kind: 'purpose',
      key: 'llm',
      text: answer.replace(/\s+/g, ' '),
      citations,
      commit: input.commit,
      source: 'llm',
      status: 'fresh',
      hash: citationHash(citations, (f) => (f === module ? text : undefined)),
    });
  }
  return out;
}

/**
 * The free-text LLM of a repository's config: the first configured LLM model (or the one named),
 * through the router (fallbacks, budgets, the ledger). Undefined when no LLM is configured.
 */
export async function knowledgeLlm(input: {
  root: string;
  store: Store;
  env: Readonly<Record<string, string | undefined>>;
  model?: string;
}): Promise<
  { llm: FreeTextLlm; model: string; warnings: string[]; close(): Promise<void> } | undefined
> {
  const { config } = await resolveConfig(input.root, { ...input.env });
  const setup = await setupModels({
    config: config.models,
    env: input.env,
    store: input.store,
    runId: `knowledge-${new Date().toISOString()}`,
    ...(input.model ? { override: [input.model] } : {}),
  });
  const model = setup.models.find(isLlmModel);
  if (!model) {
    await setup.close();
    return undefined;
  }
  return {
    model: model.id,
    warnings: setup.warnings,
    llm: async (request) =>
      (await model.complete({ ...request, purpose: { task: 'knowledge' } })).text,
    close: () => setup.close(),
  };
}

/** A fact as exported: each citation also as `path:start-end`, so another service can check it. */
export interface ExportedFact {
  module: string;
  kind: string;
  text: string;
  source: KnowledgeFact['source'];
  status: KnowledgeFact['status'];
  commit: string;
  citations: (FactCitation & { ref: string })[];
}

/** The JSON export of a repository's knowledge (or of a search's results). */
export interface KnowledgeExport {
  repository: string;
  /** The commit of the last `beast knowledge` run. */
  commit: string | null;
  query?: string;
  module?: string;
  facts: ExportedFact[];
}

/** Pure: stored facts as exported. */
export function exportKnowledge(
  facts: readonly KnowledgeFact[],
  meta: Omit<KnowledgeExport, 'facts'>,
): KnowledgeExport {
  return {
    ...meta,
    facts: facts.map((f) => ({
      module: f.module,
      kind: f.kind,
      text: f.text,
      source: f.source,
      status: f.status,
      commit: f.commit,
      citations: f.citations.map((c) => ({ ...c, ref: `${c.file}:${c.startLine}-${c.endLine}` })),
    })),
  };
}

/** Pure: the Markdown export: one section per module (the repository's first), facts by kind. */
export function knowledgeMarkdown(data: KnowledgeExport): string {
  const lines = [
    `# Knowledge of ${data.repository}`,
    '',
    `Commit: ${data.commit ?? '(none)'}${data.query === undefined ? '' : `; search: "${data.query}"`}`,
  ];
  const modules = new Map<string, ExportedFact[]>();
  for (const fact of data.facts) {
    const list = modules.get(fact.module) ?? [];
    list.push(fact);
    modules.set(fact.module, list);
  }
  const order = [...modules.keys()].sort((a, b) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
  );
  for (const module of order) {
    lines.push('', `## ${module === '' ? '(repository)' : module}`, '');
    for (const fact of modules.get(module)!) {
      const refs = fact.citations.map((c) => `[${c.ref}]`).join(' ');
      const marks = [
        fact.kind,
        ...(fact.source === 'code' ? [] : [fact.source]),
        ...(fact.status === 'stale' ? ['STALE'] : []),
      ];
      lines.push(`- **${marks.join(', ')}**: ${fact.text} ${refs} @ ${fact.commit.slice(0, 12)}`);
    }
  }
  if (data.facts.length === 0) lines.push('', 'No facts.');
  return `${lines.join('\n')}\n`;
}
