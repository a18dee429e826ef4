import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '@jarvis/database';
import { createTestDatabase, TestDatabase } from '@jarvis/testing';
import { Clock } from '../clock/clock';
import { historyMigrations } from '../migrations';
import { RETENTION_BATCH_SIZE, TaskHistoryRetention } from './task-history-retention';

const NOW = new Date('2025-06-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

describe(TaskHistoryRetention.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let retention: TaskHistoryRetention;

  const count = async (table: string) => {
    const [{ n }] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "history"."${table}"`,
    );
    return n;
  };

  /** `rows` executions that started `ageDays` before NOW (and their feedback when asked). */
  const seed = async (rows: number, ageDays: number, withFeedback = false) => {
    await dataSource.query(
      `INSERT INTO "history"."task_history"
         (execution_id, domain, action, phase, success, duration_ms, parameters_hash, created_at)
       SELECT 'age' || $2::text || '-' || i, 'diagnostics', 'ping', 'execute', true, 1, 0,
              $3::timestamptz - make_interval(days => $2::int) - make_interval(secs => i)
         FROM generate_series(1, $1::int) AS i`,
      [rows, ageDays, NOW],
    );
    if (withFeedback) {
      await dataSource.query(
        `INSERT INTO "history"."task_feedback" (task_id, domain, action, feedback, created_at)
         SELECT 'age' || $2::text || '-' || i, 'diagnostics', 'ping', 'positive',
                $3::timestamptz - make_interval(days => $2::int)
           FROM generate_series(1, $1::int) AS i`,
        [rows, ageDays, NOW],
      );
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openMigratedDataSource({
      url: database.url,
      schema: 'history',
      entities: [],
      migrations: historyMigrations,
      applicationName: 'retention-test',
      poolSize: 2,
    });
    retention = new TaskHistoryRetention(dataSource, { taskHistoryRetentionDays: 90 }, new Clock());
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('deletes what is older than the retention, in batches, and logs the counts', async () => {
    const logged: unknown[] = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((fields: unknown) => {
      logged.push(fields);
    });
    await seed(2 * RETENTION_BATCH_SIZE + 17, 91, false);
    await seed(3, 120, true);
    await seed(5, 89, true);

    const report = await retention.purge(NOW);

    expect(report).toEqual({
      cutoff: new Date(NOW.getTime() - 90 * DAY_MS).toISOString(),
      executionsDeleted: 2 * RETENTION_BATCH_SIZE + 20,
      feedbackDeleted: 3,
      batches: 4,
      ran: true,
    });
    expect(await count('task_history')).toBe(5);
    expect(await count('task_feedback')).toBe(5);
    expect(logged).toEqual([
      expect.objectContaining({
        executionsDeleted: 2 * RETENTION_BATCH_SIZE + 20,
        feedbackDeleted: 3,
      }),
    ]);
    await expect(retention.purge(NOW)).resolves.toMatchObject({ executionsDeleted: 0, batches: 0 });
    jest.restoreAllMocks();
  });

  it('skips a run while another instance holds the purge', async () => {
    await seed(4, 100);
    const other = new Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock(hashtext('jarvis:history:retention'))");
      await expect(retention.purge(NOW)).resolves.toMatchObject({
        ran: false,
        executionsDeleted: 0,
      });
    } finally {
      await other.end();
    }
    await expect(retention.purge(NOW)).resolves.toMatchObject({ ran: true, executionsDeleted: 4 });
  });
});
