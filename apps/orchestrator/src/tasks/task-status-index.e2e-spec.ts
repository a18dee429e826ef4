import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '@jarvis/database';
import { createTestDatabase, TestDatabase } from '@jarvis/testing';
import { LedgerStore } from '../ledger/ledger.store';
import { orchestratorDatabase } from '../orchestrator-database';
import { TaskStore } from './task.store';

jest.setTimeout(30_000);

/**
 * Completed tasks stay out of the status index, so completing one writes an entry fewer;
 * the statements that look for any other status must still find it through the index.
 */
describe('the task status index', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  /** The plan PostgreSQL picks for the statement `run` sends, with its parameters. */
  const planOf = async (run: () => Promise<unknown>): Promise<string> => {
    const query = jest.spyOn(dataSource, 'query');
    try {
      await run();
      const [sql, parameters] = query.mock.calls[0];
      const plan: { 'QUERY PLAN': unknown }[] = await dataSource.query(
        `EXPLAIN (FORMAT JSON) ${sql}`,
        parameters,
      );
      return JSON.stringify(plan[0]['QUERY PLAN']);
    } finally {
      query.mockRestore();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    // The app's own session settings: the plans are the ones it gets.
    dataSource = await openMigratedDataSource({
      ...orchestratorDatabase,
      url: database.url,
      entities: [],
      applicationName: 'status-index-test',
      poolSize: 2,
    });
    await dataSource.query(
      `INSERT INTO "orchestrator"."tasks" (id, domain, action, priority, status, max_attempts,
         created_at, updated_at)
       SELECT gen_random_uuid(), 'diagnostics', 'succeed', 'normal',
         CASE WHEN n % 500 = 0 THEN 'failed' WHEN n % 499 = 0 THEN 'running' ELSE 'completed' END,
         3, now() - make_interval(secs => n), now() - interval '1 hour'
       FROM generate_series(1, 20000) n`,
    );
    await dataSource.query('ANALYZE "orchestrator"."tasks"');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('holds every task but the completed ones', async () => {
    const [{ entries }] = (await dataSource.query(
      `SELECT count(*)::int AS entries FROM "orchestrator"."tasks" WHERE status <> 'completed'`,
    )) as { entries: number }[];
    const [{ indexed }] = (await dataSource.query(
      `SELECT i.indpred IS NOT NULL AS indexed FROM pg_index i
       WHERE i.indexrelid = '"orchestrator"."IDX_tasks_status_created_not_completed"'::regclass`,
    )) as { indexed: boolean }[];
    expect(indexed).toBe(true);
    expect(entries).toBe(80);
  });

  it('serves a page of failed tasks and the walk of running ones', async () => {
    const store = new TaskStore(dataSource);
    const failedPage = await planOf(() => store.list({ status: 'failed', limit: 5 }));
    expect(failedPage).toContain('IDX_tasks_status_created_not_completed');
    const stale = await planOf(() => new LedgerStore(dataSource).unfinishedAfter(undefined, 0, 10));
    expect(stale).toContain('IDX_tasks_status_created_not_completed');
    expect((await store.list({ status: 'failed', limit: 5 })).rows).toHaveLength(5);
  });

  it('pages completed tasks newest first through the creation index', async () => {
    const page = await planOf(() => new TaskStore(dataSource).list({ status: 'completed' }));
    expect(page).toContain('IDX_tasks_created');
    expect(page).not.toContain('IDX_tasks_status_created_not_completed');
  });
});
