import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';
import { Clock } from '../clock/clock';

const DAY_MS = 86_400_000;
/** Rows per DELETE: each statement holds its row locks for milliseconds, never the table. */
export const RETENTION_BATCH_SIZE = 5000;
const PURGE_LOCK = 'jarvis:history:retention';

export interface RetentionReport {
  cutoff: string;
  executionsDeleted: number;
  feedbackDeleted: number;
  batches: number;
  /** False when another instance was already purging. */
  ran: boolean;
}

/**
 * Deletes execution records and feedback older than `TASK_HISTORY_RETENTION_DAYS`, in
 * batches of {@link RETENTION_BATCH_SIZE} rows picked through `ix_task_history_created_at`
 * (and `ix_task_feedback_created_at`) and deleted by physical row id. One instance purges
 * at a time (advisory lock); the others skip.
 */
@Injectable()
export class TaskHistoryRetention {
  private readonly logger = new Logger(TaskHistoryRetention.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JARVIS_CONFIG)
    private readonly config: Pick<JarvisConfig, 'taskHistoryRetentionDays'>,
    private readonly clock: Clock,
  ) {}

  /** Purges what is older than the retention at `now`; `signal` stops it between batches. */
  async purge(now: Date = this.clock.now(), signal?: AbortSignal): Promise<RetentionReport> {
    const cutoff = new Date(now.getTime() - this.config.taskHistoryRetentionDays * DAY_MS);
    const report: RetentionReport = {
      cutoff: cutoff.toISOString(),
      executionsDeleted: 0,
      feedbackDeleted: 0,
      batches: 0,
      ran: false,
    };
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [PURGE_LOCK],
      )) as { locked: boolean }[];
      if (!locked) return report;
      try {
        report.ran = true;
        const started = Date.now();
        const executions = await this.deleteInBatches(runner, 'task_history', cutoff, signal);
        const feedback = await this.deleteInBatches(runner, 'task_feedback', cutoff, signal);
        report.executionsDeleted = executions.deleted;
        report.feedbackDeleted = feedback.deleted;
        report.batches = executions.batches + feedback.batches;
        this.logger.log(
          { ...report, durationMs: Date.now() - started },
          'Task history retention ran',
        );
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [PURGE_LOCK]);
      }
    } finally {
      await runner.release();
    }
    return report;
  }

  private async deleteInBatches(
    runner: QueryRunner,
    table: 'task_history' | 'task_feedback',
    cutoff: Date,
    signal: AbortSignal | undefined,
  ): Promise<{ deleted: number; batches: number }> {
    let deleted = 0;
    let batches = 0;
    for (;;) {
      // `ctid = ANY(ARRAY(...))` plans as a TID scan; `ctid IN (SELECT ...)` may not.
      const result: { affected?: number } = await runner.query(
        `DELETE FROM "history"."${table}"
          WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM "history"."${table}" WHERE created_at < $1 LIMIT $2
          ))`,
        [cutoff, RETENTION_BATCH_SIZE],
        true,
      );
      const count = result.affected ?? 0;
      deleted += count;
      if (count > 0) batches += 1;
      if (count < RETENTION_BATCH_SIZE || signal?.aborted) return { deleted, batches };
      // Let other statements in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
