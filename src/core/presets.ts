import type { ConfigFile } from './config.js';

/**
 * The built-in presets `extends` may name, as config files: the one place they are defined.
 * `beast:recommended` is the defaults, named so a config can say it starts from them;
 * `beast:strict` switches the opt-in rules on and tightens the size and complexity thresholds.
 */
export const PRESETS: Readonly<Record<string, ConfigFile>> = {
  'beast:recommended': {},
  'beast:strict': {
    rules: {
      'no-console': 'on',
      'no-magic-numbers': 'on',
      'cognitive-complexity': { options: { threshold: 10 } },
      'cyclomatic-complexity': { options: { threshold: 8 } },
      'max-nesting-depth': { options: { threshold: 3 } },
      'max-nested-callbacks': { options: { threshold: 3 } },
      'max-function-lines': { options: { threshold: 50 } },
      'max-file-lines': { options: { threshold: 400 } },
      'max-params': { options: { threshold: 3 } },
      'unused-variable': { options: { params: 'after-used' } },
    },
    overrides: [
      // Tests repeat literals and print on purpose.
      {
        files: ['**/*.{test,spec}.*', '**/{test,tests,__tests__}/**'],
        rules: { 'no-magic-numbers': 'off', 'no-console': 'off' },
      },
    ],
  },
};
