import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  DEFAULT_TASK_PAGE_SIZE,
  ListTasksQuery,
  TaskDecision,
  TaskPriority,
  TaskStatus,
} from '@jarvis/contracts';
import { committedMessage, OutboxDraft, OutboxMessage } from '../queue/outbox-message';
import { retryingTransaction } from './retrying-transaction';
import { decodeCursor, encodeCursor } from './task-cursor';
import { TaskRow } from './task-row';

/** A task to insert, with the decision that let it in and the message that queues it. */
export interface NewTask {
  id: string;
  domain: string;
  action: string;
  title: string | null;
  params: Record<string, unknown>;
  priority: TaskPriority;
  status: Extract<TaskStatus, 'queued' | 'deferred'>;
  maxAttempts: number;
  idempotencyKey: string | null;
  correlationId: string | null;
  decision: Omit<TaskDecision, 'decidedAt'> | null;
  /** Absent for a deferred task. */
  dispatch: OutboxDraft | null;
}

export interface InsertedTask {
  /** False when another task already holds its idempotency key. */
  inserted: boolean;
  dispatch: OutboxMessage | null;
}

/** A queued task whose message the relay has not yet seen acknowledged by the stream is shown as pending. */
const SHOWN_STATUS = `CASE WHEN t.status = 'queued' AND EXISTS (
    SELECT 1 FROM "orchestrator"."task_outbox" o WHERE o.task_id = t.id AND o.kind = 'task'
  ) THEN 'pending' ELSE t.status END`;

const COLUMNS = `t.id, t.domain, t.action, t.title, t.params, t.priority, ${SHOWN_STATUS} AS status, t.attempts,
  t.max_attempts, t.dispatch, t.stream_seq, t.agent, t.result, t.error, t.progress,
  t.correlation_id, t.created_at, t.updated_at, t.queued_at, t.started_at, t.finished_at`;

/** The latest decision of each task; `IDX_task_decisions_task` serves it. */
const LATEST_DECISION = `LEFT JOIN LATERAL (
    SELECT json_build_object('decision', d.decision, 'reasoning', d.reasoning,
      'confidence', d.confidence, 'history_available', d.history_available,
      'success_rate', d.success_rate, 'total_executions', d.total_executions,
      'applied_parameters', d.applied_parameters, 'created_at', d.created_at) AS decision
    FROM "orchestrator"."task_decisions" d WHERE d.task_id = t.id
    ORDER BY d.created_at DESC LIMIT 1
  ) latest ON true`;

