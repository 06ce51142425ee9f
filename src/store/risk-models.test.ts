import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './db.js';
import { latestRiskModel, saveRiskModel, type RiskModelRecord } from './risk-models.js';

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

const record: RiskModelRecord = {
  name: 'quality:defect-risk',
  commit: 'abc',
  kind: 'gbt',
  labelling: 'szz',
  trainedFrom: '2025-01-01T00:00:00.000Z',
  trainedTo: '2025-06-01T00:00:00.000Z',
  features: ['lines', 'commits_total'],
  metrics: { model: { auc: 0.8 } },
  model: { bias: -1, trees: [] },
};

describe('risk models', () => {
  it('stores versions per repository and returns the newest', async () => {
    expect(await latestRiskModel(store, '/r', record.name)).toBeUndefined();
    expect(await saveRiskModel(store, '/r', record)).toMatchObject({ version: 1 });
    expect(await saveRiskModel(store, '/r', { ...record, kind: 'heuristic' })).toMatchObject({
      version: 2,
    });
    expect(await saveRiskModel(store, '/other', record)).toMatchObject({ version: 1 });
    const latest = await latestRiskModel(store, '/r', record.name);
    expect(latest).toMatchObject({ ...record, kind: 'heuristic', version: 2 });
    expect(latest?.createdAt).toMatch(/^\d{4}-/);
    expect(await latestRiskModel(store, '/r', 'quality:other')).toBeUndefined();
  });

  it('keeps undefined optional fields undefined', async () => {
    await saveRiskModel(store, '/r', {
      ...record,
      commit: undefined,
      trainedFrom: undefined,
      trainedTo: undefined,
    });
    const latest = await latestRiskModel(store, '/r', record.name);
    expect(latest?.commit).toBeUndefined();
    expect(latest?.trainedFrom).toBeUndefined();
  });
});
