import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The dashboard's session cookie: a random id, never the API token. */
export const SESSION_COOKIE = 'beast_session';

/** A browser's login, kept in memory by the server. */
export interface Session {
  /** Sent by the page in `X-CSRF-Token` with every mutating request. */
  readonly csrfToken: string;
  /** Milliseconds since the epoch when it ends unless used again. */
  expiresAt: number;
}

/** The server's sessions; ids are looked up by their hash, so a lookup leaks nothing by timing. */
export interface SessionStore {
  /** How long a session lives without a request. */
  readonly idleMs: number;
  /** A new session and its id, the cookie's value. */
  create(): { id: string; session: Session };
  /** The live session with this id, its idle time restarted; undefined if unknown or expired. */
  touch(id: string): Session | undefined;
  /** Ends the session; unknown ids are ignored. */
  remove(id: string): void;
}

export interface SessionStoreOptions {
  /** Default 12 hours. */
  idleMs?: number;
  /** At most this many at once; the least recently used goes first. Default 1,000. */
  max?: number;
  /** The clock, for tests of expiry. */
  now?: () => number;
}

const key = (id: string): string => createHash('sha256').update(id).digest('base64url');

/** Sessions in memory: a restart of the server logs every browser out. */
export function createSessionStore(options: SessionStoreOptions = {}): SessionStore {
  const idleMs = options.idleMs ?? 12 * 60 * 60 * 1000;
  const max = options.max ?? 1000;
  const now = options.now ?? Date.now;
  // A Map keeps insertion order: re-inserting on use makes the first entry the least recently used.
  const sessions = new Map<string, Session>();

  const sweep = (): void => {
    const time = now();
    for (const [k, session] of sessions) if (session.expiresAt <= time) sessions.delete(k);
    while (sessions.size >= max) {
      const oldest = sessions.keys().next();
      if (oldest.done === true) break;
      sessions.delete(oldest.value);
    }
  };

  return {
    idleMs,
    create() {
      sweep();
      const id = randomBytes(32).toString('base64url');
      const session = {
        csrfToken: randomBytes(32).toString('base64url'),
        expiresAt: now() + idleMs,
      };
      sessions.set(key(id), session);
      return { id, session };
    },
    touch(id) {
      const k = key(id);
      const session = sessions.get(k);
      if (!session) return undefined;
      sessions.delete(k);
      if (session.expiresAt <= now()) return undefined;
      session.expiresAt = now() + idleMs;
      sessions.set(k, session);
      return session;
    },
    remove(id) {
      sessions.delete(key(id));
    },
  };
}

/** Equal strings, compared in constant time (of their hashes, which have equal lengths). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
