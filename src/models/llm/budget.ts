import { ProviderError } from '../../core/index.js';
import { usageOf } from './cost.js';
import type { UsageBounds } from './usage.js';
import {
  DEFAULT_MAX_OUTPUT_TOKENS,
  type Deployment,
  type LlmRequest,
  type LlmResponse,
} from './types.js';

/** A call was refused because it could cost more than the budget has left. */
export class BudgetExceededError extends ProviderError {
  constructor(message: string) {
    super(message, false);
  }
}

/** Money set aside for one call until its real cost is known. */
export interface Reservation {
  /** Releases the reservation and charges the real cost (the whole reservation when unknown). */
  settle(costUsd: number | undefined): void;
}

/** A spending limit in US dollars, checked before every call, retry and fallback hop. */
export interface Budget {
  readonly limitUsd: number;
  spentUsd(): number;
  /** Sets aside `maxUsd`, or returns why the call would not fit. */
  reserve(maxUsd: number | undefined, deployment: string): Reservation | string;
}

/** A budget that never lets spent plus reserved money exceed `limitUsd`. */
export function createBudget(limitUsd: number): Budget {
  let spent = 0;
  let reserved = 0;
  return {
    limitUsd,
    spentUsd: () => spent,
    reserve(maxUsd, deployment) {
      if (maxUsd === undefined)
        return `${deployment}: price unknown, so the budget cannot cover it`;
      if (spent + reserved + maxUsd > limitUsd) {
        return `${deployment}: a call could cost $${maxUsd.toFixed(4)}, more than the $${(limitUsd - spent - reserved).toFixed(4)} left of the $${limitUsd} budget`;
      }
      reserved += maxUsd;
      let settled = false;
      return {
        settle(costUsd) {
          if (settled) return;
          settled = true;
          reserved -= maxUsd;
          spent += costUsd ?? maxUsd;
        },
      };
    },
  };
}

/** Tokens a chat template can add around the prompt (role markers, the system slot), at most. */
const PROMPT_OVERHEAD_TOKENS = 256;

/**
 * The most tokens a call can use: every byte of the prompt as a token (byte-level tokenisers put
 * one byte or more in each token, in any script) plus the template's overhead, and the full
 * output allowance.
 */
export function usageBounds(deployment: Deployment, request: LlmRequest): UsageBounds {
  const bytes = Buffer.byteLength(request.system) + Buffer.byteLength(request.prompt);
  return {
    inputTokens: bytes + PROMPT_OVERHEAD_TOKENS,
    outputTokens: deployment.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
  };
}

/** The most a call can cost: its `usageBounds` at its price. Undefined when the price is unknown. */
export function maxCostUsd(deployment: Deployment, request: LlmRequest): number | undefined {
  return usageOf(usageBounds(deployment, request), deployment.price).costUsd;
}

/** The cost of an answer from the usage its provider reported; undefined when unknown. */
export function costOf(
  deployment: Deployment,
  response: Pick<LlmResponse, 'inputTokens' | 'outputTokens'>,
): number | undefined {
  return usageOf(response, deployment.price).costUsd;
}

/** A budget that covers only some deployments, e.g. one provider's daily allowance. */
export interface ScopedBudget {
  budget: Budget;
  /** Whether calls to this deployment count against it. */
  covers(deployment: string): boolean;
}

/**
 * Several budgets at once (per run, per day, per provider): a call goes ahead only if every budget
 * that covers its deployment can hold it, and is charged to each of them.
 */
export function combineBudgets(scoped: readonly ScopedBudget[]): Budget {
  const first = scoped[0]?.budget;
  return {
    limitUsd: Math.min(...scoped.map((s) => s.budget.limitUsd)),
    spentUsd: () => first?.spentUsd() ?? 0,
    reserve(maxUsd, deployment) {
      const held: Reservation[] = [];
      for (const { budget, covers } of scoped) {
        if (!covers(deployment)) continue;
        const reservation = budget.reserve(maxUsd, deployment);
        if (typeof reservation === 'string') {
          for (const r of held) r.settle(0);
          return reservation;
        }
        held.push(reservation);
      }
      return { settle: (costUsd) => held.forEach((r) => r.settle(costUsd)) };
    },
  };
}
