import { rememberSecrets } from './redact.js';

type Env = Record<string, string | undefined>;

/** Name parts that mark a variable as a credential: `OPENAI_API_KEY`, `GH_TOKEN`, `DB_PASSWORD`. */
const SECRET_PARTS = new Set([
  'KEY',
  'APIKEY',
  'TOKEN',
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'CREDENTIAL',
  'CREDENTIALS',
  'AUTH',
  'COOKIE',
  'PAT',
  'PRIVATE',
  'DSN',
]);
const SECRET_SUFFIX = /(KEY|TOKEN|SECRET|PASSWORD)$/;

/** Values taken out of each environment object, keyed by that object. */
const held = new WeakMap<object, Map<string, string>>();

/**
 * Whether a variable's name says it holds a credential. `SSH_AUTH_SOCK` (a socket path git may
 * need) and `GIT_AUTHOR_*` are not.
 */
export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper.endsWith('_SOCK')) return false;
  return SECRET_SUFFIX.test(upper) || upper.split(/[^A-Z0-9]+/).some((p) => SECRET_PARTS.has(p));
}

/**
 * Moves the credentials out of `env` (secret-looking names and `extra`) into memory, where
 * `readSecret(env, name)` still finds them: child processes spawned with `env` or a copy of it
 * then never inherit them. This does not erase the block the process was started with, which
 * `/proc/<pid>/environ` keeps showing: only a sandbox hides that. The values are remembered for
 * `redactSecrets`. Returns the names moved.
 */
export function holdSecrets(env: Env, extra: readonly string[] = []): string[] {
  let store = held.get(env);
  if (store === undefined) {
    store = new Map();
    held.set(env, store);
  }
  const moved: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !(isSecretName(name) || extra.includes(name))) continue;
    store.set(name, value);
    delete env[name];
    moved.push(name);
  }
  // Whatever turns up holding one of these values (an answer, an error) is scrubbed before storing.
  rememberSecrets(store.values());
  return moved;
}

/** `env[name]`, or the value `holdSecrets` took out of that same object. */
export function readSecret(env: Readonly<Env>, name: string): string | undefined {
  return env[name] ?? held.get(env)?.get(name);
}

/**
 * A copy of `env` with the held credentials back in: for handing the environment to a worker
 * thread, which cannot see this thread's memory.
 */
export function withSecrets(env: Readonly<Env>): Env {
  return { ...Object.fromEntries(held.get(env) ?? []), ...env };
}
