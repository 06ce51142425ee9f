/**
 * What the exploring parent and its child process say to each other: the child gets one
 * `ChildConfig` as JSON on its standard input and appends `ChildEvent`s, one JSON a line, to
 * `outFile`. Types only: the child script imports nothing at run time but Node's own modules.
 */
import type { CallSite, Expression, Outcome } from './types.js';

/** A coverage key of the executed script: reached when the count at `at` is above that at `minus`. */
export interface KeyProbe {
  key: string;
  /** Offset in the executed source text. */
  at: number;
  /** An implicit `else`: reached when the `if` ran more often than its `then`. */
  minus?: number;
}

/** Candidate inputs of one function, from the code (types, literals, examples). */
export interface FunctionPlan {
  /** Candidates per declared parameter, most promising first. */
  params: Expression[][];
  /** Declared parameter count (rest parameters count one). */
  arity: number;
  /** Whole argument lists seen in examples, tests or README snippets. */
  examples: Expression[][];
}

export interface ChildConfig {
  mode: 'explore' | 'replay';
  /** Absolute path of the module. */
  file: string;
  /** `require` for CommonJS, `import` otherwise. */
  load: 'require' | 'import';
  /** The folder the module's calls run in (temporary). */
  cwd: string;
  outFile: string;
  /** The loader hook (TypeScript files), when the module or what it imports needs it. */
  loaderUrl?: string;
  loaderData?: LoaderData;
  /** Coverage keys of the module's executed text. */
  keys: KeyProbe[];
  /** Stop once these keys are reached. */
  targetKeys?: string[];
  /** Keys reached before (by an earlier child of the same exploration). */
  covered: string[];
  /** Plans by function name (`parse`, `Parser.parse`, `default`). */
  plans: Record<string, FunctionPlan>;
  /** Candidates for any parameter: literals of the file and the default pool. */
  common: Expression[];
  exports?: string[];
  seed: number;
  maxCalls: number;
  /** Calls tried before this child (a restart continues the count). */
  triedBefore: number;
  budgetMs: number;
  callTimeoutMs: number;
  /** Targets (`name` or `name.member`) not to call again, with how often they timed out. */
  banned: string[];
  /** Calls (as JSON) that hung or crashed a child: not tried again. */
  poison: string[];
  /** For `replay`: the calls to run, in order. */
  replay?: CallSite[];
}

export interface LoaderData {
  /** Absolute path of TypeScript's main file. */
  typescript: string;
  /** Executed text of files, by file URL (the target's own, keyed by the parent). */
  sources: Record<string, string>;
}

export type ChildEvent =
  | {
      type: 'loaded';
      loadKeys: string[];
      skipped: { exportName: string; reason: string }[];
      /** `require` gave a module with `__esModule` set: its default is `.default`. */
      esModule?: boolean;
    }
  | { type: 'load-error'; message: string }
  | { type: 'call'; call: CallSite; outcome: Outcome; keys: string[]; exited?: number }
  | { type: 'exit'; call: CallSite; code: number }
  | { type: 'progress'; tried: number }
  | { type: 'replayed'; index: number; outcome: Outcome }
  | { type: 'done'; tried: number };

/** The call running now, written before each call so that a parent can blame a hang on it. */
export interface CurrentCall {
  target: string;
  call: CallSite;
  tried: number;
}
