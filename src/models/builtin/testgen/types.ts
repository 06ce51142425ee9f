/**
 * The offline test generator (`builtin:testgen`), in two halves that meet here:
 * `explore.ts` calls a module's exports in a sandboxed child process with inputs drawn from the
 * code (types, literals, comparisons, JSDoc examples, existing tests), keeping the calls that reach
 * new code (feedback-directed, as Randoop and Nessie do); `emit.ts` turns the observed calls into a
 * characterisation test in the repository's style, minimised to the calls that add coverage.
 */

/** One JavaScript expression, as source text the generated test writes (`[1, 'a']`, `(x) => x`). */
export type Expression = string;

/** What a generated test calls. */
export interface CallSite {
  /** The export called or constructed: its name, or `default`. */
  exportName: string;
  /** `function`: `f(args)`; `constructor`: `new C(args)`; `method`: `new C(ctor).m(args)`; `static`: `C.m(args)`. */
  kind: 'function' | 'constructor' | 'method' | 'static';
  /** The method's name, for `method` and `static`. */
  member?: string;
  /** For `method`: the constructor's arguments. */
  constructorArgs?: Expression[];
  /** For `method`: calls made on the same instance first, in order (a call sequence). */
  before?: { member: string; args: Expression[] }[];
  args: Expression[];
}

/** What a call did, as observed. */
export type Outcome =
  | {
      kind: 'return';
      /**
       * The value as an expression a deep-equality assertion can compare with (`{ a: [1, 2] }`);
       * undefined when it cannot be written (a function, a class instance with hidden state): the
       * test then asserts `typeOf` and whatever could be written of it.
       */
      value: Expression | undefined;
      /** `typeof` of the value, or `array`, `null`, a class name (`Map`, `Date`, `Foo`). */
      typeOf: string;
      /** The call returned a promise, and this is what it resolved to. */
      async: boolean;
    }
  | {
      kind: 'throw';
      /** The error's constructor name (`TypeError`), or `typeof` of a thrown non-error. */
      name: string;
      message: string;
      /** The promise rejected rather than the call throwing. */
      async: boolean;
    };

/** One call, what it did and what code it reached. */
export interface ObservedCall {
  call: CallSite;
  outcome: Outcome;
  /**
   * Coverage keys this call reached (a key names a statement or a branch arm of the target file,
   * e.g. `s:120` or `b:88:1`); the emitter minimises over them.
   */
  keys: string[];
  /**
   * Whether the call is safe to pin: the same outcome when repeated, and under another time zone
   * and locale. Calls that are not are dropped or asserted only by type.
   */
  deterministic: boolean;
}

/** What exploring one module found. */
export interface Exploration {
  /** The source file, relative to the root. */
  file: string;
  /** Calls kept because they reached new code, in the order they were found. */
  calls: ObservedCall[];
  /** Every coverage key of the file, and how many the kept calls reach. */
  totalKeys: number;
  coveredKeys: number;
  /** Exports not called, with the reason (`not a function`, `module did not load: ...`). */
  skipped: { exportName: string; reason: string }[];
  /**
   * A CommonJS module compiled from ES modules (`exports.__esModule`): its default export is
   * `require(...).default`, not `module.exports` itself.
   */
  esModuleInterop?: boolean;
  /** Calls tried in all, and how long the exploration took. */
  tried: number;
  durationMs: number;
}

export interface ExploreOptions {
  /** Repository (or worktree) root; the module is loaded from here. */
  root: string;
  /** The module to explore, root-relative. */
  file: string;
  /** Only these exports; all when absent. */
  exports?: readonly string[];
  /** Lines to aim at (uncovered by the existing suite): exploration stops early once all are reached. */
  targetLines?: readonly number[];
  /** Wall-clock budget of the whole exploration, and per call. */
  timeoutMs: number;
  callTimeoutMs?: number;
  /** Most calls to try. */
  maxCalls?: number;
  /** Seed of the random choices, so a run can be repeated. */
  seed?: number;
  /** The Node binary to run the child with; ours by default. */
  node?: string;
  signal?: AbortSignal;
}
