/*
 * A code-aware tokenizer for the codebase index: identifiers are split at camelCase, PascalCase,
 * snake_case, kebab-case and digit boundaries, and kept whole as well, so that `parseHTTPResponse2`
 * is found by "parse", "http", "response" and by "parsehttpresponse2". The index and the query go
 * through the same split; FTS5 (unicode61 + porter) then folds case and stems the parts.
 */

const WORD = /[\p{L}\p{N}_$]+/gu;
// Boundaries inside one word: lower->Upper, UPPER->Upper+lower (HTTPResponse), letter<->digit.
const PARTS = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+|\p{L}+/gu;

/** Pure: the parts of one identifier, lowercased (`parseHTTPResponse2` -> parse, http, response, 2). */
export function splitIdentifier(identifier: string): string[] {
  const parts: string[] = [];
  for (const piece of identifier.split(/[_$-]+/)) {
    for (const match of piece.matchAll(PARTS)) {
      parts.push(match[0].toLowerCase());
    }
  }
  return parts;
}

/**
 * Pure: the index tokens of a text: every word's parts, then the whole word (lowercased, without
 * `_` and `$`) when it has more than one part. The order follows the text.
 */
export function codeTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const parts = splitIdentifier(match[0]);
    tokens.push(...parts);
    if (parts.length > 1) tokens.push(parts.join(''));
  }
  return tokens;
}

/** Pure: `codeTokens` joined by spaces, the form the full-text index stores. */
export function indexText(text: string): string {
  return codeTokens(text).join(' ');
}

/** Common English words a query carries that say nothing about code. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being ' +
    'below between both but by can could did do does doing down during each few for from further ' +
    'had has have having he her here hers herself him himself his how i if in into is it its itself ' +
    'just me more most my myself no nor not now of off on once only or other our ours ourselves out ' +
    'over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which ' +
    'while who whom why will with would you your yours yourself yourselves given using via whether ' +
    'e g eg ie etc'
  ).split(' '),
);

/** Pure: the distinct tokens of a query, stopwords left out; empty when nothing is left. */
export function queryTokens(query: string): string[] {
  const kept = new Set<string>();
  for (const token of codeTokens(query)) if (!STOPWORDS.has(token)) kept.add(token);
  return [...kept];
}
