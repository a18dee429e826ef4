import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BudgetAlertThreshold, BudgetPeriod } from '@jarvis/contracts';
import { BudgetWindow, UsdAmount } from '@jarvis/ai';

export interface SpendChange {
  period: BudgetPeriod;
  before: UsdAmount;
  after: UsdAmount;
}

/** Reads by primary key `pk_ai_budget_spend` (period, period_start). */
const SPENT_IN = `
  SELECT period, spent_usd::text AS spent
  FROM "orchestrator"."ai_budget_spend"
  WHERE (period, period_start) IN (SELECT * FROM unnest($1::varchar[], $2::timestamptz[]))`;

/**
 * One statement adds the cost to every period and returns the new totals. Concurrent
 * charges queue on the row locks, so each sees its own before/after pair and exactly one
 * of them crosses any threshold. Rows are always locked in the same order (daily, weekly,
 * monthly), so two instances never deadlock.
 */
const ADD_SPEND = `
  INSERT INTO "orchestrator"."ai_budget_spend" AS spend (period, period_start, spent_usd)
  SELECT period, period_start, $3::numeric
  FROM unnest($1::varchar[], $2::timestamptz[]) AS t(period, period_start)
  ON CONFLICT (period, period_start)
  DO UPDATE SET spent_usd = spend.spent_usd + EXCLUDED.spent_usd, updated_at = now()
  RETURNING period, spent_usd::text AS spent`;

/** The once-guard: only the first instance to insert (period, start, threshold) gets a row back. */
const CLAIM_ALERT = `
  INSERT INTO "orchestrator"."ai_budget_alert"
    (period, period_start, threshold, limit_usd, spent_usd, instance)
  VALUES ($1, $2, $3, $4::numeric, $5::numeric, $6)
  ON CONFLICT (period, period_start, threshold) DO NOTHING
  RETURNING threshold`;

/** The spend of each budget period and the alerts already sent, shared by every instance. */
@Injectable()
export class BudgetSpendRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async spentIn(windows: BudgetWindow[]): Promise<Map<BudgetPeriod, UsdAmount>> {
    const rows: { period: BudgetPeriod; spent: string }[] = await this.dataSource.query(SPENT_IN, [
      windows.map((window) => window.period),
      windows.map((window) => window.start.toISOString()),
    ]);
    return new Map(rows.map((row) => [row.period, UsdAmount.parse(row.spent)]));
  }

  async add(windows: BudgetWindow[], cost: UsdAmount): Promise<SpendChange[]> {
    const rows: { period: BudgetPeriod; spent: string }[] = await this.dataSource.query(ADD_SPEND, [
      windows.map((window) => window.period),
      windows.map((window) => window.start.toISOString()),
      cost.toString(),
    ]);
    return rows.map((row) => {
      const after = UsdAmount.parse(row.spent);
      return { period: row.period, before: after.minus(cost), after };
    });
  }

  /** True when this call recorded the alert first, and so must send it. */
  async claimAlert(
    window: BudgetWindow,
    threshold: BudgetAlertThreshold,
    limit: UsdAmount,
    spent: UsdAmount,
    instance: string,
  ): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(CLAIM_ALERT, [
      window.period,
      window.start.toISOString(),
      threshold,
      limit.toString(),
      spent.toString(),
      instance,
    ]);
    return rows.length === 1;
  }
}
