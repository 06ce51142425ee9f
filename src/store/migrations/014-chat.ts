import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/* See 001-initial.ts: migrations describe the schema as it was when they were written. */

function id(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder {
  return col.primaryKey().autoIncrement();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Conversations about a repository's code (`beast ask --session`, `/api/codebase/chat`): each
  // question and answer is kept, so a follow-up sees the conversation and the answer's citations
  // can be shown again as they were checked.
  await db.schema
    .createTable('chat_sessions')
    .addColumn('id', 'integer', id)
    .addColumn('repository_id', 'integer', (col) =>
      col.notNull().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('chat_messages')
    .addColumn('id', 'integer', id)
    .addColumn('session_id', 'integer', (col) =>
      col.notNull().references('chat_sessions.id').onDelete('cascade'),
    )
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('citations', 'text')
    .addColumn('mode', 'text')
    .addColumn('model', 'text')
    .addColumn('commit', 'text')
    .addColumn('repaired', 'integer')
    .addColumn('failed', 'integer')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('chat_messages_session')
    .on('chat_messages')
    .columns(['session_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chat_messages').execute();
  await db.schema.dropTable('chat_sessions').execute();
}
