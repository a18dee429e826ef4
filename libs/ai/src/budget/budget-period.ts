import {
  BUDGET_ALERT_THRESHOLDS,
  BudgetAlertThreshold,
  BudgetPeriod,
  BudgetPeriodStatus,
} from '@jarvis/contracts';
import { UsdAmount } from '../money/usd-amount';

/** One period of a budget: from `start` (inclusive) to `end` (exclusive), when it resets. */
export interface BudgetWindow {
  period: BudgetPeriod;
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;

/** The period containing `at`, in UTC: days from midnight, weeks from Monday, calendar months. */
export function budgetWindow(period: BudgetPeriod, at: Date): BudgetWindow {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  switch (period) {
    case 'daily':
      return { period, start: new Date(midnight), end: new Date(midnight + DAY_MS) };
    case 'weekly': {
      // getUTCDay: Sunday 0 … Saturday 6; days since Monday: Monday 0 … Sunday 6.
      const sinceMonday = (at.getUTCDay() + 6) % 7;
      const start = midnight - sinceMonday * DAY_MS;
      return { period, start: new Date(start), end: new Date(start + 7 * DAY_MS) };
    }
    case 'monthly':
      return {
        period,
        start: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)),
        end: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)),
      };
  }
}

/**
 * The alert thresholds passed by moving spend from `before` to `after`: a threshold is
 * crossed when `before` was below it and `after` is at or above it.
 */
export function thresholdsCrossed(
  limit: UsdAmount,
  before: UsdAmount,
  after: UsdAmount,
): BudgetAlertThreshold[] {
  return BUDGET_ALERT_THRESHOLDS.filter(
    (threshold) => !before.reaches(threshold, limit) && after.reaches(threshold, limit),
  );
}

/** Past 100 %: spent has reached the limit. */
export function isExhausted(limit: UsdAmount, spent: UsdAmount): boolean {
  return spent.reaches(100, limit);
}

export function budgetStatus(
  window: BudgetWindow,
  limit: UsdAmount | undefined,
  spent: UsdAmount,
): BudgetPeriodStatus {
  return {
    period: window.period,
    limitUsd: limit?.toString() ?? null,
    spentUsd: spent.toString(),
    remainingUsd: limit ? UsdAmount.max(limit.minus(spent), UsdAmount.ZERO).toString() : null,
    // A zero limit is spent from the start.
    percent: limit ? (limit.isZero() ? 100 : spent.percentOf(limit)) : null,
    periodStart: window.start.toISOString(),
    resetsAt: window.end.toISOString(),
  };
}
