import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AiUsageRecord } from '@jarvis/contracts';
import { openMigratedDataSource } from '@jarvis/database';
import { createTestDatabase, TestDatabase } from '@jarvis/testing';
import { historyMigrations } from '../migrations';
import { AiUsageQueries } from './ai-usage.queries';
import { AiUsageStore } from './ai-usage.store';

const usage = (overrides: Partial<AiUsageRecord> = {}): AiUsageRecord => ({
  callId: randomUUID(),
  provider: 'openai',
  model: 'gpt-4o-mini',
  promptTokens: 1234,
  completionTokens: 567,
  costUsd: '0.0005253',
  latencyMs: 420,
  success: true,
  error: null,
  domain: 'ai',
  action: 'complete',
  policy: 'balanced',
  taskId: null,
  correlationId: 'corr-1',
  createdAt: '2025-03-12T10:00:00.000Z',
  ...overrides,
});

describe(`${AiUsageStore.name} and ${AiUsageQueries.name}`, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: AiUsageStore;
  let queries: AiUsageQueries;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openMigratedDataSource({
      url: database.url,
      schema: 'history',
      entities: [],
      migrations: historyMigrations,
      applicationName: 'ai-usage-test',
      poolSize: 2,
    });
    store = new AiUsageStore(dataSource);
    queries = new AiUsageQueries(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('stores each call once, however often it is delivered', async () => {
    const first = usage();
    const second = usage({ provider: 'anthropic', model: 'claude-test', costUsd: '0.0006' });
    expect(await store.insertBatch([first, second, first])).toBe(2);
    expect(await store.insertBatch([first, second])).toBe(0);
  });

  it('sums tokens and exact costs in total and per group', async () => {
    await store.insertBatch([
      usage({ costUsd: '0.000000000001', createdAt: '2025-03-13T23:59:59.999Z' }),
      usage({
        success: false,
        error: 'openai: HTTP 500',
        promptTokens: 0,
        completionTokens: 0,
        costUsd: '0',
        domain: 'code',
        createdAt: '2025-03-13T00:00:00.000Z',
      }),
      usage({ createdAt: '2025-03-14T00:00:00.000Z' }), // outside the range: `to` is exclusive
    ]);
    const range = { from: '2025-03-12T00:00:00.000Z', to: '2025-03-14T00:00:00.000Z' };

    const byDay = await queries.report({ ...range, groupBy: 'day' });
    expect(byDay.totals).toEqual({
      calls: 4,
      successes: 3,
      failures: 1,
      promptTokens: 3 * 1234,
      completionTokens: 3 * 567,
      costUsd: '0.001125300001',
      avgLatencyMs: 420,
    });
    expect(byDay.groups.map((group) => [group.key, group.calls, group.costUsd])).toEqual([
      ['2025-03-12', 2, '0.0011253'],
      ['2025-03-13', 2, '0.000000000001'],
    ]);

    const byProvider = await queries.report({ ...range, groupBy: 'provider' });
    expect(byProvider.groups.map((group) => [group.key, group.costUsd])).toEqual([
      ['anthropic', '0.0006'],
      ['openai', '0.000525300001'],
    ]);
    const byDomain = await queries.report({ ...range, groupBy: 'domain' });
    expect(byDomain.groups.map((group) => [group.key, group.failures])).toEqual([
      ['ai', 0],
      ['code', 1],
    ]);
    const totalsOnly = await queries.report(range);
    expect(totalsOnly).toMatchObject({ groupBy: null, groups: [] });
  });

  it('answers zeros for an empty range', async () => {
    const empty = await queries.report({
      from: '2020-01-01T00:00:00.000Z',
      to: '2020-01-02T00:00:00.000Z',
      groupBy: 'model',
    });
    expect(empty.totals).toEqual({
      calls: 0,
      successes: 0,
      failures: 0,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: '0',
      avgLatencyMs: null,
    });
    expect(empty.groups).toEqual([]);
  });
});
