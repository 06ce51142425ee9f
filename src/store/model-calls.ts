import { redactOptional, type ModelCallResult } from '../core/index.js';
import type { ExpressionBuilder } from 'kysely';
import { chunkRows } from './batch.js';
import type { Store } from './db.js';
import type { Database } from './schema.js';

/** One provider call, as the cost ledger keeps it. Never holds a key or a prompt. */
export interface ModelCallRecord extends ModelCallResult {
  at: Date;
  /** The model id that was asked (`custom:fast`). */
  model: string;
  /** The deployment that served or failed the call. */
  deployment: string;
  /** What per-provider budgets and rate limits key on: `openai`, `custom:local`, ... */
  provider: string;
  task?: string;
  ruleId?: string;
  runId?: string;
}

/** The UTC day of a time, `YYYY-MM-DD`: what daily budgets sum over. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * A row's cost as budgets count it: a negative cost (recorded before usage was checked) counts as
 * nothing, so it can never make room for more calls.
 */
function chargeable(eb: ExpressionBuilder<Database, 'model_calls'>) {
  return eb.case().when('cost_usd', '>', 0).then(eb.ref('cost_usd')).else(0).end();
}

/** A ledger record as a `model_calls` row. */
function toRow(c: ModelCallRecord) {
  return {
    created_at: c.at.toISOString(),
    day: utcDay(c.at),
    model: c.model,
    deployment: c.deployment,
    provider: c.provider,
    task: c.task ?? null,
    rule_id: c.ruleId ?? null,
    run_id: c.runId ?? null,
    outcome: c.outcome,
    error: redactOptional(c.error) ?? null,
    input_tokens: c.inputTokens ?? null,
    output_tokens: c.outputTokens ?? null,
    cost_usd: c.costUsd ?? null,
    latency_ms: c.latencyMs,
    usage_anomaly: c.usageAnomaly ?? null,
  };
}

export async function recordModelCalls(
  store: Store,
  calls: readonly ModelCallRecord[],
): Promise<void> {
  if (calls.length === 0) return;
  const rows = calls.map(toRow);
  await store.db.transaction().execute(async (trx) => {
    for (const part of chunkRows(rows)) await trx.insertInto('model_calls').values(part).execute();
  });
}

/** Money spent on one UTC day, in all and by provider; calls of unknown price are counted apart. */
export interface DaySpend {
  totalUsd: number;
  byProvider: Map<string, number>;
  /** Calls whose cost is unknown: a budget cannot vouch for them. */
  unpriced: number;
}

export async function spendOnDay(store: Store, day: string): Promise<DaySpend> {
  const rows = await store.db
    .selectFrom('model_calls')
    .select((eb) => [
      'provider',
      eb.fn.sum<number>(chargeable(eb)).as('cost'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when('cost_usd', 'is', null)
            .then(eb.case().when('outcome', '=', 'ok').then(1).else(0).end())
            .else(0)
            .end(),
        )
        .as('unpriced'),
    ])
    .where('day', '=', day)
    .groupBy('provider')
    .execute();
  const byProvider = new Map<string, number>();
  let totalUsd = 0;
  let unpriced = 0;
  for (const row of rows) {
    const cost = Number(row.cost ?? 0);
    byProvider.set(row.provider, cost);
    totalUsd += cost;
    unpriced += Number(row.unpriced ?? 0);
  }
  return { totalUsd, byProvider, unpriced };
}

/** Measured figures of one deployment over its recorded calls. */
export interface DeploymentStats {
  deployment: string;
  calls: number;
  failures: number;
  costUsd: number;
  /** Successful calls whose cost is unknown. */
  unpriced: number;
  /** Calls whose reported token usage was missing or impossible (charged their reservation). */
  usageAnomalies: number;
  meanLatencyMs: number;
  lastCallAt: string;
  /** Failures since the last success, newest first, up to a limit: what a cooldown starts from. */
  recentFailures: { at: string; outcome: string }[];
}

