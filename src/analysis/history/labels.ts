import { InputError } from '../../core/index.js';
import type { HistoryCommit } from './types.js';

/**
 * Commit subjects that mark a bug fix: the words fix, bug, defect, regression, hotfix and
 * references that close an issue ("fixes #12", "closes #12", "issue 12"). A bare "(#123)" is not
 * one: many projects append the pull-request number to every subject.
 */
export const DEFAULT_FIX_PATTERNS: readonly string[] = [
  '\\b(?:bug ?)?fix(?:e[sd]|ing)?\\b',
  '\\bhotfix',
  '\\bbugs?\\b',
  '\\bdefects?\\b',
  '\\bregress(?:ion|ed)?\\b',
  '\\b(?:close[sd]?|resolve[sd]?)\\s+#\\d+',
  '\\bissue\\s*#?\\d+',
];

/** Pure: a predicate telling bug-fix commits by their message. */
export function createFixMatcher(
  patterns: readonly string[] = DEFAULT_FIX_PATTERNS,
): (commit: Pick<HistoryCommit, 'subject'>) => boolean {
  const compiled = patterns.map((pattern) => {
    try {
      return new RegExp(pattern, 'i');
    } catch (error) {
      throw new InputError(`invalid bug-fix pattern "${pattern}"`, { cause: error });
    }
  });
  return (commit) => compiled.some((re) => re.test(commit.subject));
}
