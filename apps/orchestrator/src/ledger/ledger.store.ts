import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { TaskClaim, TaskPriority, TaskReport } from '@jarvis/contracts';
import { committedMessage, OutboxDraft, OutboxMessage } from '../queue/outbox-message';
import { retryingTransaction } from '../tasks/retrying-transaction';
import type { TaskRow } from '../tasks/task-row';
import { LedgerTask, resultOf, TaskChange } from './task-transitions';

/** The columns of a `tasks` row the ledger reads. */
type LedgerRow = Pick<
  TaskRow,
  | 'id'
  | 'domain'
  | 'action'
  | 'params'
  | 'priority'
  | 'status'
  | 'attempts'
  | 'max_attempts'
  | 'dispatch'
  | 'stream_seq'
  | 'agent'
  | 'result'
  | 'error'
  | 'progress'
  | 'correlation_id'
  | 'queued_at'
  | 'started_at'
  | 'finished_at'
>;

/** What one locked batch decided: new states and the messages they need. */
export interface LedgerWrite<TResult> {
  changes: { id: string; change: TaskChange }[];
  outbox: OutboxDraft[];
  result: TResult;
}

/**
 * Applies state transitions in batches: one transaction locks the batch's tasks in id
 * order (so concurrent batches cannot deadlock), lets the caller decide, then writes the
 * new states and the outbox messages together.
 *
 * Batch statements test a task's status as `(…) IS TRUE`: the planner then finds the batch
 * by id, instead of reading every task of that status through its status index (which it
 * does while the table has no statistics, as it grows from empty).
 */
