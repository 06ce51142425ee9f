import { ValidationError } from '../../../core/index.js';
import type { Exploration, ExploreOptions } from './types.js';

/**
 * Calls the exports of one module in a sandboxed child process (time limit, temporary cwd and
 * HOME, no network, the test environment), feedback-directed: inputs that reach new statements or
 * branches are kept and reused. Never throws for what the module does; a module that does not load
 * gives an exploration with every export skipped and the reason.
 */
export function exploreModule(options: ExploreOptions): Promise<Exploration> {
  void options;
  return Promise.reject(new ValidationError('exploreModule: not built yet'));
}
