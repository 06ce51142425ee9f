/**
 * Scrubbing secrets from anything that is stored or shown: well-known key shapes, and the values
 * of the keys this process was configured with. A scrubbed secret becomes `[REDACTED:<kind>]`,
 * which holds no quote or backslash, so scrubbing JSON text leaves it valid JSON.
 */

/** One shape of secret: what it is called in the placeholder and how to find it. */
export interface SecretPattern {
  kind: string;
  /** Global; when it has a `keep` group, only the text after that group is replaced. */
  pattern: RegExp;
}

/** No letter, digit, `_` or `-` right before: a key shape starts a token, never inside a word. */
const START = String.raw`(?<![A-Za-z0-9_-])`;

/**
 * Key shapes, most specific first (an Anthropic key also starts with `sk-`). Lengths are the
 * vendors' documented minimums or less, so a shortened key is still caught.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'private-key',
    pattern:
      /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END \1PRIVATE KEY\2-----/g,
  },
  { kind: 'anthropic-key', pattern: new RegExp(`${START}sk-ant-[A-Za-z0-9_-]{16,}`, 'g') },
  {
    kind: 'openai-key',
    pattern: new RegExp(`${START}sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}`, 'g'),
  },
  { kind: 'stripe-key', pattern: new RegExp(`${START}[sr]k_(?:live|test)_[A-Za-z0-9]{16,}`, 'g') },
  { kind: 'github-token', pattern: new RegExp(`${START}gh[pousr]_[A-Za-z0-9]{30,}`, 'g') },
  { kind: 'github-token', pattern: new RegExp(`${START}github_pat_[A-Za-z0-9_]{22,}`, 'g') },
  { kind: 'gitlab-token', pattern: new RegExp(`${START}glpat-[A-Za-z0-9_-]{20,}`, 'g') },
  { kind: 'aws-access-key', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g },
  {
    kind: 'aws-secret-key',
    pattern: /(?<keep>aws_secret_access_key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/gi,
  },
  { kind: 'slack-token', pattern: new RegExp(`${START}xox[abposr]-[A-Za-z0-9-]{10,}`, 'g') },
  { kind: 'google-api-key', pattern: new RegExp(`${START}AIza[A-Za-z0-9_-]{35}`, 'g') },
  { kind: 'huggingface-token', pattern: new RegExp(`${START}hf_[A-Za-z0-9]{30,}`, 'g') },
  { kind: 'npm-token', pattern: new RegExp(`${START}npm_[A-Za-z0-9]{36}`, 'g') },
  {
    kind: 'jwt',
    pattern: new RegExp(
      `${START}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}`,
      'g',
    ),
  },
  {
    kind: 'bearer-token',
    pattern: /(?<keep>\bBearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g,
  },
];

/** Shorter values are too likely to be ordinary words to replace everywhere. */
const MIN_SECRET_LENGTH = 8;

const knownSecrets = new Set<string>();

/**
 * Remembers the values of keys this process was configured with, so that every later
 * `redactSecrets` removes them wherever they turn up: in an answer that echoes one, in a prompt
 * built from code that holds one, in an error message. Values too short to be keys are ignored.
 */
export function rememberSecrets(values: Iterable<string | undefined>): void {
  for (const value of values) {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) knownSecrets.add(value);
  }
}

/** The forms a value takes in text: as is, and as written inside a JSON string. */
function spellings(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped === value ? [value] : [value, escaped];
}

/**
 * `text` with every remembered key value and every known key shape replaced by
 * `[REDACTED:<kind>]`; `extra` values are scrubbed as configured keys are.
 */
export function redactSecrets(text: string, extra: readonly string[] = []): string {
  return redact(text, extra, false);
}

/**
 * `redactSecrets` that keeps the text's lines where they are: a redacted span that crossed lines (a
 * private key block) keeps its line breaks, so line numbers of code stored redacted still hold.
 */
export function redactSecretsKeepingLines(text: string): string {
  return redact(text, [], true);
}

function redact(text: string, extra: readonly string[], keepLines: boolean): string {
  let result = text;
  const values = [...knownSecrets, ...extra.filter((v) => v.length >= MIN_SECRET_LENGTH)];
  // Longest first, so a key that contains another is replaced whole.
  values.sort((a, b) => b.length - a.length);
  for (const value of values) {
    for (const spelling of spellings(value)) {
      if (result.includes(spelling)) result = result.split(spelling).join('[REDACTED:api-key]');
    }
  }
  for (const { kind, pattern } of SECRET_PATTERNS) {
    result = result.replace(pattern, (...args: unknown[]) => {
      const groups = args.at(-1) as Record<string, string | undefined> | undefined;
      const keep = typeof groups === 'object' ? (groups.keep ?? '') : '';
      const breaks = keepLines ? '\n'.repeat(String(args[0]).split('\n').length - 1) : '';
      return `${keep}[REDACTED:${kind}]${breaks}`;
    });
  }
  return result;
}

/** `redactSecrets` for an optional value: undefined and null pass through. */
export function redactOptional<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' ? redactSecrets(text) : text) as T;
}
