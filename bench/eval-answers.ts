// npm run eval:answers [-- --questions N] [--write] [paths...] [--only a,b]
// What the knowledge base and the chat say about real repositories, checked: `beast knowledge`'s
// facts per kind with every citation re-checked against the commit's git objects, cold and warm
// times; and offline (extractive) chat answers to questions made of documented functions' first
// sentences, on the doc-blanked copy eval:search uses: citations checked, the function cited or not,
// and questions about nothing in the code answered "I don't know". Local clones only (as
// bench/search-repos.json lists); nothing of theirs is committed.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCitation } from '../src/analysis/codebase/citations.js';
import { commitReader } from '../src/analysis/codebase/commit-files.js';
import { chatAboutCodebase, updateKnowledge } from '../src/pipeline/index.js';
import { loadKnowledge, openStore, repositoryIdOf } from '../src/store/index.js';
import { recordSection } from './record.js';
import { flagValue, loadRepos } from './repos.js';
import { buildCorpus, type FunctionUnit } from './search-corpus.js';

function fail(message: string): never {
  console.error(`eval:answers: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const questionsFlag = flagValue(args, '--questions');
const perRepo = questionsFlag === undefined ? 25 : Number(questionsFlag);
if (!(Number.isInteger(perRepo) && perRepo > 0))
  fail(`--questions takes a positive whole number, got ${questionsFlag ?? 'nothing'}`);
const here = path.dirname(fileURLToPath(import.meta.url));
const configArgs = args.includes('--config')
  ? args
  : [...args, '--config', path.join(here, 'search-repos.json')];
const { selected } = await loadRepos(configArgs, new Set(['--questions']));
if (selected.length === 0) fail('no repository selected');
for (const { dir } of selected)
  if (!existsSync(path.join(dir, '.git')))
    fail(`${dir} is not a git clone (see bench/search-repos.json)`);

/** Questions about nothing any of these repositories holds: the answer must be "I don't know". */
const NONSENSE = [
  'How does the penguin telemetry reach the lighthouse?',
  'Where is the volcano eruption forecast calibrated?',
  'Which module bakes sourdough bread overnight?',
];

/** Every k-th documented function, so a repository's questions spread over its files. */
function sample(truth: readonly FunctionUnit[], n: number): FunctionUnit[] {
  const step = Math.max(1, Math.floor(truth.length / n));
  return truth.filter((_, i) => i % step === 0).slice(0, n);
}

interface KnowledgeRow {
  name: string;
  commit: string;
  files: number;
  facts: number;
  byKind: Map<string, number>;
  citations: number;
  failed: number;
  coldMs: number;
  warmMs: number;
}

interface ChatRow {
  name: string;
  questions: number;
  extractive: number;
  unknown: number;
  citations: number;
  failed: number;
  targetCited: number;
  nonsense: number;
  nonsenseUnknown: number;
  medianMs: number;
}

const work = await mkdtemp(path.join(tmpdir(), 'beast-eval-answers-'));
const knowledgeRows: KnowledgeRow[] = [];
const chatRows: ChatRow[] = [];
try {
  for (const { entry, dir } of selected) {
    // Knowledge of the repository as it is.
    const store = await openStore(path.join(work, `${entry.name}.db`));
    try {
      const repoId = await repositoryIdOf(store, dir);
      let started = performance.now();
      const stats = await updateKnowledge({ store, repoId, root: dir });
      const coldMs = performance.now() - started;
      started = performance.now();
      await updateKnowledge({ store, repoId, root: dir });
      const warmMs = performance.now() - started;
      const { facts } = await loadKnowledge(store, repoId);
      const read = commitReader(dir, stats.commit);
      let citations = 0;
      let failed = 0;
      const byKind = new Map<string, number>();
      for (const fact of facts) {
        byKind.set(fact.kind, (byKind.get(fact.kind) ?? 0) + 1);
        for (const c of fact.citations) {
          citations++;
          const checked = checkCitation({ ...c, index: 0 }, await read(c.file));
          if (!checked.ok) failed++;
        }
      }
      knowledgeRows.push({
        name: entry.name,
        commit: stats.commit.slice(0, 10),
        files: stats.files,
        facts: facts.length,
        byKind,
        citations,
        failed,
        coldMs,
        warmMs,
      });
      console.log(
        `${entry.name}: ${facts.length} facts, ${failed} of ${citations} citations failed`,
      );
    } finally {
      await store.close();
    }

    // Offline chat on the doc-blanked copy: the question is the doc's first sentence.
    const corpus = await buildCorpus(entry.name, dir, path.join(work, entry.name));
    const chatStore = await openStore(path.join(work, `${entry.name}-chat.db`));
    try {
      const repoId = await repositoryIdOf(chatStore, corpus.dir);
      const row: ChatRow = {
        name: entry.name,
        questions: 0,
        extractive: 0,
        unknown: 0,
        citations: 0,
        failed: 0,
        targetCited: 0,
        nonsense: 0,
        nonsenseUnknown: 0,
        medianMs: 0,
      };
      const times: number[] = [];
      const ask = async (question: string) => {
        const started = performance.now();
        const result = await chatAboutCodebase({
          store: chatStore,
          repoId,
          root: corpus.dir,
          question,
          models: {},
          env: {},
          offline: true,
        });
        times.push(performance.now() - started);
        return result.answer;
      };
      await ask('warm the index'); // the cold index is eval:search's figure, not a question's
      times.length = 0;
      for (const unit of sample(corpus.truth, perRepo)) {
        const answer = await ask(unit.query!);
        row.questions++;
        if (answer.mode === 'extractive') row.extractive++;
        if (answer.mode === 'unknown') row.unknown++;
        row.citations += answer.citations.length;
        row.failed += answer.citations.filter((c) => !c.ok).length;
        if (
          answer.citations.some(
            (c) => c.file === unit.file && c.startLine <= unit.line && unit.line <= c.endLine,
          )
        )
          row.targetCited++;
      }
      for (const question of NONSENSE) {
        const answer = await ask(question);
        row.nonsense++;
        if (answer.mode === 'unknown') row.nonsenseUnknown++;
      }
      const sorted = times.slice(0, row.questions).sort((a, b) => a - b);
      row.medianMs = sorted[Math.floor(sorted.length / 2)] ?? 0;
      chatRows.push(row);
      console.log(
        `${entry.name}: ${row.targetCited} of ${row.questions} answers cite the function; ${row.failed} of ${row.citations} citations failed`,
      );
    } finally {
      await chatStore.close();
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const kinds = [...new Set(knowledgeRows.flatMap((r) => [...r.byKind.keys()]))].sort();
const total = <T>(rows: T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}; ${perRepo} questions per repository, offline (no language model).`,
  '',
  `| repository | commit | files | facts | ${kinds.join(' | ')} | citations | citations failing at the commit | cold s | warm s |`,
  `| --- | --- | ---: | ---: | ${kinds.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: |`,
  ...knowledgeRows.map(
    (r) =>
      `| ${r.name} | ${r.commit} | ${r.files} | ${r.facts} | ${kinds.map((k) => r.byKind.get(k) ?? 0).join(' | ')} | ${r.citations} | ${r.failed} | ${(r.coldMs / 1000).toFixed(2)} | ${(r.warmMs / 1000).toFixed(2)} |`,
  ),
  '',
  '| repository | questions | extractive | "don\'t know" | answer cites the function | citations | failing | nonsense questions answered "don\'t know" | median s per question |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...chatRows.map(
    (r) =>
      `| ${r.name} | ${r.questions} | ${r.extractive} | ${r.unknown} | ${r.targetCited} (${pct(r.targetCited, r.questions)}) | ${r.citations} | ${r.failed} | ${r.nonsenseUnknown} of ${r.nonsense} | ${(r.medianMs / 1000).toFixed(2)} |`,
  ),
  `| all | ${total(chatRows, (r) => r.questions)} | ${total(chatRows, (r) => r.extractive)} | ${total(chatRows, (r) => r.unknown)} | ${total(chatRows, (r) => r.targetCited)} (${pct(
    total(chatRows, (r) => r.targetCited),
    total(chatRows, (r) => r.questions),
  )}) | ${total(chatRows, (r) => r.citations)} | ${total(chatRows, (r) => r.failed)} | ${total(chatRows, (r) => r.nonsenseUnknown)} of ${total(chatRows, (r) => r.nonsense)} | |`,
];
const body = lines.join('\n');
console.log(`\n${body}`);
if (args.includes('--write')) await recordSection('eval:answers', body);
