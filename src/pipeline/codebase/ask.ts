import {
  commitReader,
  findUsages,
  formatLocation,
  lineCount,
  queryTokens,
  verifyCitations,
  type CheckedCitation,
  type ReadAtCommit,
} from '../../analysis/index.js';
import { InputError, ProviderError, type ModelsConfig } from '../../core/index.js';
import { isLlmModel, type LlmModel, type LlmRequest } from '../../models/index.js';
import {
  createChatSession,
  getChatSession,
  getSymbols,
  listChatMessages,
  readSymbolGraph,
  recordChatExchange,
  type Store,
} from '../../store/index.js';
import { setupModels } from '../models.js';
import { updateIndex } from './index-repo.js';
import { repositoryVectors } from './embeddings.js';
import { repoMap, searchCodebase } from './search.js';
import type { Answer, IndexStats, SearchHit, SearchResult } from './types.js';

/*
 * Questions about a repository's code, answered from what the index retrieves and checked: every
 * `[path:start-end]` an answer cites must exist at the indexed commit (lines in range, quoted code
 * matching). An LLM answer whose citations fail is asked once to repair them; what still fails is
 * marked in the text. With nothing relevant retrieved the answer is that it does not know, and no
 * model is asked. Without an LLM the answer is extractive: the best declarations as they are.
 */

/** Hits retrieved per question. */
const RETRIEVED = 8;
/** Lines of one declaration shown to the model; longer ones are cut (and cited as cut). */
const EXCERPT_LINES = 60;
/** Characters of code excerpts in one prompt, about 6,000 tokens. */
const EXCERPT_BUDGET = 24_000;
/** Declarations an extractive answer shows, the lines of code of each, and uses listed. */
const EXTRACTIVE_SYMBOLS = 4;
const EXTRACTIVE_LINES = 30;
const EXTRACTIVE_USES = 5;
/** Earlier messages of a session given to the model, and characters of each. */
const HISTORY_MESSAGES = 6;
const HISTORY_CHARS = 2_000;
/** Tokens of the repository map in a prompt. */
const MAP_TOKENS = 768;

/** What an answer that cannot be grounded says; `unknown` answers and the model's refusals. */
export const DONT_KNOW = "I don't know";

/** A declaration that refers to another, as the reference graph records it. */
export interface Caller {
  file: string;
  qualifiedName: string;
  startLine: number;
  endLine: number;
}

/** One earlier turn of the conversation. */
export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

/** A retrieved declaration shown to the model: its lines at the commit, numbered. */
export interface Excerpt {
  hit: SearchHit;
  /** `path:start-end` of the lines shown (a long declaration is cut). */
  location: string;
  startLine: number;
  endLine: number;
  lines: string[];
}

/*
 * Relevance. Search scores mix BM25, vector similarity and centrality on scales that differ from
 * query to query, so no fixed score separates "relevant" from "best of nothing" (centrality alone
 * ranks something first for any question). Instead a hit counts when it shares a content word
 * with the question: its name, path, signature, doc or snippet, split as the index splits code
 * (camelCase, snake_case), with light stemming by common prefix. A question none of whose words
 * occur in any retrieved declaration has nothing to ground an answer in.
 */

/** Words that say nothing about which code is meant. */
const STOPWORDS = new Set(
  (
    'a an and any are as at be been but by can could did do does doing done for from get gets ' +
    'had has have how i if in into is it its me my no not of on or our should so some than that ' +
    'the their them then there these they this those to was we were what when where which while ' +
    'who whom why will with would you your code codebase repository repo project function ' +
    'functions method methods class classes file files module modules work works explain tell ' +
    'show find implemented implement defined define please about'
  ).split(' '),
);

/** The words of a text as the index splits code: camelCase and snake_case apart, lower case. */
export function contentWords(text: string): string[] {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return [...new Set(words.filter((w) => w.length >= 3 && !STOPWORDS.has(w)))];
}

/** Same word, or one stem of the other (`parse`/`parsing`, `add`/`adds`). */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return common >= 3 && common >= 0.75 * Math.min(a.length, b.length);
}

/** The hits that share a content word with the question, best first. */
export function relevantHits(question: string, hits: readonly SearchHit[]): SearchHit[] {
  const asked = contentWords(question);
  if (asked.length === 0) return [];
  return hits.filter((hit) => {
    const { symbol } = hit;
    const words = contentWords(
      [symbol.qualifiedName, symbol.file, symbol.signature, symbol.doc, hit.snippet].join(' '),
    );
    return asked.some((q) => words.some((w) => sameWord(q, w)));
  });
}

