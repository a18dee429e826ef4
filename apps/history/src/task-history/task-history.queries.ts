import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  FeedbackCounts,
  RecentExecution,
  TaskFeedback,
  TaskFeedbackValue,
  TimelineBucket,
} from '@jarvis/contracts';
import type { ParameterSetCandidate } from './optimal-parameters';

/** Which executions a query looks at: those started at or after `since`, optionally of one domain/action. */
export interface ExecutionWindow {
  since: Date;
  domain?: string;
  action?: string;
}

export interface WindowAggregates {
  totalExecutions: number;
  successCount: number;
  avgDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  avgImpactScore: number | null;
  lastExecutedAt: Date | null;
  feedback: FeedbackCounts;
  candidates: ParameterSetCandidate[];
}

/** A parameterised statement, as the app runs it (the benchmark runs the same text). */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

interface AggregatesRow {
  total: number;
  successes: number;
  avg_duration_ms: number | null;
  p50_duration_ms: number | null;
  p95_duration_ms: number | null;
  avg_impact_score: number | null;
  last_executed_at: Date | null;
  positive: number;
  negative: number;
  neutral: number;
  candidates: {
    hash: string;
    support: number;
    effective_successes: number;
    avg_impact_score: number | null;
    last_used_at: string;
  }[];
}

interface RecentRow {
  execution_id: string;
  task_id: string | null;
  domain: string;
  action: string;
  phase: RecentExecution['phase'];
  success: boolean;
  error: string | null;
  duration_ms: number;
  impact_score: number | null;
  parameters: Record<string, unknown>;
  correlation_id: string | null;
  created_at: Date;
}

interface FeedbackRow {
  id: string;
  task_id: string;
  feedback: TaskFeedbackValue;
  comment: string | null;
  created_at: Date;
}

/** Origin of the hour buckets: bins are whole UTC hours whatever the session time zone. */
const BUCKET_ORIGIN = `TIMESTAMPTZ '2000-01-01 00:00:00+00'`;

/**
 * Every read of the task history, and the feedback write: plain parameterised SQL,
 * each statement with the index it relies on.
 */