/** Tasks and their decisions: inserts in batches, reads, and the operator's commands. */
@Injectable()
export class TaskStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts tasks, their decisions and their queue messages in one statement, so a
   * task is never recorded without the message that queues it. The rows travel as JSON
   * (one parameter each, no per-value escaping); a task's message is built from its row,
   * so the outbox keeps only where it goes.
   */
  async insert(tasks: NewTask[]): Promise<InsertedTask[]> {
    const rows: { inserted: string[]; outbox: { id: string; task_id: string }[] }[] =
      await this.dataSource.query(
        `WITH inserted AS (
           INSERT INTO "orchestrator"."tasks" (id, domain, action, title, params, priority, status,
             max_attempts, idempotency_key, correlation_id, queued_at)
           SELECT i.id, i.domain, i.action, i.title, i.params, i.priority, i.status,
             i.max_attempts, i.idempotency_key, i.correlation_id,
             CASE WHEN i.status = 'queued' THEN now() END
           FROM json_to_recordset($1::json) AS i(id uuid, domain text, action text, title text,
             params jsonb, priority text, status text, max_attempts int, idempotency_key text,
             correlation_id text)
           ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
           RETURNING id
         ), decisions AS (
           INSERT INTO "orchestrator"."task_decisions" (id, task_id, decision, reasoning, confidence,
             history_available, success_rate, total_executions, applied_parameters)
           SELECT gen_random_uuid(), d.task_id, d.decision, d.reasoning, d.confidence,
             d.history_available, d.success_rate, d.total_executions, d.applied_parameters
           FROM json_to_recordset($2::json) AS d(task_id uuid, decision text, reasoning text,
             confidence float8, history_available bool, success_rate float8, total_executions int,
             applied_parameters jsonb)
           WHERE d.task_id IN (SELECT id FROM inserted)
         ), outbox AS (
           INSERT INTO "orchestrator"."task_outbox" (kind, subject, msg_id, correlation_id,
             task_id, dispatch)
           SELECT 'task', o.subject, o.msg_id, o.correlation_id, o.task_id, 1
           FROM json_to_recordset($3::json) AS o(task_id uuid, subject text, msg_id text,
             correlation_id text)
           WHERE o.task_id IN (SELECT id FROM inserted)
           RETURNING id::text, task_id
         )
         SELECT (SELECT coalesce(json_agg(id), '[]') FROM inserted) AS inserted,
                (SELECT coalesce(json_agg(outbox), '[]') FROM outbox) AS outbox`,
        [
          JSON.stringify(
            tasks.map((t) => ({
              id: t.id,
              domain: t.domain,
              action: t.action,
              title: t.title,
              params: t.params,
              priority: t.priority,
              status: t.status,
              max_attempts: t.maxAttempts,
              idempotency_key: t.idempotencyKey,
              correlation_id: t.correlationId,
            })),
          ),
          JSON.stringify(
            tasks.flatMap(({ id, decision }) =>
              decision
                ? [
                    {
                      task_id: id,
                      decision: decision.decision,
                      reasoning: decision.reasoning,
                      confidence: decision.confidence,
                      history_available: decision.historyAvailable,
                      success_rate: decision.successRate,
                      total_executions: decision.totalExecutions,
                      applied_parameters: decision.appliedParameters,
                    },
                  ]
                : [],
            ),
          ),
          JSON.stringify(
            tasks.flatMap(({ id, dispatch }) =>
              dispatch
                ? [
                    {
                      task_id: id,
                      subject: dispatch.subject,
                      msg_id: dispatch.msgId,
                      correlation_id: dispatch.correlationId,
                    },
                  ]
                : [],
            ),
          ),
        ],
      );
    const inserted = new Set(rows[0].inserted);
    const outboxIds = new Map(rows[0].outbox.map((row) => [row.task_id, row.id]));
    return tasks.map((task) => {
      const outboxId = outboxIds.get(task.id);
      return {
        inserted: inserted.has(task.id),
        dispatch: task.dispatch && outboxId ? committedMessage(task.dispatch, outboxId) : null,
      };
    });
  }

  async get(id: string): Promise<TaskRow | undefined> {
    const rows: TaskRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, latest.decision FROM "orchestrator"."tasks" t ${LATEST_DECISION}
       WHERE t.id = $1`,
      [id],
    );
    return rows[0];
  }

  async findByIdempotencyKey(key: string): Promise<TaskRow | undefined> {
    const rows: TaskRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, latest.decision FROM "orchestrator"."tasks" t ${LATEST_DECISION}
       WHERE t.idempotency_key = $1`,
      [key],
    );
    return rows[0];
  }

  /**
   * Newest first; `IDX_tasks_created` serves all tasks and completed ones,
   * `IDX_tasks_status_created_not_completed` every other status.
   */
  async list(query: ListTasksQuery): Promise<{ rows: TaskRow[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_TASK_PAGE_SIZE;
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows: (TaskRow & { cursor_at: string })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, latest.decision,
         to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
       FROM "orchestrator"."tasks" t ${LATEST_DECISION}
       WHERE ($1::text IS NULL OR t.status = (CASE WHEN $1 = 'pending' THEN 'queued' ELSE $1 END))
         AND ($1::text IS NULL OR $1 NOT IN ('pending', 'queued') OR ${SHOWN_STATUS} = $1)
         AND ($2::text IS NULL OR t.domain = $2)
         AND ($3::timestamptz IS NULL OR (t.created_at, t.id) < ($3::timestamptz, $4::uuid))
       ORDER BY t.created_at DESC, t.id DESC
       LIMIT $5`,
      [
        query.status ?? null,
        query.domain ?? null,
        cursor?.createdAt ?? null,
        cursor?.id ?? null,
        limit + 1,
      ],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      rows: page,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ createdAt: last.cursor_at, id: last.id })
          : null,
    };
  }

  /**
   * Cancels a task that has not finished. Answers its status before the cancel, or
   * undefined when there is no such task.
   */
  async cancel(id: string): Promise<TaskStatus | undefined> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const found: { status: TaskStatus }[] = await manager.query(
        `SELECT status FROM "orchestrator"."tasks" WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const status = found[0]?.status;
      if (
        status === 'pending' ||
        status === 'deferred' ||
        status === 'queued' ||
        status === 'running'
      ) {
        await manager.query(
          `UPDATE "orchestrator"."tasks" SET status = 'cancelled', finished_at = now(),
             updated_at = now(), error = 'Cancelled by request'
           WHERE id = $1`,
          [id],
        );
      }
      return status;
    });
  }

  /**
   * Puts a deferred, failed or dead task back on the queue as a new dispatch with fresh
   * attempts, recording why. Answers the task as it was, or undefined when there is none.
   */
  async requeue(
    id: string,
    allowed: readonly TaskStatus[],
    decision: Omit<TaskDecision, 'decidedAt'>,
    dispatchOf: (task: TaskRow, dispatch: number) => OutboxDraft,
  ): Promise<{ before: TaskRow; dispatch: OutboxMessage | null } | undefined> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const found: TaskRow[] = await manager.query(
        `SELECT ${COLUMNS}, NULL AS decision FROM "orchestrator"."tasks" t WHERE t.id = $1 FOR UPDATE OF t`,
        [id],
      );
      const before = found[0];
      if (!before) return undefined;
      if (!allowed.includes(before.status)) return { before, dispatch: null };
      const dispatch = before.dispatch + 1;
      const draft = dispatchOf(before, dispatch);
      await manager.query(
        `UPDATE "orchestrator"."tasks" SET status = 'queued', dispatch = $2, attempts = 0,
           stream_seq = NULL, agent = NULL, result = NULL, error = NULL, progress = NULL,
           queued_at = now(), started_at = NULL, finished_at = NULL, updated_at = now()
         WHERE id = $1`,
        [id, dispatch],
      );
      await manager.query(
        `INSERT INTO "orchestrator"."task_decisions" (id, task_id, decision, reasoning, confidence,
           history_available, success_rate, total_executions, applied_parameters)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          id,
          decision.decision,
          decision.reasoning,
          decision.confidence,
          decision.historyAvailable,
          decision.successRate,
          decision.totalExecutions,
          JSON.stringify(decision.appliedParameters),
        ],
      );
      const outbox: { id: string }[] = await manager.query(
        `INSERT INTO "orchestrator"."task_outbox" (kind, subject, msg_id, payload, correlation_id, task_id, dispatch)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text`,
        [
          draft.kind,
          draft.subject,
          draft.msgId,
          draft.payload,
          draft.correlationId,
          draft.taskId,
          draft.dispatch,
        ],
      );
      return { before, dispatch: committedMessage(draft, outbox[0].id) };
    });
  }

  /** Keeps the latest progress of running attempts. */
  async saveProgress(
    updates: { taskId: string; attempt: number; progress: Record<string, unknown> }[],
  ): Promise<void> {
    const sorted = [...updates].sort((a, b) => a.taskId.localeCompare(b.taskId));
    await retryingTransaction(this.dataSource, (manager) =>
      manager.query(
        `UPDATE "orchestrator"."tasks" t SET progress = p.progress, updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::jsonb[]) AS p(id, attempt, progress)
         WHERE t.id = p.id AND (t.status = 'running') IS TRUE
           AND t.attempts = p.attempt`,
        [
          sorted.map((u) => u.taskId),
          sorted.map((u) => u.attempt),
          sorted.map((u) => JSON.stringify(u.progress)),
        ],
      ),
    );
  }
}