/** The lines of each hit at the commit, numbered, within the prompt's budget; overlaps dropped. */
export async function excerptsOf(
  hits: readonly SearchHit[],
  read: ReadAtCommit,
): Promise<Excerpt[]> {
  const excerpts: Excerpt[] = [];
  let chars = 0;
  for (const hit of hits) {
    const text = await read(hit.symbol.file);
    if (text === undefined) continue;
    const all = text.split('\n');
    const startLine = hit.symbol.startLine;
    const endLine = Math.min(hit.symbol.endLine, startLine + EXCERPT_LINES - 1, lineCount(text));
    if (endLine < startLine) continue;
    const inside = excerpts.some(
      (e) =>
        e.hit.symbol.file === hit.symbol.file && e.startLine <= startLine && e.endLine >= endLine,
    );
    if (inside) continue;
    const lines = all.slice(startLine - 1, endLine);
    const size = lines.reduce((sum, l) => sum + l.length + 8, 0);
    if (chars + size > EXCERPT_BUDGET && excerpts.length > 0) break;
    chars += size;
    const location = formatLocation({ file: hit.symbol.file, startLine, endLine });
    excerpts.push({ hit, location, startLine, endLine, lines });
  }
  return excerpts;
}

const SYSTEM = [
  "You answer questions about one repository's code, using only the code excerpts given.",
  'Cite every claim with the lines it rests on, as [path:start-end] or [path:line], using the',
  'file paths and line numbers shown in the excerpts. To quote code, put a fenced code block',
  'right after its citation, copied exactly from the cited lines (without the line numbers).',
  `If the excerpts do not answer the question, say "${DONT_KNOW}" and what is missing; never guess`,
  'and never cite lines you were not shown. Be concise.',
].join('\n');

function numbered(excerpt: Excerpt): string {
  const width = String(excerpt.endLine).length;
  const body = excerpt.lines
    .map((line, i) => `${String(excerpt.startLine + i).padStart(width)} | ${line}`)
    .join('\n');
  const { qualifiedName, kind } = excerpt.hit.symbol;
  return `--- ${excerpt.location} (${kind} ${qualifiedName})\n${body}`;
}

function historyText(history: readonly Turn[]): string {
  return history
    .slice(-HISTORY_MESSAGES)
    .map((turn) => {
      const text =
        turn.text.length > HISTORY_CHARS ? `${turn.text.slice(0, HISTORY_CHARS)} [...]` : turn.text;
      return `${turn.role === 'user' ? 'User' : 'Assistant'}: ${text}`;
    })
    .join('\n\n');
}

/** The request for a question: the map, the conversation so far, the excerpts, the question. */
export function buildAskPrompt(input: {
  question: string;
  excerpts: readonly Excerpt[];
  map: string;
  history: readonly Turn[];
  commit: string | null;
}): LlmRequest {
  const parts: string[] = [];
  if (input.map.trim()) parts.push(`Repository map (its most central declarations):\n${input.map}`);
  if (input.history.length > 0) {
    parts.push(`Earlier in this conversation:\n${historyText(input.history)}`);
  }
  const at = input.commit ? ` (commit ${input.commit.slice(0, 12)})` : '';
  parts.push(`Code excerpts${at}:\n\n${input.excerpts.map(numbered).join('\n\n')}`);
  parts.push(`Question: ${input.question}`);
  return { system: SYSTEM, prompt: parts.join('\n\n'), purpose: { task: 'ask' } };
}

/** The same request, with the previous answer and what was wrong with its citations. */
export function buildRepairPrompt(
  request: LlmRequest,
  previous: string,
  failures: readonly CheckedCitation[],
): LlmRequest {
  const problems =
    failures.length > 0
      ? failures.map((c) => `- [${formatLocation(c)}]: ${c.ok ? '' : c.detail}`).join('\n')
      : '- the answer cites no lines at all';
  const prompt = [
    request.prompt,
    `Your previous answer:\n${previous}`,
    `Its citations were checked against the code and these failed:\n${problems}`,
    'Answer again. Cite only lines shown in the excerpts above, and quote only what those lines ' +
      `say. If the excerpts do not answer the question, say "${DONT_KNOW}".`,
  ].join('\n\n');
  return { ...request, prompt };
}

