import type { Selectable } from 'kysely';
import { redactSecrets } from '../core/index.js';
import type { Store } from './db.js';
import type { ChatMessagesTable } from './schema.js';

/** A conversation about one repository's code. */
export interface ChatSession {
  id: number;
  repoId: number;
  title: string;
  createdAt: string;
}

/** An answer's record beside its text; citations are kept as checked (JSON, any shape). */
export interface ChatAnswerRecord {
  citations: unknown[];
  mode: string;
  model: string | null;
  commit: string | null;
  repaired: boolean;
  failed: number;
}

export type ChatMessage = {
  id: number;
  sessionId: number;
  text: string;
  createdAt: string;
} & ({ role: 'user' } | ({ role: 'assistant' } & ChatAnswerRecord));

const TITLE_CHARS = 200;

/** Starts a conversation; its title is the first question. */
export async function createChatSession(
  store: Store,
  repoId: number,
  question: string,
): Promise<ChatSession> {
  const row = await store.db
    .insertInto('chat_sessions')
    .values({
      repository_id: repoId,
      title: question.replace(/\s+/g, ' ').trim().slice(0, TITLE_CHARS),
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: row.id, repoId: row.repository_id, title: row.title, createdAt: row.created_at };
}

/** The session with this id; undefined when there is none. */
export async function getChatSession(store: Store, id: number): Promise<ChatSession | undefined> {
  const row = await store.db
    .selectFrom('chat_sessions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? { id: row.id, repoId: row.repository_id, title: row.title, createdAt: row.created_at }
    : undefined;
}

function toMessage(row: Selectable<ChatMessagesTable>): ChatMessage {
  const base = { id: row.id, sessionId: row.session_id, text: row.text, createdAt: row.created_at };
  if (row.role !== 'assistant') return { ...base, role: 'user' };
  return {
    ...base,
    role: 'assistant',
    citations: row.citations === null ? [] : (JSON.parse(row.citations) as unknown[]),
    mode: row.mode ?? 'unknown',
    model: row.model,
    commit: row.commit,
    repaired: row.repaired === 1,
    failed: row.failed ?? 0,
  };
}

/** A session's messages, oldest first. */
export async function listChatMessages(store: Store, sessionId: number): Promise<ChatMessage[]> {
  const rows = await store.db
    .selectFrom('chat_messages')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('id')
    .execute();
  return rows.map(toMessage);
}

/**
 * Records a question and its answer together, in one transaction: a conversation never holds a
 * question without the answer it got. Keys are scrubbed from both, as from jobs' results.
 * Returns the answer's message.
 */
export async function recordChatExchange(
  store: Store,
  sessionId: number,
  question: string,
  answer: { text: string } & ChatAnswerRecord,
): Promise<ChatMessage> {
  return store.db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    await trx
      .insertInto('chat_messages')
      .values({
        session_id: sessionId,
        role: 'user',
        text: redactSecrets(question),
        created_at: now,
      })
      .execute();
    const row = await trx
      .insertInto('chat_messages')
      .values({
        session_id: sessionId,
        role: 'assistant',
        text: redactSecrets(answer.text),
        citations: redactSecrets(JSON.stringify(answer.citations)),
        mode: answer.mode,
        model: answer.model,
        commit: answer.commit,
        repaired: answer.repaired ? 1 : 0,
        failed: answer.failed,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toMessage(row);
  });
}
