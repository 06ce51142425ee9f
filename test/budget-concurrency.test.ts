import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore, spendOnDay, utcDay } from '../src/store/index.js';
import { runReleasedTogether } from './helpers/processes.js';

const RESERVER = fileURLToPath(new URL('helpers/spend-reserver.ts', import.meta.url));
const LIMIT = 0.5;

describe('a daily budget shared by concurrent processes', () => {
  it('is never exceeded, however the reservations interleave', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beast-budget-'));
    const file = join(dir, 'beast.db');
    // Migrate first, so the children race on reservations only.
    await (await openStore(file)).close();
    const results = await runReleasedTogether(
      RESERVER,
      [0, 1, 2, 3].map((worker) => [file, String(worker), String(LIMIT)]),
    );
    for (const r of results) expect(r.stderr, r.stdout).toBe('');
    const lines = results.map(
      (r) =>
        JSON.parse(r.stdout.split('\n').filter(Boolean).at(-1) ?? '{}') as {
          reserved: number;
          refused: number;
        },
    );
    // Each was refused in the end: the budget, not the loop, stopped them.
    expect(lines.every((l) => l.refused > 0)).toBe(true);
    const store = await openStore(file);
    try {
      const day = await spendOnDay(store, utcDay(new Date()));
      // Every call cost its full reservation, so one admitted past the limit would show here; and
      // they stopped only when the next call could not fit (reservations are at most $0.019).
      const rows = await store.db.selectFrom('model_calls').select(['cost_usd']).execute();
      expect(rows.length).toBe(lines.reduce((n, l) => n + l.reserved, 0));
      expect(day.totalUsd).toBeLessThanOrEqual(LIMIT + 1e-9);
      expect(day.totalUsd).toBeGreaterThan(LIMIT - 0.02);
    } finally {
      await store.close();
    }
  }, 120_000);
});