/** An answer that does not claim anything: it need not cite. */
function declines(text: string): boolean {
  return /\b(?:I )?(?:don't|do not) know\b/i.test(text);
}

export interface AnswerOptions {
  question: string;
  /** What relevance is judged on (a follow-up adds the question before it); default `question`. */
  query?: string;
  /** Retrieved hits, best first (only the relevant ones are used). */
  hits: readonly SearchHit[];
  /** The repository map for orientation ('' when there is none). */
  map: string;
  commit: string | null;
  /** Files at the indexed commit: excerpts are read and citations checked through it. */
  read: ReadAtCommit;
  /** Declarations whose bodies refer to a symbol (the index's reference graph), by symbol id. */
  callers?: (symbolId: number) => Promise<Caller[]>;
  /** Lines naming an identifier at the commit: an extractive answer's uses when no caller is known. */
  usages?: (identifier: string) => Promise<{ file: string; line: number; text: string }[]>;
  history?: readonly Turn[];
  /** LLMs to ask, in order (the next when one's whole chain fails); none: extractive. */
  models: readonly LlmModel[];
  /** Why there is no model, said in an extractive answer (`--offline`, none configured). */
  offlineReason?: string;
  /** Each piece of answer text as it arrives; `attempt` 2 is the repair. */
  onText?: (delta: string, attempt: 1 | 2) => void;
  signal?: AbortSignal;
}

/** The answer when nothing relevant was retrieved: no model is asked. */
function unknownAnswer(commit: string | null): Answer {
  return {
    text: `${DONT_KNOW}: nothing in the index matches the question, so there is no code to ground an answer in.`,
    mode: 'unknown',
    citations: [],
    repaired: false,
    failed: 0,
    commit,
  };
}

function fenceFor(code: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(longest + 1);
}

/** Where a declaration is used: its callers in the reference graph, else the lines naming it. */
async function usesOf(options: AnswerOptions, hit: SearchHit): Promise<string> {
  const { symbol } = hit;
  const callers = ((await options.callers?.(symbol.id)) ?? []).slice(0, EXTRACTIVE_USES);
  if (callers.length > 0) {
    const list = callers.map(
      (c) =>
        `- \`${c.qualifiedName}\` [${formatLocation({ file: c.file, startLine: c.startLine, endLine: c.endLine })}]`,
    );
    return `Referred to by (the index's reference graph):\n${list.join('\n')}`;
  }
  const uses = (await options.usages?.(symbol.name)) ?? [];
  const outside = uses
    .filter((u) => u.file !== symbol.file || u.line < symbol.startLine || u.line > symbol.endLine)
    .slice(0, EXTRACTIVE_USES);
  if (outside.length === 0) return 'Used in: no other line of the indexed commit names it.';
  const list = outside.map(
    (u) => `- [${u.file}:${u.line}] \`${u.text.trim().slice(0, 120).replace(/`/g, "'")}\``,
  );
  return `Lines naming it:\n${list.join('\n')}`;
}

/** The best declarations as they are: signature, doc, code and uses, each cited. */
export async function extractiveText(options: AnswerOptions, hits: readonly SearchHit[]) {
  const at = options.commit ? ` at commit ${options.commit.slice(0, 12)}` : '';
  const why = options.offlineReason ? ` (${options.offlineReason})` : '';
  const parts = [
    `Extractive answer, no language model used${why}: the declarations that best match the question, as they are${at}.`,
  ];
  for (const hit of hits.slice(0, EXTRACTIVE_SYMBOLS)) {
    const { symbol } = hit;
    const text = await options.read(symbol.file);
    if (text === undefined) continue;
    const end = Math.min(symbol.endLine, lineCount(text));
    const shownEnd = Math.min(end, symbol.startLine + EXTRACTIVE_LINES - 1);
    const code = text
      .split('\n')
      .slice(symbol.startLine - 1, shownEnd)
      .join('\n');
    const where = formatLocation({ file: symbol.file, startLine: symbol.startLine, endLine: end });
    const shown = formatLocation({
      file: symbol.file,
      startLine: symbol.startLine,
      endLine: shownEnd,
    });
    const section = [
      `## ${symbol.qualifiedName} (${symbol.kind}) [${where}]`,
      '',
      `\`${symbol.signature}\``,
    ];
    if (symbol.doc.trim())
      section.push(
        '',
        symbol.doc
          .trim()
          .split(/\n\s*\n/)[0]!
          .slice(0, 600),
      );
    const cut =
      shownEnd < end
        ? ` (its first ${shownEnd - symbol.startLine + 1} of ${end - symbol.startLine + 1} lines)`
        : '';
    const fence = fenceFor(code);
    section.push('', `Code${cut}: [${shown}]`, `${fence}ts`, code, fence);
    section.push('', await usesOf(options, hit));
    parts.push(section.join('\n'));
  }
  return parts.join('\n\n');
}

