import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ExecutionRecord } from '@jarvis/contracts';
import { parameterSetHash } from '../task-history/parameter-set';

/**
 * One multi-row INSERT per batch. The columns travel as 15 array parameters whatever
 * the batch size (no 65,535-parameter ceiling, one plan) and are unnested into rows.
 * `ON CONFLICT (execution_id) DO NOTHING` (index `uq_task_history_execution_id`) makes a
 * redelivered record, or a repeat inside one batch, a no-op.
 */
const INSERT_RECORDS = `
  INSERT INTO "history"."task_history" (
    execution_id, task_id, domain, action, phase, success, error, duration_ms,
    impact_score, resources_used, parameters, parameters_hash, logs, correlation_id, created_at
  )
  SELECT * FROM unnest(
    $1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[],
    $6::boolean[], $7::text[], $8::int[], $9::float8[], $10::jsonb[], $11::jsonb[],
    $12::bigint[], $13::jsonb[], $14::varchar[], $15::timestamptz[]
  )
  ON CONFLICT (execution_id) DO NOTHING`;

/** Writes execution records, each once. */
@Injectable()
export class ExecutionRecordStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores the records not stored yet; resolves to how many were new. */
  async insertBatch(records: readonly ExecutionRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const column = <T>(pick: (record: ExecutionRecord) => T) => records.map(pick);
    const runner = this.dataSource.createQueryRunner();
    try {
      const result: { affected?: number } = await runner.query(
        INSERT_RECORDS,
        [
          column((r) => r.executionId),
          column((r) => r.taskId),
          column((r) => r.domain),
          column((r) => r.action),
          column((r) => r.phase),
          column((r) => r.success),
          column((r) => r.error),
          column((r) => r.durationMs),
          column((r) => r.impactScore),
          column((r) => JSON.stringify(r.resourcesUsed)),
          column((r) => JSON.stringify(r.parameters)),
          column((r) => parameterSetHash(r.parameters)),
          column((r) => JSON.stringify(r.logs)),
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

/**
 * Whether PostgreSQL refused the data itself (SQLSTATE class 22 "data exception" or 23
 * "integrity constraint violation"), as opposed to being unreachable or busy: retrying
 * such a row can never succeed.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
