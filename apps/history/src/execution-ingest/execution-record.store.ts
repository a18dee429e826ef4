import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ExecutionRecord } from '@jarvis/contracts';
import { parameterSetHash } from '../task-history/parameter-set';

/**
 * One multi-row INSERT per batch. The batch travels as a single JSON array parameter
 * (one native `JSON.stringify`, no per-value escaping, no 65,535-parameter ceiling) and
 * `jsonb_to_recordset` turns it into rows. `ON CONFLICT (execution_id) DO NOTHING`
 * (index `uq_task_history_execution_id`) makes a redelivered record, or a repeat inside
 * one batch, a no-op.
 */
const INSERT_RECORDS = `
  INSERT INTO "history"."task_history" (
    execution_id, task_id, domain, action, phase, success, error, duration_ms,
    impact_score, resources_used, parameters, parameters_hash, logs, correlation_id, created_at
  )
  SELECT r."executionId", r."taskId", r.domain, r.action, r.phase, r.success, r.error,
         r."durationMs", r."impactScore", r."resourcesUsed", r.parameters, r."parametersHash",
         r.logs, r."correlationId", r."createdAt"
    FROM jsonb_to_recordset($1::jsonb) AS r(
      "executionId" varchar, "taskId" varchar, domain varchar, action varchar, phase varchar,
      success boolean, error text, "durationMs" int, "impactScore" float8,
      "resourcesUsed" jsonb, parameters jsonb, "parametersHash" bigint, logs jsonb,
      "correlationId" varchar, "createdAt" timestamptz
    )
  ON CONFLICT (execution_id) DO NOTHING`;

export interface StoreOutcome {
  /** Records that were new. */
  stored: number;
  /** Records the database refused as data, with its reason; retrying them cannot help. */
  refused: { record: ExecutionRecord; error: unknown }[];
}

/** Writes execution records, each once. */
@Injectable()
export class ExecutionRecordStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores a batch in one statement. If the database refuses the data of the batch,
   * the records are stored one by one so that one bad record does not hold back the
   * others. Any other failure (database unreachable, busy) is thrown: the batch is
   * delivered again later.
   */
  async storeRecords(records: readonly ExecutionRecord[]): Promise<StoreOutcome> {
    try {
      return { stored: await this.insertBatch(records), refused: [] };
    } catch (error) {
      if (!isDataError(error)) throw error;
    }
    const outcome: StoreOutcome = { stored: 0, refused: [] };
    for (const record of records) {
      try {
        outcome.stored += await this.insertBatch([record]);
      } catch (error) {
        if (!isDataError(error)) throw error;
        outcome.refused.push({ record, error });
      }
    }
    return outcome;
  }

  /** Stores the records not stored yet; resolves to how many were new. */
  async insertBatch(records: readonly ExecutionRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const rows = records.map((record) => ({
      ...record,
      parametersHash: parameterSetHash(record.parameters),
    }));
    const runner = this.dataSource.createQueryRunner();
    try {
      const result: { affected?: number } = await runner.query(
        INSERT_RECORDS,
        [JSON.stringify(rows)],
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
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
