import type { Selectable } from 'kysely';
import type { Store } from './db.js';
import type { RiskModelsTable } from './schema.js';
import { ensureRepository } from './scans.js';

/** A defect-risk model as the store keeps it; the model and its metrics are opaque JSON here. */
export interface RiskModelRecord {
  name: string;
  commit: string | undefined;
  kind: string;
  labelling: string;
  /** ISO times of the first and last snapshot the model learned from. */
  trainedFrom: string | undefined;
  trainedTo: string | undefined;
  features: string[];
  metrics: unknown;
  model: unknown;
}

/** A stored model with its id, version and time of training. */
export interface StoredRiskModel extends RiskModelRecord {
  id: number;
  version: number;
  createdAt: string;
}

/**
 * Stores a newly trained model for the repository at `root` as the next version of its name.
 *
 * @returns the new row's id and version.
 */
export async function saveRiskModel(
  store: Store,
  root: string,
  record: RiskModelRecord,
): Promise<{ id: number; version: number }> {
  return store.db.transaction().execute(async (trx) => {
    const repositoryId = await ensureRepository(trx, root);
    const last = await trx
      .selectFrom('risk_models')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('repository_id', '=', repositoryId)
      .where('name', '=', record.name)
      .executeTakeFirst();
    const version = (last?.version ?? 0) + 1;
    const { id } = await trx
      .insertInto('risk_models')
      .values({
        repository_id: repositoryId,
        name: record.name,
        version,
        created_at: new Date().toISOString(),
        commit: record.commit ?? null,
        kind: record.kind,
        labelling: record.labelling,
        trained_from: record.trainedFrom ?? null,
        trained_to: record.trainedTo ?? null,
        features: JSON.stringify(record.features),
        metrics: JSON.stringify(record.metrics),
        model: JSON.stringify(record.model),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, version };
  });
}

function fromRow(row: Selectable<RiskModelsTable>): StoredRiskModel {
  return {
    id: row.id,
    version: row.version,
    createdAt: row.created_at,
    name: row.name,
    commit: row.commit ?? undefined,
    kind: row.kind,
    labelling: row.labelling,
    trainedFrom: row.trained_from ?? undefined,
    trainedTo: row.trained_to ?? undefined,
    features: JSON.parse(row.features) as string[],
    metrics: JSON.parse(row.metrics) as unknown,
    model: JSON.parse(row.model) as unknown,
  };
}

/** The newest version of the named model for the repository at `root`, if any. */
export async function latestRiskModel(
  store: Store,
  root: string,
  name: string,
): Promise<StoredRiskModel | undefined> {
  const row = await store.db
    .selectFrom('risk_models')
    .innerJoin('repositories', 'repositories.id', 'risk_models.repository_id')
    .selectAll('risk_models')
    .where('repositories.root', '=', root)
    .where('risk_models.name', '=', name)
    .orderBy('risk_models.version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}
