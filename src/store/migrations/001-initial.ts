import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/*
 * Migrations take `Kysely<unknown>`: they describe the schema as it was when they were written and
 * must not follow later changes to the row types in ../schema.ts.
 */

/**
 * Surrogate key. On SQLite an INTEGER PRIMARY KEY is the rowid; AUTOINCREMENT keeps ids of deleted
 * rows from being reused. This is the one line a PostgreSQL target changes, to
 * `col.generatedByDefaultAsIdentity().primaryKey()`.
 */
function id(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder {
  return col.primaryKey().autoIncrement();
}

function scanRef(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder {
  return col.notNull().references('scans.id').onDelete('cascade');
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('repositories')
    .addColumn('id', 'integer', id)
    .addColumn('root', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('scans')
    .addColumn('id', 'integer', id)
    .addColumn('repository_id', 'integer', (col) =>
      col.notNull().references('repositories.id').onDelete('cascade'),
    )
    .addColumn('commit', 'text')
    .addColumn('branch', 'text')
    .addColumn('dirty', 'integer', (col) => col.notNull())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('duration_ms', 'double precision', (col) => col.notNull())
    .addColumn('since', 'text')
    .addColumn('score', 'double precision', (col) => col.notNull())
    .addColumn('grade', 'text', (col) => col.notNull())
    .addColumn('components', 'text', (col) => col.notNull())
    .addColumn('files', 'integer', (col) => col.notNull())
    .addColumn('findings', 'integer', (col) => col.notNull())
    .addColumn('debt_minutes', 'double precision', (col) => col.notNull())
    .addColumn('tool_version', 'text', (col) => col.notNull())
    .addColumn('gate_passed', 'integer', (col) => col.notNull())
    .execute();
  // listScans, latestScan and scoreTrend: one repository, newest first.
  await db.schema
    .createIndex('scans_repository_started')
    .on('scans')
    .columns(['repository_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('file_results')
    .addColumn('id', 'integer', id)
    .addColumn('scan_id', 'integer', scanRef)
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .addColumn('lang', 'text', (col) => col.notNull())
    .addColumn('metrics', 'text', (col) => col.notNull())
    .addColumn('score', 'double precision', (col) => col.notNull())
    .addColumn('grade', 'text', (col) => col.notNull())
    .addColumn('parse_error', 'text')
    .execute();
  await db.schema
    .createIndex('file_results_scan_path')
    .on('file_results')
    .columns(['scan_id', 'path'])
    .unique()
    .execute();

  await db.schema
    .createTable('findings')
    .addColumn('id', 'integer', id)
    .addColumn('scan_id', 'integer', scanRef)
    .addColumn('rule_id', 'text', (col) => col.notNull())
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('severity', 'text', (col) => col.notNull())
    .addColumn('file', 'text', (col) => col.notNull())
    .addColumn('line', 'integer', (col) => col.notNull())
    .addColumn('column', 'integer', (col) => col.notNull())
    .addColumn('end_line', 'integer', (col) => col.notNull())
    .addColumn('end_column', 'integer', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('effort_minutes', 'double precision', (col) => col.notNull())
    .addColumn('fixability', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('findings_scan').on('findings').column('scan_id').execute();

  await db.schema
    .createTable('hotspots')
    .addColumn('id', 'integer', id)
    .addColumn('scan_id', 'integer', scanRef)
    .addColumn('file', 'text', (col) => col.notNull())
    .addColumn('changes', 'integer', (col) => col.notNull())
    .addColumn('complexity', 'double precision', (col) => col.notNull())
    .addColumn('risk', 'double precision', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('hotspots_scan').on('hotspots').column('scan_id').execute();

  await db.schema
    .createTable('file_cache')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('last_used_at', 'text', (col) => col.notNull())
    .execute();
  // pruneCache deletes by age.
  await db.schema
    .createIndex('file_cache_last_used')
    .on('file_cache')
    .column('last_used_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'file_cache',
    'hotspots',
    'findings',
    'file_results',
    'scans',
    'repositories',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
