import type { Finding } from '../core/index.js';
import { compareByLocation } from './formats/shared.js';
import { sha256 } from './sources.js';

/**
 * The name of the fingerprint recipe below: SARIF's `partialFingerprints` key, and what a
 * baseline file's version stands for. Bump it whenever the recipe changes, as every fingerprint
 * computed before then stops matching.
 */
export const FINGERPRINT_KEY = 'beastFindingHash/v2';

/**
 * A finding's message with every run of digits replaced by `#`. Numbers in messages are the
 * positions, sizes and counts that change as code is edited around a finding ("already imported
 * on line 3", "Lines 10-24 duplicate b.ts:40-54", "cognitive complexity 23"), none of which
 * makes it another finding.
 */
export function stableMessage(message: string): string {
  return message.replace(/\d+/g, '#');
}

/**
 * One fingerprint per finding, in the order given: the sha256 of rule id, file, message with its
 * numbers erased (`stableMessage`), and occurrence index (the how-many-th finding with that same
 * rule, file and message, counting in line order). The line is deliberately left out, so a
 * finding keeps its identity when code above it moves, and so are function and variable names
 * other than its own. Pure: the content of the line would be better still, but this reads no files.
 *
 * Findings that share rule, file and message are told apart by their order only: adding one
 * above the others gives the new fingerprint to the last of them.
 */
export function fingerprintFindings(findings: readonly Finding[]): string[] {
  const order = findings.map((_, index) => index);
  order.sort((a, b) => compareByLocation(findings[a]!, findings[b]!) || a - b);
  const seen = new Map<string, number>();
  const prints = new Array<string>(findings.length);
  for (const index of order) {
    const finding = findings[index]!;
    const identity = [finding.ruleId, finding.file, stableMessage(finding.message)].join('\0');
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    prints[index] = sha256(`${identity}\0${occurrence}`);
  }
  return prints;
}
