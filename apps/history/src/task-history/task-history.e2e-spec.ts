import { DataSource } from 'typeorm';
import { ErrorCode, ExecutionRecord } from '@jarvis/contracts';
import { openMigratedDataSource } from '@jarvis/database';
import { createTestDatabase, TestDatabase } from '@jarvis/testing';
import { Clock } from '../clock/clock';
import { ExecutionRecordStore } from '../execution-ingest/execution-record.store';
import { historyMigrations } from '../migrations';
import { anExecutionRecord } from './execution-record.test-data';
import { TaskFeedbackService } from './task-feedback.service';
import { TaskHistoryQueries } from './task-history.queries';
import { TaskStatsService } from './task-stats.service';
import { TaskTimelineService } from './task-timeline.service';

class FixedClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  override now(): Date {
    return this.at;
  }
}

const NOW = new Date('2025-03-10T12:30:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

/** percentile_cont: linear interpolation between the two nearest ranks. */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

describe('task history in PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: ExecutionRecordStore;
  let stats: TaskStatsService;
  let timeline: TaskTimelineService;
  let feedback: TaskFeedbackService;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openMigratedDataSource({
      url: database.url,
      schema: 'history',
      entities: [],
      migrations: historyMigrations,
      applicationName: 'history-test',
      poolSize: 4,
    });
    const clock = new FixedClock(NOW);
    const queries = new TaskHistoryQueries(dataSource);
    store = new ExecutionRecordStore(dataSource);
    stats = new TaskStatsService(queries, clock);
    timeline = new TaskTimelineService(queries, clock);
    feedback = new TaskFeedbackService(queries);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE "history"."task_history", "history"."task_feedback"');
  });

  it('stores each execution once, however often it is delivered', async () => {
    const records = [anExecutionRecord(), anExecutionRecord(), anExecutionRecord()];
    expect(await store.insertBatch(records)).toBe(3);
    expect(await store.insertBatch([records[0], anExecutionRecord(), records[0]])).toBe(1);
    const [{ count }] = await dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM "history"."task_history"',
    );
    expect(count).toBe(4);
  });

  it('stores the records the database accepts when it refuses one of a batch', async () => {
    const good = [anExecutionRecord(), anExecutionRecord()];
    const bad = anExecutionRecord({ error: 'a NUL \u0000 byte' });
    const outcome = await store.storeRecords([good[0], bad, good[1]]);
    expect(outcome.stored).toBe(2);
    expect(outcome.refused).toEqual([
      { record: bad, error: expect.objectContaining({ code: '22P05' }) },
    ]);
    await expect(store.storeRecords(good)).resolves.toEqual({ stored: 0, refused: [] });
  });

  it('keeps every field of a record', async () => {
    const record = anExecutionRecord({
      taskId: 'task-9',
      phase: 'task',
      success: false,
      error: 'it broke',
      durationMs: 1234,
      impactScore: 0.25,
      resourcesUsed: { cpuMs: 12 },
      parameters: { b: [1, 'two'], a: { nested: true } },
      logs: ['one', 'two "quoted"'],
      correlationId: 'corr-1',
      createdAt: minutesAgo(5),
    });
    await store.insertBatch([record]);
    const [row] = await dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM "history"."task_history"',
    );
    expect(row).toMatchObject({
      execution_id: record.executionId,
      task_id: 'task-9',
      task_key: 'task-9',
      phase: 'task',
      success: false,
      error: 'it broke',
      duration_ms: 1234,
      impact_score: 0.25,
      resources_used: { cpuMs: 12 },
      parameters: { a: { nested: true }, b: [1, 'two'] },
      logs: ['one', 'two "quoted"'],
      correlation_id: 'corr-1',
      created_at: new Date(record.createdAt),
    });
  });

  it('answers zeros and nulls for a window without executions', async () => {
    await expect(stats.getStats({ domain: 'nothing' })).resolves.toEqual({
      totalExecutions: 0,
      successCount: 0,
      failureCount: 0,
      successRate: 0,
      avgDurationMs: null,
      p50DurationMs: null,
      p95DurationMs: null,
      avgImpactScore: null,
      feedback: { positive: 0, negative: 0, neutral: 0 },
      optimalParameters: null,
      lastExecutedAt: null,
    });
  });

  describe('with a known series of executions', () => {
    const fast = { ms: 5, impactScore: 0.5 };
    const strong = { impactScore: 0.9, ms: 20 };
    let series: ExecutionRecord[];

    beforeEach(async () => {
      series = [
        ...[11, 12, 13].map((durationMs, i) =>
          anExecutionRecord({
            durationMs,
            impactScore: 0.5,
            parameters: fast,
            createdAt: minutesAgo(50 - i),
          }),
        ),
        ...[30, 31, 32].map((durationMs, i) =>
          anExecutionRecord({
            durationMs,
            impactScore: 0.9,
            parameters: { ms: 20, impactScore: 0.9 },
            createdAt: minutesAgo(40 - i),
          }),
        ),
        ...[7, 8].map((durationMs, i) =>
          anExecutionRecord({
            durationMs,
            success: false,
            error: 'failed as asked',
            parameters: { fail: true },
            createdAt: minutesAgo(30 - i),
          }),
        ),
        anExecutionRecord({
          durationMs: 100,
          impactScore: 1,
          parameters: { once: true },
          createdAt: minutesAgo(20),
        }),
        anExecutionRecord({
          action: 'echo',
          durationMs: 1,
          parameters: {},
          createdAt: minutesAgo(10),
        }),
        anExecutionRecord({ domain: 'other', durationMs: 1, createdAt: minutesAgo(10) }),
        // Outside the default 168 h window.
        anExecutionRecord({ durationMs: 999, createdAt: minutesAgo(169 * 60) }),
      ];
      await store.insertBatch(series);
    });

    it('answers the exact figures of the window', async () => {
      const inWindow = series.slice(0, 9);
      const durations = inWindow.map((r) => r.durationMs);
      const result = await stats.getStats({ domain: 'diagnostics', action: 'ping' });
      expect(result).toEqual({
        totalExecutions: 9,
        successCount: 7,
        failureCount: 2,
        successRate: 7 / 9,
        avgDurationMs: expect.closeTo(durations.reduce((a, b) => a + b) / 9, 9),
        p50DurationMs: percentile(durations, 0.5),
        p95DurationMs: expect.closeTo(percentile(durations, 0.95), 9),
        avgImpactScore: expect.closeTo((0.5 * 3 + 0.9 * 3 + 1) / 7, 9),
        feedback: { positive: 0, negative: 0, neutral: 0 },
        optimalParameters: strong,
        lastExecutedAt: minutesAgo(20),
      });
      expect(Object.keys(result.optimalParameters ?? {})).toEqual(['impactScore', 'ms']);
    });

    it('filters by domain and action, and by window', async () => {
      expect((await stats.getStats({ domain: 'diagnostics' })).totalExecutions).toBe(10);
      expect((await stats.getStats({})).totalExecutions).toBe(11);
      expect((await stats.getStats({ action: 'echo' })).totalExecutions).toBe(1);
      expect((await stats.getStats({ timeWindowHours: 200 })).totalExecutions).toBe(12);
      expect(
        (await stats.getStats({ timeWindowHours: 1, domain: 'diagnostics' })).totalExecutions,
      ).toBe(10);
    });

    it('honours minSupport: a set seen once is optimal only when one sighting is enough', async () => {
      const result = await stats.getStats({ domain: 'diagnostics', action: 'ping', minSupport: 1 });
      expect(result.optimalParameters).toEqual({ once: true });
      const none = await stats.getStats({ domain: 'diagnostics', action: 'ping', minSupport: 4 });
      expect(none.optimalParameters).toBeNull();
    });

    it("counts a task's latest feedback, and negative feedback makes its execution a failure", async () => {
      const strongRuns = series.slice(3, 6);
      await feedback.recordFeedback({ taskId: strongRuns[0].executionId, feedback: 'positive' });
      await feedback.recordFeedback({
        taskId: strongRuns[0].executionId,
        feedback: 'negative',
        comment: 'too loud',
      });
      await feedback.recordFeedback({ taskId: series[0].executionId, feedback: 'neutral' });
      await feedback.recordFeedback({ taskId: series[9].executionId, feedback: 'positive' });

      const result = await stats.getStats({ domain: 'diagnostics', action: 'ping' });
      expect(result.feedback).toEqual({ positive: 0, negative: 1, neutral: 1 });
      // strong: 2 of 3 effective successes now; fast: 3 of 3.
      expect(result.optimalParameters).toEqual({ impactScore: 0.5, ms: 5 });
      // The overall success rate is what ran, not what people thought of it.
      expect(result.successCount).toBe(7);
      expect((await stats.getStats({ domain: 'diagnostics' })).feedback).toEqual({
        positive: 1,
        negative: 1,
        neutral: 1,
      });
    });

    it("counts only feedback given in the window, filed under the task's domain and action", async () => {
      await feedback.recordFeedback({ taskId: series[3].executionId, feedback: 'negative' });
      await feedback.recordFeedback({ taskId: series[4].executionId, feedback: 'negative' });
      await dataSource.query(
        `UPDATE "history"."task_feedback" SET created_at = $1 WHERE task_id = $2`,
        [minutesAgo(200 * 60), series[4].executionId],
      );
      const [filed] = await dataSource.query<{ domain: string; action: string }[]>(
        'SELECT domain, action FROM "history"."task_feedback" WHERE task_id = $1',
        [series[3].executionId],
      );
      expect(filed).toEqual({ domain: 'diagnostics', action: 'ping' });
      const result = await stats.getStats({ domain: 'diagnostics', action: 'ping' });
      expect(result.feedback).toEqual({ positive: 0, negative: 1, neutral: 0 });
      // strong: 2 of 3 effective successes; fast: 3 of 3.
      expect(result.optimalParameters).toEqual(fast);
    });

    it('refuses feedback on a task with no execution, and accepts a task id or execution id', async () => {
      await expect(
        feedback.recordFeedback({ taskId: 'unknown', feedback: 'positive' }),
      ).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      await store.insertBatch([anExecutionRecord({ taskId: 'task-42', createdAt: minutesAgo(1) })]);
      await expect(
        feedback.recordFeedback({ taskId: 'task-42', feedback: 'positive' }),
      ).resolves.toMatchObject({
        taskId: 'task-42',
        feedback: 'positive',
        comment: null,
      });
    });

    it('counts executions per UTC hour, empty hours included, and lists the latest first', async () => {
      const result = await timeline.getTimeline({
        domain: 'diagnostics',
        timeWindowHours: 3,
        recentLimit: 2,
      });
      expect(result.timeWindowHours).toBe(3);
      expect(result.buckets).toEqual([
        { bucketStart: '2025-03-10T09:00:00.000Z', total: 0, succeeded: 0, failed: 0 },
        { bucketStart: '2025-03-10T10:00:00.000Z', total: 0, succeeded: 0, failed: 0 },
        // 11:40-11:42 fast, 11:50-11:52 strong; 12:00-12:01 failed, 12:10 once, 12:20 echo.
        { bucketStart: '2025-03-10T11:00:00.000Z', total: 6, succeeded: 6, failed: 0 },
        { bucketStart: '2025-03-10T12:00:00.000Z', total: 4, succeeded: 2, failed: 2 },
      ]);
      expect(result.recentExecutions.map((e) => e.executionId)).toEqual([
        series[9].executionId,
        series[8].executionId,
      ]);
      expect(result.recentExecutions[0]).toEqual({
        executionId: series[9].executionId,
        taskId: null,
        domain: 'diagnostics',
        action: 'echo',
        phase: 'execute',
        success: true,
        error: null,
        durationMs: 1,
        impactScore: null,
        parameters: {},
        correlationId: null,
        createdAt: minutesAgo(10),
      });
    });
  });
});
