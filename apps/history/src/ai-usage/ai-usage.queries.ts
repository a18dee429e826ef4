import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AiUsageGrouping, AiUsageQueryData, AiUsageReport, AiUsageTotals } from '@jarvis/contracts';
import { UsdAmount } from '@jarvis/ai';

/** The only expressions a group key can be; the grouping never comes from user text. */
const GROUP_KEYS: Record<AiUsageGrouping, string> = {
  provider: 'provider',
  model: 'model',
  domain: 'domain',
  day: `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
};

const TOTALS = `
  count(*)::int AS calls,
  count(*) FILTER (WHERE success)::int AS successes,
  count(*) FILTER (WHERE NOT success)::int AS failures,
  coalesce(sum(prompt_tokens), 0)::bigint::text AS prompt_tokens,
  coalesce(sum(completion_tokens), 0)::bigint::text AS completion_tokens,
  coalesce(sum(cost_usd), 0)::text AS cost_usd,
  round(avg(latency_ms))::int AS avg_latency_ms`;

interface TotalsRow {
  calls: number;
  successes: number;
  failures: number;
  prompt_tokens: string;
  completion_tokens: string;
  cost_usd: string;
  avg_latency_ms: number | null;
}

/** Totals and groups of the AI usage ledger; index `idx_ai_usage_created_at` bounds the range. */
@Injectable()
export class AiUsageQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async report(query: AiUsageQueryData): Promise<AiUsageReport> {
    const range = [query.from, query.to];
    const [totals] = await this.dataSource.query<TotalsRow[]>(
      `SELECT ${TOTALS} FROM "history"."ai_usage" WHERE created_at >= $1 AND created_at < $2`,
      range,
    );
    let groups: AiUsageReport['groups'] = [];
    if (query.groupBy) {
      const key = GROUP_KEYS[query.groupBy];
      const rows = await this.dataSource.query<(TotalsRow & { key: string })[]>(
        `SELECT ${key} AS key, ${TOTALS}
         FROM "history"."ai_usage"
         WHERE created_at >= $1 AND created_at < $2
         GROUP BY 1 ORDER BY 1`,
        range,
      );
      groups = rows.map((row) => ({ key: row.key, ...totalsOf(row) }));
    }
    return {
      from: query.from,
      to: query.to,
      groupBy: query.groupBy ?? null,
      totals: totalsOf(totals),
      groups,
    };
  }
}

function totalsOf(row: TotalsRow): AiUsageTotals {
  return {
    calls: row.calls,
    successes: row.successes,
    failures: row.failures,
    promptTokens: Number(row.prompt_tokens),
    completionTokens: Number(row.completion_tokens),
    // numeric(30,12) prints every decimal: `0.000525300000` becomes `0.0005253`.
    costUsd: UsdAmount.parse(row.cost_usd).toString(),
    avgLatencyMs: row.avg_latency_ms,
  };
}
