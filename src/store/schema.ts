import type { Generated } from 'kysely';
import type { Category, Fixability, Grade, Lang, Severity } from '../core/index.js';

/*
 * Row types of the store, as the database holds them. Timestamps are ISO-8601 UTC text, booleans are
 * 0/1 integers and structured values are JSON text, so the same queries run on SQLite and PostgreSQL.
 */

export interface RepositoriesTable {
  id: Generated<number>;
  /** Absolute path of the scanned folder. */
  root: string;
  name: string;
  created_at: string;
}

export interface ScansTable {
  id: Generated<number>;
  repository_id: number;
  commit: string | null;
  branch: string | null;
  dirty: number;
  started_at: string;
  duration_ms: number;
  since: string | null;
  score: number;
  grade: Grade;
  /** JSON object: score component name -> value. */
  components: string;
  files: number;
  findings: number;
  debt_minutes: number;
  tool_version: string;
  gate_passed: number;
}

export interface FileResultsTable {
  id: Generated<number>;
  scan_id: number;
  path: string;
  hash: string;
  lang: Lang;
  /** JSON `FileMetrics`. */
  metrics: string;
  score: number;
  grade: Grade;
  parse_error: string | null;
}

export interface FindingsTable {
  id: Generated<number>;
  scan_id: number;
  rule_id: string;
  category: Category;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  message: string;
  effort_minutes: number;
  fixability: Fixability;
}

export interface HotspotsTable {
  id: Generated<number>;
  scan_id: number;
  file: string;
  changes: number;
  complexity: number;
  risk: number;
}

export interface FileCacheTable {
  /** Content hash + analyzer version + rules fingerprint, computed by the caller. */
  key: string;
  /** JSON value. */
  value: string;
  created_at: string;
  last_used_at: string;
}

/** The tables of the store, for `Kysely<Database>`. */
export interface Database {
  repositories: RepositoriesTable;
  scans: ScansTable;
  file_results: FileResultsTable;
  findings: FindingsTable;
  hotspots: HotspotsTable;
  file_cache: FileCacheTable;
}