async function extractiveAnswer(
  options: AnswerOptions,
  hits: readonly SearchHit[],
): Promise<Answer> {
  const text = await extractiveText(options, hits);
  options.onText?.(text, 1);
  // Valid by construction; checked all the same, so a fault in the construction shows.
  const checked = await verifyCitations(text, options.read);
  return {
    text: checked.marked,
    mode: 'extractive',
    citations: checked.citations,
    repaired: false,
    failed: checked.failed,
    commit: options.commit,
  };
}

/** Asks the models in order: the next only when one's whole fallback chain failed before answering. */
async function complete(
  models: readonly LlmModel[],
  request: LlmRequest,
  onText: ((delta: string) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<{ text: string; model: string }> {
  let last: unknown;
  for (const model of models) {
    let started = false;
    const forward = onText && ((delta: string) => ((started = true), onText(delta)));
    try {
      const answer = await model.complete(request, {
        ...(forward ? { onText: forward } : {}),
        ...(signal ? { signal } : {}),
      });
      return { text: answer.text, model: model.id };
    } catch (error) {
      if (started || !(error instanceof ProviderError)) throw error;
      last = error;
    }
  }
  throw last instanceof Error ? last : new ProviderError('no language model could answer', true);
}

/**
 * The answer to a question from retrieved hits: `unknown` with nothing relevant (no model asked),
 * extractive without models, else grounded: asked, checked, repaired once if needed, marked.
 */
export async function answerQuestion(options: AnswerOptions): Promise<Answer> {
  const hits = relevantHits(options.query ?? options.question, options.hits).slice(0, RETRIEVED);
  if (hits.length > 0 && options.models.length === 0) return extractiveAnswer(options, hits);
  const excerpts = await excerptsOf(hits, options.read);
  if (excerpts.length > 0) return groundedAnswer(options, excerpts);
  const answer = unknownAnswer(options.commit);
  options.onText?.(answer.text, 1);
  return answer;
}

/** Asks with the excerpts, checks the citations, and asks once more when they fail. */
async function groundedAnswer(options: AnswerOptions, excerpts: Excerpt[]): Promise<Answer> {
  const request = buildAskPrompt({
    question: options.question,
    excerpts,
    map: options.map,
    history: options.history ?? [],
    commit: options.commit,
  });
  const ask = async (attempt: 1 | 2, asked: LlmRequest) => {
    const { onText } = options;
    const said = await complete(
      options.models,
      asked,
      onText && ((delta) => onText(delta, attempt)),
      options.signal,
    );
    const checked = await verifyCitations(said.text, options.read);
    const answer: Answer = {
      text: checked.marked,
      mode: 'grounded',
      citations: checked.citations,
      repaired: attempt === 2,
      failed: checked.failed,
      model: said.model,
      commit: options.commit,
    };
    return { said: said.text, answer };
  };
  const first = await ask(1, request);
  const { citations, failed } = first.answer;
  if (failed === 0 && (citations.length > 0 || declines(first.said))) return first.answer;
  const repair = buildRepairPrompt(
    request,
    first.said,
    citations.filter((c) => !c.ok),
  );
  return (await ask(2, repair)).answer;
}

/** What a chat reports while it answers, in order: the API sends each as a server-sent event. */
export type ChatEvent =
  | { type: 'session'; sessionId: number }
  | { type: 'retrieval'; hits: { location: string; qualifiedName: string }[] }
  | { type: 'text'; delta: string; attempt: 1 | 2 }
  | { type: 'citations'; citations: CheckedCitation[] }
  | { type: 'done'; answer: Answer; messageId: number };

export interface ChatOptions {
  store: Store;
  repoId: number;
  /** The repository's root (a git work tree): indexed at its HEAD commit. */
  root: string;
  question: string;
  /** Continue this session (its history goes into the prompt); a new one when absent. */
  sessionId?: number;
  /** The repository's models config and the environment its keys are read from. */
  models: ModelsConfig;
  env: Readonly<Record<string, string | undefined>>;
  /** `--model`: exactly these. */
  modelOverride?: readonly string[];
  /** Answer without any model: extractive. */
  offline?: boolean;
  onEvent?: (event: ChatEvent) => void;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
}

export interface ChatResult {
  sessionId: number;
  messageId: number;
  answer: Answer;
  index: IndexStats;
  /** How the hits were ranked, and what the user should know about it (no embedding model). */
  retrieval: { mode: SearchResult['mode']; notice?: string };
  /** Models left out (a missing key) and the like, for the user. */
  warnings: string[];
}

const MAX_QUESTION_CHARS = 4_000;

/** The LLMs to answer with, or why there are none (said in the extractive answer). */
async function chatModels(options: ChatOptions) {
  if (options.offline)
    return { models: [], reason: 'offline', warnings: [], close: async () => {} };
  const setup = await setupModels({
    config: options.models,
    env: options.env,
    store: options.store,
    ...(options.modelOverride ? { override: options.modelOverride } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const models = setup.models.filter(isLlmModel);
  const builtin = setup.models.filter((m) => !isLlmModel(m)).map((m) => m.id);
  if (options.modelOverride && models.length === 0) {
    await setup.close();
    throw new InputError(
      `${builtin.join(', ')} cannot answer questions: name a language model (custom:<name> or a vendor's provider:model)`,
    );
  }
  const reason = models.length === 0 ? 'no language model configured' : undefined;
  return { models, reason, warnings: setup.warnings, close: () => setup.close() };
}

/**
 * One question of a conversation about a repository: brings the index up to date, retrieves,
 * answers (see `answerQuestion`), and keeps the question and the answer in the session.
 */
export async function chatAboutCodebase(options: ChatOptions): Promise<ChatResult> {
  const { store, repoId, question } = options;
  if (!question.trim()) throw new InputError('the question is empty');
  if (question.length > MAX_QUESTION_CHARS)
    throw new InputError(`the question is over ${MAX_QUESTION_CHARS} characters`);
  let history: Turn[] = [];
  if (options.sessionId !== undefined) {
    const session = await getChatSession(store, options.sessionId);
    if (!session || session.repoId !== repoId)
      throw new InputError(`no chat session ${options.sessionId} for this repository`);
    history = (await listChatMessages(store, session.id)).map((m) => ({
      role: m.role,
      text: m.text,
    }));
  }
  const models = await chatModels(options);
  try {
    const index = await updateIndex({
      store,
      repoId,
      root: options.root,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (index.commit === null)
      throw new InputError(
        `${options.root} is not a git repository with a commit: answers are checked against the indexed commit`,
      );
    const commit = index.commit;
    const sessionId = options.sessionId ?? (await createChatSession(store, repoId, question)).id;
    options.onEvent?.({ type: 'session', sessionId });
    // A follow-up ("and who calls it?") is about what was asked before.
    const previous = history.filter((t) => t.role === 'user').at(-1)?.text;
    const query = previous ? `${question}\n${previous}` : question;
    // Only common words: search refuses such a query, and there is nothing to ground an answer in.
    // With models.embeddings configured, vectors join the retrieval as they do `beast search`.
    const vectors = repositoryVectors({
      store,
      repoId,
      config: options.models,
      env: options.env,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const result =
      queryTokens(query).length > 0
        ? await searchCodebase(store, {
            repoId,
            query,
            limit: RETRIEVED,
            ...(vectors ? { vectors } : {}),
          })
        : { mode: 'bm25+graph' as const, commit, hits: [] };
    const relevant = relevantHits(query, result.hits);
    options.onEvent?.({
      type: 'retrieval',
      hits: relevant.map((h) => ({ location: h.location, qualifiedName: h.symbol.qualifiedName })),
    });
    const focusFiles = [...new Set(relevant.map((h) => h.symbol.file))];
    const map =
      relevant.length > 0 && models.models.length > 0
        ? await repoMap(store, { repoId, focusFiles, budgetTokens: MAP_TOKENS })
        : '';
    let graph: Awaited<ReturnType<typeof readSymbolGraph>> | undefined;
    const answer = await answerQuestion({
      question,
      query,
      hits: relevant,
      map,
      commit,
      read: commitReader(options.root, commit),
      callers: async (id) => {
        graph ??= await readSymbolGraph(store, repoId);
        const sources = graph.edges.filter(([, target]) => target === id).map(([source]) => source);
        return getSymbols(store, sources.slice(0, EXTRACTIVE_USES));
      },
      usages: (name) => findUsages(options.root, commit, name, EXTRACTIVE_USES + 5),
      history,
      models: models.models,
      ...(models.reason ? { offlineReason: models.reason } : {}),
      ...(options.onEvent
        ? {
            onText: (delta: string, attempt: 1 | 2) =>
              options.onEvent?.({ type: 'text', delta, attempt }),
          }
        : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    options.onEvent?.({ type: 'citations', citations: answer.citations });
    const message = await recordChatExchange(store, sessionId, question, {
      ...answer,
      model: answer.model ?? null,
    });
    options.onEvent?.({ type: 'done', answer, messageId: message.id });
    return {
      sessionId,
      messageId: message.id,
      answer,
      index,
      retrieval: { mode: result.mode, ...(result.notice ? { notice: result.notice } : {}) },
      warnings: models.warnings,
    };
  } finally {
    await models.close();
  }
}
