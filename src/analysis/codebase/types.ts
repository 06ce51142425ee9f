/*
 * The codebase index's data, as extracted from one file's source: pure data, no storage. The
 * pipeline (`pipeline/codebase/`) stores it (`store/code-index.ts`) and ranks it.
 */

export type SymbolKind =
  'function' | 'method' | 'class' | 'interface' | 'type' | 'enum' | 'variable';

/** One declaration of a file. */
export interface CodeSymbol {
  /** Repository-relative, `/`-separated. */
  file: string;
  name: string;
  /** `Class.method` for members, else the name. */
  qualifiedName: string;
  kind: SymbolKind;
  /** Reachable from outside its module (exported itself, or a public member of an exported class). */
  exported: boolean;
  /** The declaration as a caller sees it, cut at its body, one line (at most 240 characters). */
  signature: string;
  /** The doc comment's text without comment markers; '' when there is none. */
  doc: string;
  /** 1-based, inclusive: the declaration itself, its doc comment excluded. */
  startLine: number;
  endLine: number;
  /** Distinct identifiers the declaration's body uses: the reference graph's raw material. */
  references: string[];
}

/** One import declaration (or `export ... from`, or `require` of a literal). */
export interface FileImport {
  specifier: string;
  /** What it binds: `{ imported: 'default' | '*' | name, local }`. */
  names: { imported: string; local: string }[];
  typeOnly: boolean;
}

/** Everything the index keeps of one file. */
export interface FileSymbols {
  file: string;
  /** Identifies the content: the git blob id when read from a commit, else sha256 of the text. */
  hash: string;
  /** A test file (by the repository's test patterns or convention). */
  isTest: boolean;
  lines: number;
  symbols: CodeSymbol[];
  imports: FileImport[];
  /** Names the module exports, re-exports included. */
  exports: string[];
}

/** A `[path:start-end]` reference in a text, as written. */
export interface Citation {
  file: string;
  startLine: number;
  endLine: number;
  /** Where it appears in the text (offset of `[`), to mark it. */
  index: number;
  /** Code the text quotes next to the citation (a fenced block right after it), if any. */
  quoted?: string;
}

/** A citation after checking it against the indexed commit. */
export type CheckedCitation = Citation &
  (
    | { ok: true }
    | { ok: false; reason: 'no-file' | 'out-of-range' | 'quote-mismatch'; detail: string }
  );
