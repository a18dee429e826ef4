import { Client } from 'pg';
import { setTimeout as delay } from 'node:timers/promises';
import {
  createTestDatabase,
  JsonBody,
  readJson,
  RunningSuite,
  startSuite,
  TestDatabase,
} from '@jarvis/testing';

jest.setTimeout(120_000);

interface Ran {
  executionId: string;
  durationMs: number;
  success: boolean;
}

/** percentile_cont: linear interpolation between the two nearest ranks. */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  return sorted[lower] + (sorted[Math.ceil(position)] - sorted[lower]) * (position - lower);
}

const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Executions recorded by the orchestrator, stored by history, queried through the gateway. */
describe('task history through the suite', () => {
  let database: TestDatabase;
  let suite: RunningSuite;

  beforeAll(async () => {
    database = await createTestDatabase();
    suite = await startSuite(database.url, ['gateway', 'orchestrator', 'history']);
  });

  afterAll(async () => {
    await suite?.stop();
    await database?.drop();
  });

  const headers = () => ({
    'content-type': 'application/json',
    authorization: `Bearer ${suite.adminApiKey}`,
  });
  const get = async (path: string) => {
    const response = await fetch(`${suite.gatewayUrl}${path}`, { headers: headers() });
    return { status: response.status, body: await readJson(response) };
  };
  const post = async (path: string, body: unknown, correlationId?: string) => {
    const response = await fetch(`${suite.gatewayUrl}${path}`, {
      method: 'POST',
      headers: correlationId ? { ...headers(), 'x-correlation-id': correlationId } : headers(),
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await readJson(response) };
  };
  const execute = async (
    action: string,
    params: Record<string, unknown>,
    correlationId?: string,
  ): Promise<Ran> => {
    const { status, body } = await post(
      '/api/v1/execute',
      { module: 'diagnostics', action, params },
      correlationId,
    );
    if (status === 200) return { ...pick(body.data), success: true };
    if (status === 422) return { ...pick(body.error.details), success: false };
    throw new Error(`execute answered ${status}: ${JSON.stringify(body)}`);
  };
  const pick = (source: JsonBody) => ({
    executionId: source.executionId as string,
    durationMs: source.durationMs as number,
  });
  const statsWhen = async (query: string, done: (data: JsonBody) => boolean) => {
    // Up to 45 s: a record the stopped instance had received but not stored comes back
    // after the consumer's ack wait (10 s).
    for (let attempt = 0; attempt < 450; attempt++) {
      const { status, body } = await get(`/api/v1/tasks/history?${query}`);
      if (status === 200 && done(body.data)) return body.data as JsonBody;
      await delay(100);
    }
    throw new Error(`stats for ${query} never matched`);
  };

  describe('a series of diagnostics executions with known outcomes', () => {
    const steady = { ms: 1, impactScore: 0.9 };
    const strong = { impactScore: 0.95, ms: 2 };
    let steadyRuns: Ran[];
    let strongRuns: Ran[];
    let failedRuns: Ran[];
    let pingRun: Ran;
    let startedAt: number;
    let lastStartedBefore: number;

    beforeAll(async () => {
      startedAt = Date.now();
      steadyRuns = [];
      strongRuns = [];
      failedRuns = [];
      for (let i = 0; i < 3; i++) steadyRuns.push(await execute('succeed', steady));
      for (let i = 0; i < 3; i++) strongRuns.push(await execute('succeed', strong));
      for (let i = 0; i < 2; i++) failedRuns.push(await execute('succeed', { ms: 3, fail: true }));
      lastStartedBefore = Date.now();
      pingRun = await execute('ping', { impactScore: 0.2 }, 'history-e2e-ping');
      await statsWhen('domain=diagnostics', (data) => data.totalExecutions === 9);
    });

    it('answers the exact stats those executions imply', async () => {
      const runs = [...steadyRuns, ...strongRuns, ...failedRuns];
      expect(failedRuns.every((run) => !run.success)).toBe(true);
      const durations = runs.map((run) => run.durationMs);
      const { status, body } = await get('/api/v1/tasks/history?domain=diagnostics&action=succeed');
      expect(status).toBe(200);
      expect(body).toEqual({
        success: true,
        data: {
          totalExecutions: 8,
          successCount: 6,
          failureCount: 2,
          successRate: 0.75,
          avgDurationMs: expect.closeTo(average(durations), 9),
          p50DurationMs: expect.closeTo(percentile(durations, 0.5), 9),
          p95DurationMs: expect.closeTo(percentile(durations, 0.95), 9),
          avgImpactScore: expect.closeTo((0.9 * 3 + 0.95 * 3) / 6, 9),
          feedback: { positive: 0, negative: 0, neutral: 0 },
          optimalParameters: { impactScore: 0.95, ms: 2 },
          lastExecutedAt: expect.any(String),
        },
      });
      const last = Date.parse(body.data.lastExecutedAt);
      expect(last).toBeGreaterThanOrEqual(startedAt);
      expect(last).toBeLessThanOrEqual(lastStartedBefore);

      const all = await get('/api/v1/tasks/history?domain=diagnostics&timeWindow=1');
      expect(all.body.data).toMatchObject({
        totalExecutions: 9,
        successCount: 7,
        avgImpactScore: expect.closeTo((0.9 * 3 + 0.95 * 3 + 0.2) / 7, 9),
      });
      const elsewhere = await get('/api/v1/tasks/history?domain=music-production');
      expect(elsewhere.body.data).toMatchObject({
        totalExecutions: 0,
        successRate: 0,
        optimalParameters: null,
      });
    });

    it('counts feedback, and negative feedback turns the learned parameters', async () => {
      const disliked = await post(`/api/v1/tasks/${strongRuns[0].executionId}/feedback`, {
        feedback: 'negative',
        comment: 'too slow to matter',
      });
      expect(disliked).toEqual({
        status: 201,
        body: {
          success: true,
          data: {
            id: expect.any(String),
            taskId: strongRuns[0].executionId,
            feedback: 'negative',
            comment: 'too slow to matter',
            createdAt: expect.any(String),
          },
        },
      });
      expect(
        (await post(`/api/v1/tasks/${pingRun.executionId}/feedback`, { feedback: 'positive' }))
          .status,
      ).toBe(201);

      const { body } = await get('/api/v1/tasks/history?domain=diagnostics&action=succeed');
      expect(body.data.feedback).toEqual({ positive: 0, negative: 1, neutral: 0 });
      expect(body.data.optimalParameters).toEqual({ impactScore: 0.9, ms: 1 });
      expect(body.data.successCount).toBe(6);
      const domain = await get('/api/v1/tasks/history?domain=diagnostics');
      expect(domain.body.data.feedback).toEqual({ positive: 1, negative: 1, neutral: 0 });
    });

    it('answers 404 for feedback on an unknown task and 400 for a value it does not know', async () => {
      const unknown = await post('/api/v1/tasks/no-such-task/feedback', { feedback: 'positive' });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
      const great = await post(`/api/v1/tasks/${pingRun.executionId}/feedback`, {
        feedback: 'great',
      });
      expect(great.status).toBe(400);
      expect(great.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ field: 'feedback' })],
      });
    });

    it.each(['0', '-1', 'abc', '1.5', '8761'])('answers 400 for timeWindow=%s', async (value) => {
      const { status, body } = await get(`/api/v1/tasks/history?timeWindow=${value}`);
      expect(status).toBe(400);
      expect(body.error.details[0].field).toBe('timeWindow');
    });

    it('answers the timeline: hourly counts and the most recent executions', async () => {
      const { status, body } = await get('/api/v1/tasks/timeline?domain=diagnostics');
      expect(status).toBe(200);
      expect(body.success).toBe(true);
      const { buckets, recentExecutions, timeWindowHours } = body.data;
      expect(timeWindowHours).toBe(24);
      expect(buckets.length).toBeGreaterThanOrEqual(24);
      expect(buckets.length).toBeLessThanOrEqual(25);
      const sum = (key: string) =>
        buckets.reduce((total: number, b: JsonBody) => total + b[key], 0);
      expect({ total: sum('total'), succeeded: sum('succeeded'), failed: sum('failed') }).toEqual({
        total: 9,
        succeeded: 7,
        failed: 2,
      });
      expect(recentExecutions[0]).toMatchObject({
        executionId: pingRun.executionId,
        domain: 'diagnostics',
        action: 'ping',
        success: true,
        durationMs: pingRun.durationMs,
        impactScore: 0.2,
        parameters: { impactScore: 0.2 },
        correlationId: 'history-e2e-ping',
      });
      expect(recentExecutions.map((e: JsonBody) => e.executionId).slice(1, 3)).toEqual([
        failedRuns[1].executionId,
        failedRuns[0].executionId,
      ]);
    });
  });

  it('loses and duplicates no record when history stops while executions run', async () => {
    const ran: Ran[] = [];
    const total = 60;
    let historyRestarted = false;
    const load = (async () => {
      for (let i = 0; i < total; i++) ran.push(await execute('echo', { i }));
    })();
    while (ran.length < 15) await delay(5);
    expect(await suite.stopApp('history')).toBe(0);
    expect((await get('/api/v1/tasks/history')).status).toBe(503);
    while (ran.length < 40) await delay(5);
    await suite.startApp('history');
    historyRestarted = true;
    await load;
    expect(historyRestarted).toBe(true);
    expect(ran.every((run) => run.success)).toBe(true);

    await statsWhen('action=echo', (data) => data.totalExecutions >= total);
    await delay(500);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ execution_id: string; copies: number }>(
        `SELECT execution_id, count(*)::int AS copies FROM "history"."task_history"
          WHERE action = 'echo' GROUP BY execution_id`,
      );
      expect(rows.every((row) => row.copies === 1)).toBe(true);
      expect(rows.map((row) => row.execution_id).sort()).toEqual(
        ran.map((run) => run.executionId).sort(),
      );
    } finally {
      await client.end();
    }
  });
});
