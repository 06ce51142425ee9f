import { describe, expect, it } from 'vitest';
import { createChatSession, getChatSession, listChatMessages, recordChatExchange } from './chat.js';
import { repositoryIdOf } from './code-index.js';
import { openStore } from './db.js';

const ANSWER = {
  citations: [{ file: 'src/a.ts', startLine: 1, endLine: 2, index: 4, ok: true }],
  mode: 'grounded',
  model: 'custom:local',
  commit: 'abc1234',
  repaired: true,
  failed: 0,
};

describe('chat sessions', () => {
  it('keeps questions and answers in order, with the answer as checked', async () => {
    const store = await openStore(':memory:');
    const repoId = await repositoryIdOf(store, '/tmp/chat-repo');
    expect(await repositoryIdOf(store, '/tmp/chat-repo')).toBe(repoId);
    const session = await createChatSession(store, repoId, '  What   does\nadd do?  ');
    expect(session.title).toBe('What does add do?');
    expect(await getChatSession(store, session.id)).toEqual(session);
    expect(await getChatSession(store, session.id + 1)).toBeUndefined();

    await recordChatExchange(store, session.id, 'What does add do?', {
      text: 'It adds [src/a.ts:1-2].',
      ...ANSWER,
    });
    const second = await recordChatExchange(store, session.id, 'And sub?', {
      text: 'I do not know.',
      ...ANSWER,
      citations: [],
      mode: 'unknown',
      model: null,
      repaired: false,
    });
    const messages = await listChatMessages(store, session.id);
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'What does add do?'],
      ['assistant', 'It adds [src/a.ts:1-2].'],
      ['user', 'And sub?'],
      ['assistant', 'I do not know.'],
    ]);
    expect(messages[1]).toMatchObject({ ...ANSWER, role: 'assistant' });
    expect(messages[3]).toEqual(second);
    await store.close();
  });

  it('scrubs keys from what it keeps', async () => {
    const store = await openStore(':memory:');
    const key = 'sk-proj-' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6';
    const session = await createChatSession(store, await repositoryIdOf(store, '/tmp/r'), 'q');
    await recordChatExchange(store, session.id, `is ${key} used?`, {
      text: `yes, ${key}`,
      ...ANSWER,
    });
    expect(JSON.stringify(await listChatMessages(store, session.id))).not.toContain(key);
    await store.close();
  });
});