@Injectable()
export class TaskHistoryQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** See {@link windowAggregatesStatement}. */
  async windowAggregates(window: ExecutionWindow, minSupport: number): Promise<WindowAggregates> {
    const statement = windowAggregatesStatement(window, minSupport);
    const [row] = await this.dataSource.query<AggregatesRow[]>(statement.text, statement.values);
    return {
      totalExecutions: row.total,
      successCount: row.successes,
      avgDurationMs: row.avg_duration_ms,
      p50DurationMs: row.p50_duration_ms,
      p95DurationMs: row.p95_duration_ms,
      avgImpactScore: row.avg_impact_score,
      lastExecutedAt: row.last_executed_at,
      feedback: { positive: row.positive, negative: row.negative, neutral: row.neutral },
      candidates: row.candidates.map((candidate) => ({
        hash: candidate.hash,
        support: candidate.support,
        effectiveSuccesses: candidate.effective_successes,
        avgImpactScore: candidate.avg_impact_score,
        lastUsedAt: candidate.last_used_at,
      })),
    };
  }

  /** See {@link parametersOfSetStatement}. */
  async parametersOfSet(
    window: ExecutionWindow,
    set: Pick<ParameterSetCandidate, 'hash' | 'lastUsedAt'>,
  ): Promise<Record<string, unknown> | undefined> {
    const statement = parametersOfSetStatement(window, set);
    const rows = await this.dataSource.query<{ parameters: Record<string, unknown> }[]>(
      statement.text,
      statement.values,
    );
    return rows[0]?.parameters;
  }

  /**
   * Executions per whole UTC hour from the hour holding `since` to the one holding `now`,
   * empty hours included. Index: as for {@link windowAggregatesStatement} (index-only).
   */
  async hourlyBuckets(
    window: Omit<ExecutionWindow, 'action'>,
    now: Date,
  ): Promise<TimelineBucket[]> {
    const values: unknown[] = [];
    const where = windowFilter(window, values);
    values.push(now);
    const rows = await this.dataSource.query<
      { bucket_start: Date; total: number; succeeded: number }[]
    >(
      `WITH counts AS (
         SELECT date_bin('1 hour', h.created_at, ${BUCKET_ORIGIN}) AS bucket_start,
                count(*)::int AS total,
                count(*) FILTER (WHERE h.success)::int AS succeeded
           FROM "history"."task_history" h
          WHERE ${where('h')}
          GROUP BY 1
       )
       SELECT hours.bucket_start,
              coalesce(counts.total, 0) AS total,
              coalesce(counts.succeeded, 0) AS succeeded
         FROM generate_series(
                date_bin('1 hour', $1::timestamptz, ${BUCKET_ORIGIN}),
                date_bin('1 hour', $${values.length}::timestamptz, ${BUCKET_ORIGIN}),
                interval '1 hour'
              ) AS hours(bucket_start)
         LEFT JOIN counts USING (bucket_start)
        ORDER BY hours.bucket_start`,
      values,
    );
    return rows.map((row) => ({
      bucketStart: row.bucket_start.toISOString(),
      total: row.total,
      succeeded: row.succeeded,
      failed: row.total - row.succeeded,
    }));
  }

  /**
   * The latest executions in the window, newest first.
   * Index: `ix_task_history_created_at` read backwards, or the domain index then a sort.
   */
  async recentExecutions(
    window: Omit<ExecutionWindow, 'action'>,
    limit: number,
  ): Promise<RecentExecution[]> {
    const values: unknown[] = [];
    const where = windowFilter(window, values);
    values.push(limit);
    const rows = await this.dataSource.query<RecentRow[]>(
      `SELECT execution_id, task_id, domain, action, phase, success, error, duration_ms,
              impact_score, parameters, correlation_id, created_at
         FROM "history"."task_history" h
        WHERE ${where('h')}
        ORDER BY created_at DESC, execution_id DESC
        LIMIT $${values.length}`,
      values,
    );
    return rows.map((row) => ({
      executionId: row.execution_id,
      taskId: row.task_id,
      domain: row.domain,
      action: row.action,
      phase: row.phase,
      success: row.success,
      error: row.error,
      durationMs: row.duration_ms,
      impactScore: row.impact_score,
      parameters: row.parameters,
      correlationId: row.correlation_id,
      createdAt: row.created_at.toISOString(),
    }));
  }

  /**
   * Records feedback on a task, filed under the domain and action of its latest
   * execution; resolves to undefined when no execution of the task is known.
   * Index: `ix_task_history_task_key`.
   */
  async insertFeedback(
    taskId: string,
    feedback: TaskFeedbackValue,
    comment: string | null,
  ): Promise<TaskFeedback | undefined> {
    const rows = await this.dataSource.query<FeedbackRow[]>(
      `INSERT INTO "history"."task_feedback" (task_id, domain, action, feedback, comment)
       SELECT task_key, domain, action, $2, $3
         FROM "history"."task_history"
        WHERE task_key = $1
        ORDER BY created_at DESC
        LIMIT 1
       RETURNING id, task_id, feedback, comment, created_at`,
      [taskId, feedback, comment],
    );
    const row = rows[0];
    return (
      row && {
        id: row.id,
        taskId: row.task_id,
        feedback: row.feedback,
        comment: row.comment,
        createdAt: row.created_at.toISOString(),
      }
    );
  }
}

/**
 * Totals, duration percentiles, impact, feedback counts and the per-parameter-set
 * aggregates of one window, in one statement:
 * - `latest_feedback`: each task's latest feedback given in the window, read index-only
 *   from `ix_task_feedback_domain_action_created_at` (or `ix_task_feedback_created_at`);
 *   it is small, so it is the hashed side of the join below;
 * - the totals and the per-set aggregates each read the window index-only from
 *   `ix_task_history_domain_action_created_at` (or `ix_task_history_created_at`), whose
 *   INCLUDE columns hold everything read here. Two range scans of the index beat
 *   materialising the window once and reading it twice.
 * An execution counts as an effective success when it succeeded and its task's latest
 * feedback is not negative (the learning rule, see optimal-parameters.ts).
 */
