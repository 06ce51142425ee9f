import { parseData, type Api } from './api';
import type { SseEvent } from './sse';
import type { ChatAnswer, CheckedCitation } from './types';

/** What `POST /api/codebase/chat` streams, event by event. */
export type ChatEvent =
  | { type: 'session'; sessionId: string }
  | { type: 'retrieval'; hits: { location: string; qualifiedName: string }[] }
  /** `attempt` 2: the answer rewritten once to repair citations that failed; it starts over. */
  | { type: 'text'; delta: string; attempt: number }
  | { type: 'citations'; citations: CheckedCitation[] }
  | { type: 'done'; answer: ChatAnswer; messageId: string | number | null }
  | { type: 'error'; message: string };

/** An event's data when it is a JSON object, else null. */
function objectOf(data: string): Record<string, unknown> | null {
  const value = parseData(data);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

/**
 * One event of the chat stream as a ChatEvent; an event of another name, or whose data is not
 * the JSON its name promises, is null (ignored), except an `error`, whose text is kept as it is.
 */
export function toChatEvent(event: SseEvent): ChatEvent | null {
  const value = objectOf(event.data);
  switch (event.event) {
    case 'session':
      return value && (typeof value.sessionId === 'string' || typeof value.sessionId === 'number')
        ? { type: 'session', sessionId: String(value.sessionId) }
        : null;
    case 'retrieval':
      return value && Array.isArray(value.hits)
        ? { type: 'retrieval', hits: value.hits as { location: string; qualifiedName: string }[] }
        : null;
    case 'text':
      return value && typeof value.delta === 'string'
        ? {
            type: 'text',
            delta: value.delta,
            attempt: typeof value.attempt === 'number' ? value.attempt : 1,
          }
        : null;
    case 'citations':
      return value && Array.isArray(value.citations)
        ? { type: 'citations', citations: value.citations as CheckedCitation[] }
        : null;
    case 'done':
      return value && typeof value.answer === 'object' && value.answer !== null
        ? {
            type: 'done',
            answer: value.answer as ChatAnswer,
            messageId: (value.messageId as string | number | undefined) ?? null,
          }
        : null;
    case 'error':
      return {
        type: 'error',
        message: typeof value?.message === 'string' ? value.message : event.data,
      };
    default:
      return null;
  }
}

/** One question and its answer, as the ask page shows it while it streams and after. */
export interface Turn {
  question: string;
  /** What retrieval picked, shown while the answer is written. */
  retrieved: { location: string; qualifiedName: string }[];
  /** The answer's text so far; the final text once done. */
  text: string;
  /** 2 while the answer is rewritten to repair its citations. */
  attempt: number;
  citations: CheckedCitation[];
  answer: ChatAnswer | null;
  error: string | null;
  streaming: boolean;
}

export function newTurn(question: string): Turn {
  return {
    question,
    retrieved: [],
    text: '',
    attempt: 1,
    citations: [],
    answer: null,
    error: null,
    streaming: true,
  };
}

/** The turn after one event. The final answer's text replaces what streamed (a repair rewrites it). */
export function applyChatEvent(turn: Turn, event: ChatEvent): Turn {
  switch (event.type) {
    case 'session':
      return turn;
    case 'retrieval':
      return { ...turn, retrieved: event.hits };
    case 'text':
      return event.attempt > turn.attempt
        ? { ...turn, text: event.delta, attempt: event.attempt, citations: [] }
        : { ...turn, text: turn.text + event.delta };
    case 'citations':
      return { ...turn, citations: event.citations };
    case 'done':
      return {
        ...turn,
        text: event.answer.text,
        citations: event.answer.citations,
        answer: event.answer,
        streaming: false,
      };
    case 'error':
      return { ...turn, error: event.message, streaming: false };
  }
}

/**
 * Asks a question: posts it (with the session's cookie and CSRF token, as every change) and calls
 * `onEvent` for each event of the streamed answer. A stream that ends without `done` or `error`
 * (a proxy cut it, the server stopped) ends with an error event saying so.
 */
export async function ask(
  api: Api,
  body: { repo: string | number; question: string; sessionId?: number },
  onEvent: (event: ChatEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  for await (const raw of api.stream('/api/codebase/chat', body, signal)) {
    const event = toChatEvent(raw);
    if (!event) continue;
    onEvent(event);
    if (event.type === 'done' || event.type === 'error') return;
  }
  onEvent({ type: 'error', message: 'The answer stopped before it was finished.' });
}

/** A message of `GET /api/codebase/chat/:sessionId`: a question, or an answer with its checks. */
export interface ChatMessage {
  id: number;
  role: 'user' | 'assistant';
  text: string;
  createdAt: string;
  citations?: CheckedCitation[];
  mode?: string;
  model?: string | null;
  commit?: string | null;
  repaired?: boolean;
  failed?: number;
}

const MODES = new Set<ChatAnswer['mode']>(['grounded', 'extractive', 'unknown']);

/** A session's stored messages as the turns the ask page shows: each question with its answer. */
export function turnsOf(messages: readonly ChatMessage[]): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      turns.push({ ...newTurn(message.text), streaming: false });
      continue;
    }
    const last = turns.at(-1);
    // An answer without its question (never stored so, but read defensively) gets an empty one.
    const turn = last && !last.answer ? last : { ...newTurn(''), streaming: false };
    if (turn !== last) turns.push(turn);
    const answer: ChatAnswer = {
      text: message.text,
      mode: MODES.has(message.mode as ChatAnswer['mode'])
        ? (message.mode as ChatAnswer['mode'])
        : 'unknown',
      citations: message.citations ?? [],
      repaired: message.repaired ?? false,
      failed: message.failed ?? 0,
      commit: message.commit ?? null,
      ...(message.model ? { model: message.model } : {}),
    };
    Object.assign(turn, { text: answer.text, citations: answer.citations, answer });
  }
  return turns;
}
