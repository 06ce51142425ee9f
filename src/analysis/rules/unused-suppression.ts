import type { RepositoryRule } from './types.js';

/**
 * Reports `beast-disable*` comments that suppress nothing, as ESLint's
 * `--report-unused-disable-directives` does. Which comment suppressed which finding is known only
 * once every other rule, repository rules included, has reported: so the suppression pass
 * (`applySuppressions` in ../suppressions.ts) makes its findings after all rules ran, and `check`
 * has nothing to do. Registered as a rule so that config can set its severity or turn it off.
 */
export const unusedSuppression: RepositoryRule = {
  kind: 'repository',
  meta: {
    id: 'unused-suppression',
    category: 'maintainability',
    severity: 'info',
    effortMinutes: 1,
    fixability: 'none',
    description:
      'A beast-disable comment suppresses no finding, names an unknown rule, or is written where it has no effect.',
    docs: 'A suppression that suppresses nothing hides the next real finding on its lines and tells readers a problem is there when it is not. Delete the comment, or correct the rule id it names (`beast rules` lists them). Only `beast-disable*` comments are checked: an `eslint-disable` comment may be there for the rules of ESLint itself.',
  },
  check() {
    // Its findings come from the suppression pass: see above.
  },
};