export function windowAggregatesStatement(
  window: ExecutionWindow,
  minSupport: number,
): SqlStatement {
  const values: unknown[] = [];
  const where = windowFilter(window, values);
  values.push(minSupport);
  const text = `
    WITH latest_feedback AS MATERIALIZED (
      SELECT DISTINCT ON (f.task_id) f.task_id, f.feedback
        FROM "history"."task_feedback" f
       WHERE ${where('f')}
       ORDER BY f.task_id, f.created_at DESC, f.id DESC
    )
    SELECT totals.*, feedback.*,
           (SELECT coalesce(json_agg(sets), '[]'::json) FROM (
              SELECT h.parameters_hash::text AS hash,
                     count(*)::int AS support,
                     count(*) FILTER (
                       WHERE h.success AND lf.feedback IS DISTINCT FROM 'negative'
                     )::int AS effective_successes,
                     avg(h.impact_score)::float8 AS avg_impact_score,
                     max(h.created_at) AS last_used_at
                FROM "history"."task_history" h
                LEFT JOIN latest_feedback lf ON lf.task_id = h.task_key
               WHERE ${where('h')}
               GROUP BY h.parameters_hash
              HAVING count(*) >= $${values.length}
           ) AS sets) AS candidates
      FROM (
        SELECT count(*)::int AS total,
               count(*) FILTER (WHERE h.success)::int AS successes,
               avg(h.duration_ms)::float8 AS avg_duration_ms,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY h.duration_ms) AS p50_duration_ms,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY h.duration_ms) AS p95_duration_ms,
               avg(h.impact_score)::float8 AS avg_impact_score,
               max(h.created_at) AS last_executed_at
          FROM "history"."task_history" h
         WHERE ${where('h')}
      ) AS totals,
      (
        SELECT count(*) FILTER (WHERE feedback = 'positive')::int AS positive,
               count(*) FILTER (WHERE feedback = 'negative')::int AS negative,
               count(*) FILTER (WHERE feedback = 'neutral')::int AS neutral
          FROM latest_feedback
      ) AS feedback`;
  return { text, values };
}

/**
 * The parameters of one set (all its executions hold equal sets), read from the set's
 * latest execution: its exact start time is an equality on the window index's
 * `created_at` key, so this is one index probe and one row.
 */
export function parametersOfSetStatement(
  window: ExecutionWindow,
  set: Pick<ParameterSetCandidate, 'hash' | 'lastUsedAt'>,
): SqlStatement {
  const values: unknown[] = [];
  const where = windowFilter(window, values);
  values.push(set.lastUsedAt, set.hash);
  const text = `
    SELECT h.parameters FROM "history"."task_history" h
     WHERE ${where('h')}
       AND h.created_at = $${values.length - 1}::timestamptz
       AND h.parameters_hash = $${values.length}::bigint
     LIMIT 1`;
  return { text, values };
}

/**
 * The WHERE clause of a window for a table alias; `since` is always `$1`.
 * Conditions are added only for the filters given, so the planner sees the exact
 * index prefix rather than `($2 IS NULL OR domain = $2)`.
 */
function windowFilter(window: ExecutionWindow, values: unknown[]): (alias: string) => string {
  const conditions: ((alias: string) => string)[] = [];
  values.push(window.since);
  const since = `$${values.length}`;
  conditions.push((a) => `${a}.created_at >= ${since}`);
  if (window.domain !== undefined) {
    values.push(window.domain);
    const domain = `$${values.length}`;
    conditions.push((a) => `${a}.domain = ${domain}`);
  }
  if (window.action !== undefined) {
    values.push(window.action);
    const action = `$${values.length}`;
    conditions.push((a) => `${a}.action = ${action}`);
  }
  return (alias) => conditions.map((condition) => condition(alias)).join(' AND ');
}