@Injectable()
export class LedgerStore implements OnApplicationShutdown {
  private unflushedSession: Promise<QueryRunner> | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async transition<TResult>(
    taskIds: string[],
    decide: (tasks: ReadonlyMap<string, LedgerTask>) => LedgerWrite<TResult>,
  ): Promise<{ result: TResult; outbox: OutboxMessage[] }> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const rows: LedgerRow[] = await manager.query(
        `SELECT ${LEDGER_COLUMNS} FROM "orchestrator"."tasks" t
         WHERE t.id = ANY($1::uuid[]) ORDER BY t.id FOR UPDATE`,
        [[...new Set(taskIds)]],
      );
      const tasks = new Map(rows.map((row) => [row.id, ledgerTaskOf(row)]));
      const write = decide(tasks);
      if (write.changes.length > 0) await this.writeChanges(manager, write.changes);
      const outbox = write.outbox.length > 0 ? await this.writeOutbox(manager, write.outbox) : [];
      return { result: write.result, outbox };
    });
  }

  /**
   * The next unfinished tasks after `after` (oldest first) untouched for `staleMs` whose
   * message left the outbox; `IDX_tasks_status_created_not_completed` serves it.
   */
  async unfinishedAfter(
    after: StaleCursor | undefined,
    staleMs: number,
    limit: number,
  ): Promise<StaleTask[]> {
    const rows: {
      id: string;
      domain: string;
      priority: TaskPriority;
      dispatch: number;
      cursor_at: string;
    }[] = await this.dataSource.query(
      `SELECT t.id, t.domain, t.priority, t.dispatch,
           to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM "orchestrator"."tasks" t
         WHERE t.status IN ('queued', 'running')
           AND t.updated_at < now() - make_interval(secs => $1 / 1000.0)
           AND ($2::timestamptz IS NULL OR (t.created_at, t.id) > ($2::timestamptz, $3::uuid))
           AND NOT EXISTS (SELECT 1 FROM "orchestrator"."task_outbox" o WHERE o.task_id = t.id)
         ORDER BY t.created_at, t.id
         LIMIT $4`,
      [staleMs, after?.createdAt ?? null, after?.id ?? null, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      domain: row.domain,
      priority: row.priority,
      dispatch: row.dispatch,
      cursor: { createdAt: row.cursor_at, id: row.id },
    }));
  }

  /**
   * The common claim in one statement: a task waiting for this dispatch, or whose held
   * message was delivered again, with attempts left, becomes running. Answers the claims
   * it took; the others go through {@link transition}.
   */
  async claimWaiting(
    agent: string,
    claims: TaskClaim[],
  ): Promise<Map<string, { attempt: number; streamSeq: number }>> {
    const sorted = [...claims].sort((a, b) => a.taskId.localeCompare(b.taskId));
    const rows: { id: string; attempts: number; stream_seq: string }[] = await retryOnConflict(() =>
      this.returningWithoutFlush(
        `UPDATE "orchestrator"."tasks" t
         SET status = 'running', attempts = t.attempts + 1, stream_seq = c.seq, agent = $2,
           progress = NULL, queued_at = coalesce(t.queued_at, now()), started_at = now(),
           updated_at = now()
         FROM json_to_recordset($1::json) AS c(id uuid, dispatch int, seq bigint)
         WHERE t.id = c.id AND t.dispatch = c.dispatch
           AND t.attempts < t.max_attempts
           AND (t.status IN ('queued', 'pending') OR (t.status = 'running' AND t.stream_seq = c.seq)) IS TRUE
         RETURNING t.id, t.attempts, t.stream_seq`,
        [
          JSON.stringify(
            sorted.map((claim) => ({
              id: claim.taskId,
              dispatch: claim.dispatch,
              seq: claim.streamSeq,
            })),
          ),
          agent,
        ],
      ),
    );
    return new Map(
      rows.map((row) => [row.id, { attempt: row.attempts, streamSeq: Number(row.stream_seq) }]),
    );
  }

  /**
   * The common report in one statement: a success completes the attempt it ran, the one
   * running or, for a first delivery's run that was never claimed, the next one of a task
   * still waiting for it (its start recorded too). Answers what the execution records need
   * of the tasks it completed.
   */
  async completeSucceeded(
    agent: string,
    reports: TaskReport[],
  ): Promise<Map<string, RecordedTask>> {
    const sorted = [...reports].sort((a, b) => a.taskId.localeCompare(b.taskId));
    const rows: RecordedRow[] = await retryOnConflict(() =>
      this.returning(
        `UPDATE "orchestrator"."tasks" t
         SET status = 'completed', attempts = r.attempt, result = r.result, error = NULL,
           progress = NULL, finished_at = now(), updated_at = now(),
           stream_seq = CASE WHEN r.claimed THEN t.stream_seq ELSE r.seq END,
           agent = CASE WHEN r.claimed THEN t.agent ELSE $2 END,
           queued_at = coalesce(t.queued_at, r.started_at),
           started_at = CASE WHEN r.claimed THEN t.started_at ELSE r.started_at END
         FROM json_to_recordset($1::json) AS r(id uuid, dispatch int, attempt int, claimed bool,
           seq bigint, started_at timestamptz, result jsonb)
         WHERE t.id = r.id AND t.dispatch = r.dispatch
           AND (CASE WHEN r.claimed THEN t.status = 'running' AND t.attempts = r.attempt
             ELSE t.status IN ('queued', 'pending') AND t.attempts = r.attempt - 1
               AND t.attempts < t.max_attempts END) IS TRUE
         RETURNING ${RECORDED_COLUMNS}`,
        [
          JSON.stringify(
            sorted.map((report) => ({
              id: report.taskId,
              dispatch: report.dispatch,
              attempt: report.attempt,
              claimed: report.claimed !== false,
              seq: report.streamSeq,
              started_at: report.startedAt,
              result: resultOf(report),
            })),
          ),
          agent,
        ],
      ),
    );
    return recordedTasksOf(rows);
  }

  /** The rows an UPDATE … RETURNING answers (TypeORM's plain `query` pairs them with a count). */
  private async returning<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, parameters, true);
      return result.records as T[];
    } finally {
      await runner.release();
    }
  }

  /**
   * As {@link returning}, but the commit does not wait for the WAL to reach the disk. Only
   * claims use it: a claim a database crash forgets leaves its task queued; the report of
   * that run is then acked without being recorded, and the reconciler queues the task
   * again, so no task and no outcome is lost or recorded twice.
   */
  private async returningWithoutFlush<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const session = (this.unflushedSession ??= this.openUnflushedSession());
    try {
      const runner = await session;
      const result = await runner.query(sql, parameters, true);
      return result.records as T[];
    } catch (error) {
      // A broken connection is replaced on the next call.
      if (this.unflushedSession === session) this.unflushedSession = undefined;
      void session.then((runner) => runner.release()).catch(() => undefined);
      throw error;
    }
  }

  /** One connection of the pool kept for claims, its commits not waiting for the WAL flush. */
  private async openUnflushedSession(): Promise<QueryRunner> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.query('SET synchronous_commit TO OFF');
    return runner;
  }

  /** Gives the claims' connection back to the pool. */
  async close(): Promise<void> {
    const session = this.unflushedSession;
    this.unflushedSession = undefined;
    await session?.then((runner) => runner.release()).catch(() => undefined);
  }

  private async writeChanges(
    manager: EntityManager,
    changes: { id: string; change: TaskChange }[],
  ): Promise<void> {
    await manager.query(
      `UPDATE "orchestrator"."tasks" t SET status = u.status, attempts = u.attempts,
         dispatch = u.dispatch, stream_seq = u.stream_seq, agent = u.agent, result = u.result, error = u.error,
         progress = u.progress, queued_at = u.queued_at, started_at = u.started_at,
         finished_at = u.finished_at, updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::bigint[], $5::text[], $6::jsonb[],
         $7::text[], $8::jsonb[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::int[])
         AS u(id, status, attempts, stream_seq, agent, result, error, progress, queued_at,
           started_at, finished_at, dispatch)
       WHERE t.id = u.id`,
      [
        changes.map(({ id }) => id),
        changes.map(({ change }) => change.status),
        changes.map(({ change }) => change.attempts),
        changes.map(({ change }) => change.streamSeq),
        changes.map(({ change }) => change.agent),
        changes.map(({ change }) => jsonOrNull(change.result)),
        changes.map(({ change }) => change.error),
        changes.map(({ change }) => jsonOrNull(change.progress)),
        changes.map(({ change }) => change.queuedAt),
        changes.map(({ change }) => change.startedAt),
        changes.map(({ change }) => change.finishedAt),
        changes.map(({ change }) => change.dispatch),
      ],
    );
  }

  private async writeOutbox(
    manager: EntityManager,
    drafts: OutboxDraft[],
  ): Promise<OutboxMessage[]> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO "orchestrator"."task_outbox" (kind, subject, msg_id, payload, correlation_id, task_id, dispatch)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::int[])
       RETURNING id::text`,
      [
        drafts.map((d) => d.kind),
        drafts.map((d) => d.subject),
        drafts.map((d) => d.msgId),
        drafts.map((d) => d.payload),
        drafts.map((d) => d.correlationId),
        drafts.map((d) => d.taskId),
        drafts.map((d) => d.dispatch),
      ],
    );
    return drafts.map((draft, index) => committedMessage(draft, rows[index].id));
  }
}

export interface StaleCursor {
  createdAt: string;
  id: string;
}

export interface StaleTask {
  id: string;
  domain: string;
  priority: TaskPriority;
  dispatch: number;
  cursor: StaleCursor;
}

/** What an execution record needs of its task. */
export type RecordedTask = Pick<
  LedgerTask,
  'id' | 'domain' | 'action' | 'params' | 'correlationId'
>;
type RecordedRow = Pick<TaskRow, 'id' | 'domain' | 'action' | 'params' | 'correlation_id'>;
const RECORDED_COLUMNS = `t.id, t.domain, t.action, t.params, t.correlation_id`;

function recordedTasksOf(rows: RecordedRow[]): Map<string, RecordedTask> {
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        domain: row.domain,
        action: row.action,
        params: row.params,
        correlationId: row.correlation_id,
      },
    ]),
  );
}

const LEDGER_COLUMNS = `t.id, t.domain, t.action, t.params, t.priority, t.status, t.attempts,
  t.max_attempts, t.dispatch, t.stream_seq, t.agent, t.result, t.error, t.progress,
  t.correlation_id, t.queued_at, t.started_at, t.finished_at`;

const DEADLOCK = '40P01';
const MAX_TRIES = 5;

/** Runs one statement again when PostgreSQL broke a deadlock by aborting it. */
async function retryOnConflict<T>(statement: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await statement();
    } catch (error) {
      const code =
        (error as { driverError?: { code?: unknown } }).driverError?.code ??
        (error as { code?: unknown }).code;
      if (tries >= MAX_TRIES || code !== DEADLOCK) throw error;
    }
  }
}

function ledgerTaskOf(row: LedgerRow): LedgerTask {
  return {
    id: row.id,
    domain: row.domain,
    action: row.action,
    params: row.params,
    priority: row.priority,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    dispatch: row.dispatch,
    streamSeq: row.stream_seq === null ? null : Number(row.stream_seq),
    agent: row.agent,
    result: row.result,
    error: row.error,
    progress: row.progress,
    correlationId: row.correlation_id,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** `undefined` (an action with no output) is stored as JSON null, a missing value as SQL NULL. */
function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
