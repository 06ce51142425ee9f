import type { RuleMeta } from '../../core/index.js';

/** Not a visitor: the scanner reports this itself when a file does not parse. */
export const PARSE_ERROR_META: RuleMeta = {
  id: 'parse-error',
  category: 'parse',
  severity: 'blocker',
  effortMinutes: 15,
  fixability: 'none',
  description: 'The file cannot be parsed, so nothing else in it was analysed.',
  docs: 'A syntax error hides every other finding in the file and usually breaks the build or the runtime. Fix the syntax error; the rest of the repository is still scanned and scored.',
};
