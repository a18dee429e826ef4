import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AiUsageRecord } from '@jarvis/contracts';

/**
 * One multi-row INSERT per batch: the columns travel as array parameters and are unnested
 * into rows. `ON CONFLICT (id) DO NOTHING` (primary key `pk_ai_usage`, the call id) makes a
 * redelivered record, or a repeat inside one batch, a no-op.
 */
const INSERT_USAGE = `
  INSERT INTO "history"."ai_usage" (
    id, provider, model, prompt_tokens, completion_tokens, cost_usd, latency_ms, success,
    error, domain, action, policy, task_id, correlation_id, created_at
  )
  SELECT * FROM unnest(
    $1::uuid[], $2::varchar[], $3::varchar[], $4::int[], $5::int[], $6::numeric[], $7::int[],
    $8::boolean[], $9::text[], $10::varchar[], $11::varchar[], $12::varchar[], $13::varchar[],
    $14::varchar[], $15::timestamptz[]
  )
  ON CONFLICT (id) DO NOTHING`;

/** Writes AI usage records to the ledger, each once. */
@Injectable()
export class AiUsageStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores the records not stored yet; resolves to how many were new. */
  async insertBatch(records: readonly AiUsageRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const column = <T>(pick: (record: AiUsageRecord) => T) => records.map(pick);
    // A query runner gives the structured result, whose `affected` counts the new rows.
    const runner = this.dataSource.createQueryRunner();
    try {
      const result: { affected?: number } = await runner.query(
        INSERT_USAGE,
        [
          column((r) => r.callId),
          column((r) => r.provider),
          column((r) => r.model),
          column((r) => r.promptTokens),
          column((r) => r.completionTokens),
          column((r) => r.costUsd),
          column((r) => r.latencyMs),
          column((r) => r.success),
          column((r) => r.error),
          column((r) => r.domain),
          column((r) => r.action),
          column((r) => r.policy),
          column((r) => r.taskId),
          column((r) => r.correlationId),
          column((r) => r.createdAt),
        ],
        true,
      );
      return result.affected ?? 0;
    } finally {
      await runner.release();
    }
  }
}

/** PostgreSQL refused the data itself (SQLSTATE class 22 or 23): retrying cannot help. */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