/** Per deployment: calls, failures, spend and latency; the recent failure streak of each. */
export async function deploymentStats(store: Store, streak = 5): Promise<DeploymentStats[]> {
  const rows = await store.db
    .selectFrom('model_calls')
    .select((eb) => [
      'deployment',
      eb.fn.countAll<number>().as('calls'),
      eb.fn.sum<number>(eb.case().when('outcome', '!=', 'ok').then(1).else(0).end()).as('failures'),
      eb.fn.sum<number>('cost_usd').as('cost'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('cost_usd', 'is', null), eb('outcome', '=', 'ok')]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('unpriced'),
      eb.fn
        .sum<number>(eb.case().when('usage_anomaly', 'is not', null).then(1).else(0).end())
        .as('anomalies'),
      eb.fn.avg<number>('latency_ms').as('latency'),
      eb.fn.max('created_at').as('last'),
    ])
    // A reservation is a call in flight (or one a killed process never settled): not measured.
    .where('outcome', '!=', 'reserved')
    .groupBy('deployment')
    .orderBy('deployment')
    .execute();
  const stats: DeploymentStats[] = [];
  for (const row of rows) {
    const recent = await store.db
      .selectFrom('model_calls')
      .select(['created_at', 'outcome'])
      .where('deployment', '=', row.deployment)
      .where('outcome', '!=', 'reserved')
      .orderBy('id', 'desc')
      .limit(streak)
      .execute();
    const failures: { at: string; outcome: string }[] = [];
    for (const call of recent) {
      if (call.outcome === 'ok') break;
      failures.push({ at: call.created_at, outcome: call.outcome });
    }
    stats.push({
      deployment: row.deployment,
      calls: Number(row.calls),
      failures: Number(row.failures ?? 0),
      costUsd: Number(row.cost ?? 0),
      unpriced: Number(row.unpriced ?? 0),
      usageAnomalies: Number(row.anomalies ?? 0),
      meanLatencyMs: Number(row.latency ?? 0),
      lastCallAt: String(row.last),
      recentFailures: failures,
    });
  }
  return stats;
}

/** Daily limits that hold across every process sharing the store. */
export interface SpendLimits {
  perDayUsd?: number;
  /** The limit of this call's provider for the day. */
  perProviderPerDayUsd?: number;
}

/**
 * Sets a call's worst-case cost aside in the ledger, in one write transaction, if today's spend
 * (settled calls and other processes' reservations alike) leaves room under the limits; returns
 * the ledger row to settle, or why the call may not go ahead. A process killed mid-call leaves
 * its reservation counted as spent: the money may well have been.
 */
export async function reserveSpend(
  store: Store,
  call: Omit<ModelCallRecord, keyof ModelCallResult> & { maxUsd: number | undefined },
  limits: SpendLimits,
): Promise<number | string> {
  const day = utcDay(call.at);
  const limited = limits.perDayUsd !== undefined || limits.perProviderPerDayUsd !== undefined;
  if (limited && call.maxUsd === undefined) {
    return `${call.deployment}: price unknown, so the daily budget cannot cover it`;
  }
  return store.db.transaction().execute(async (trx) => {
    const spent = async (provider?: string): Promise<number> => {
      let query = trx
        .selectFrom('model_calls')
        .select((eb) => eb.fn.sum<number>(chargeable(eb)).as('cost'))
        .where('day', '=', day);
      if (provider !== undefined) query = query.where('provider', '=', provider);
      return Number((await query.executeTakeFirst())?.cost ?? 0);
    };
    const max = call.maxUsd ?? 0;
    if (limits.perDayUsd !== undefined) {
      const today = await spent();
      if (today + max > limits.perDayUsd) {
        return `${call.deployment}: a call could cost $${max.toFixed(4)}; $${today.toFixed(4)} of the $${limits.perDayUsd} daily budget is spent or reserved`;
      }
    }
    if (limits.perProviderPerDayUsd !== undefined) {
      const today = await spent(call.provider);
      if (today + max > limits.perProviderPerDayUsd) {
        return `${call.deployment}: a call could cost $${max.toFixed(4)}; $${today.toFixed(4)} of ${call.provider}'s $${limits.perProviderPerDayUsd} daily budget is spent or reserved`;
      }
    }
    const { maxUsd, ...fields } = call;
    const reservation = { ...fields, outcome: 'reserved', latencyMs: 0 };
    const row = await trx
      .insertInto('model_calls')
      .values(toRow(maxUsd === undefined ? reservation : { ...reservation, costUsd: maxUsd }))
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** Replaces a reservation by what the call really did and cost. */
export async function settleSpend(
  store: Store,
  id: number,
  result: ModelCallResult,
): Promise<void> {
  await store.db
    .updateTable('model_calls')
    .set({
      outcome: result.outcome,
      error: redactOptional(result.error) ?? null,
      input_tokens: result.inputTokens ?? null,
      output_tokens: result.outputTokens ?? null,
      cost_usd: result.costUsd ?? null,
      latency_ms: result.latencyMs,
      usage_anomaly: result.usageAnomaly ?? null,
    })
    .where('id', '=', id)
    .execute();
}
