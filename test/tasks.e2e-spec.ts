import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { AgentWorker, connectAgentTransport } from '@jarvis/agent-sdk';
import { TaskStats, TaskStatsRequest } from '@jarvis/contracts';
import { MessageBus, NatsConnectionHolder, SubjectNamer } from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import {
  createTestDatabase,
  JsonBody,
  readJson,
  RunningSuite,
  startSuite,
  TestDatabase,
} from '@jarvis/testing';

jest.setTimeout(240_000);

/** Tasks through the gateway, as the issue checks them, with all four apps running. */
describe('tasks', () => {
  let database: TestDatabase;
  let suite: RunningSuite;
  let connection: NatsConnectionHolder;
  let bus: MessageBus;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    suite = await startSuite(database.url, undefined, {
      TASK_RETRY_DELAY_MS: '100',
      AGENT_HEARTBEAT_INTERVAL_MS: '1000',
    });
    connection = new NatsConnectionHolder({
      servers: [suite.env.NATS_URL as string],
      name: 'tasks-test',
    });
    await connection.connect();
    bus = new MessageBus(
      connection,
      new SubjectNamer(suite.env.NATS_SUBJECT_PREFIX as string),
      5000,
      new MetricsService(),
    );
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await connection?.onApplicationShutdown();
    await suite?.stop();
    await database?.drop();
  });

  const headers = () => ({
    authorization: `Bearer ${suite.adminApiKey}`,
    'content-type': 'application/json',
  });
  const post = async (path: string, body: unknown = {}, extra: Record<string, string> = {}) => {
    const response = await fetch(`${suite.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { ...headers(), ...extra },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await readJson(response)) as JsonBody };
  };
  const get = async (path: string) => {
    const response = await fetch(`${suite.gatewayUrl}${path}`, { headers: headers() });
    return { status: response.status, body: (await readJson(response)) as JsonBody };
  };
  const submit = async (body: Record<string, unknown>) => {
    const answer = await post('/api/v1/tasks', body);
    expect(answer.status).toBe(202);
    return answer.body.data as { id: string; status: string; params: Record<string, unknown> };
  };
  const waitForTask = async (id: string, statuses: string[], timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await get(`/api/v1/tasks/${id}`);
      if (statuses.includes(body.data.status)) return body.data;
      if (Date.now() > deadline)
        throw new Error(`task ${id} is ${body.data.status}, not ${statuses.join('/')}`);
      await delay(100);
    }
  };
  const stats = (domain: string, action: string): Promise<TaskStats> =>
    bus.request(TaskStatsRequest, { domain, action, timeWindowHours: 168 });
  const waitForStats = async (
    domain: string,
    action: string,
    enough: (stats: TaskStats) => boolean,
    timeoutMs = 60_000,
  ) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await stats(domain, action);
      if (enough(current)) return current;
      if (Date.now() > deadline)
        throw new Error(`history stats of ${domain}/${action}: ${JSON.stringify(current)}`);
      await delay(200);
    }
  };

  it('answers 400 for an unknown domain or a bad priority, and for an id that is not a UUID', async () => {
    const unknown = await post('/api/v1/tasks', { domain: 'nope', action: 'ping' });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ field: 'domain' })]);
    const priority = await post('/api/v1/tasks', {
      domain: 'diagnostics',
      action: 'ping',
      priority: 'urgent',
    });
    expect(priority).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect((await get('/api/v1/tasks/not-a-uuid')).status).toBe(400);
    expect((await get('/api/v1/tasks/6648f318-61d1-48e0-85e3-c64f4753a019')).status).toBe(404);
    expect((await get('/api/v1/tasks?status=nope')).status).toBe(400);
    expect((await get('/api/v1/tasks?cursor=not-a-cursor')).status).toBe(400);
    for (const status of ['pending', 'queued', 'dead']) {
      expect((await get(`/api/v1/tasks?status=${status}&limit=5`)).status).toBe(200);
    }
  });

  it('hands a new domain to a worker running outside the suite, once it has registered', async () => {
    const before = await post('/api/v1/tasks', { domain: 'music-production', action: 'beat' });
    expect(before.status).toBe(400);
    const transport = await connectAgentTransport({
      servers: [suite.env.NATS_URL as string],
      subjectPrefix: suite.env.NATS_SUBJECT_PREFIX as string,
      name: 'music-agent',
      ledgerTimeoutMs: 5000,
    });
    const worker = new AgentWorker(transport, {
      agent: {
        name: 'music-production',
        actions: {
          beat: (params, context) => {
            context?.reportProgress({ percent: 50, message: 'drums done' });
            return Promise.resolve({ output: { bpm: params.bpm ?? 100 }, impactScore: 0.8 });
          },
        },
      },
      instance: 'studio-1',
      concurrency: 2,
      queue: { ackWaitMs: 30_000, maxAckPending: 100 },
      taskTimeoutMs: 10_000,
      heartbeatIntervalMs: 500,
    });
    await worker.start();
    try {
      const deadline = Date.now() + 10_000;
      let answer = before;
      while (answer.status === 400 && Date.now() < deadline) {
        await delay(200);
        answer = await post('/api/v1/tasks', {
          domain: 'music-production',
          action: 'beat',
          params: { bpm: 128 },
        });
      }
      expect(answer.status).toBe(202);
      const done = await waitForTask(answer.body.data.id, ['completed']);
      expect(done).toMatchObject({ agent: 'studio-1', result: { output: { bpm: 128 } } });
      const { body } = await get('/api/v1/agents');
      expect(body.data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            domain: 'music-production',
            instance: 'studio-1',
            actions: ['beat'],
            status: 'online',
          }),
        ]),
      );
      await waitForStats('music-production', 'beat', (current) => current.successCount === 1);
    } finally {
      await worker.stop();
      await transport.close();
    }
    const { body } = await get('/api/v1/agents');
    expect(body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ instance: 'studio-1', status: 'stopped' }),
      ]),
    );
  });

  it('answers the first task again for a repeated Idempotency-Key', async () => {
    const key = { 'idempotency-key': `same-${Date.now()}` };
    const first = await post('/api/v1/tasks', { domain: 'diagnostics', action: 'ping' }, key);
    const again = await post('/api/v1/tasks', { domain: 'diagnostics', action: 'echo' }, key);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.data).toMatchObject({ id: first.body.data.id, action: 'ping' });
  });

  it('defers a seventh diagnostics/fail task after six failed, giving the rate', async () => {
    for (let n = 0; n < 6; n++) {
      const task = await submit({ domain: 'diagnostics', action: 'fail', maxAttempts: 1 });
      expect(task.status).not.toBe('deferred');
      await waitForTask(task.id, ['dead', 'failed']);
    }
    await waitForStats('diagnostics', 'fail', (current) => current.totalExecutions >= 6);
    const seventh = await submit({ domain: 'diagnostics', action: 'fail' });
    expect(seventh).toMatchObject({
      status: 'deferred',
      decision: { decision: 'defer', confidence: 0.9, historyAvailable: true, successRate: 0 },
    });
    const read = await get(`/api/v1/tasks/${seventh.id}`);
    expect(read.body.data.decision.reasoning).toContain('0%');
    expect(read.body.data.decision.reasoning).toContain('0 of 6');
  });

  it('runs a task given no params with the parameter set that succeeded three times', async () => {
    const learned = { mood: 'calm', tempo: 90 };
    for (let n = 0; n < 3; n++) {
      const task = await submit({ domain: 'diagnostics', action: 'echo', params: learned });
      await waitForTask(task.id, ['completed']);
    }
    await waitForStats('diagnostics', 'echo', (current) => current.successCount >= 3);
    const task = await submit({ domain: 'diagnostics', action: 'echo' });
    expect(task.params).toEqual(learned);
    const done = await waitForTask(task.id, ['completed']);
    expect(done).toMatchObject({
      params: learned,
      result: { output: learned },
      decision: { decision: 'proceed', appliedParameters: learned },
    });
  });

  it('completes 1,000 diagnostics/succeed tasks and history counts exactly 1,000 more', async () => {
    const before = (await stats('diagnostics', 'succeed')).totalExecutions;
    const count = 1000;
    const ids: string[] = [];
    for (let batch = 0; batch < count; batch += 25) {
      const answers = await Promise.all(
        Array.from({ length: 25 }, () => submit({ domain: 'diagnostics', action: 'succeed' })),
      );
      ids.push(...answers.map((task) => task.id));
    }
    expect(new Set(ids).size).toBe(count);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows } = await db.query<{ completed: number }>(
        `SELECT count(*)::int AS completed FROM "orchestrator"."tasks"
         WHERE action = 'succeed' AND status = 'completed' AND id = ANY($1::uuid[])`,
        [ids],
      );
      if (rows[0].completed === count) break;
      if (Date.now() > deadline) throw new Error(`${rows[0].completed} of ${count} completed`);
      await delay(250);
    }
    // Through the API too: every page of completed tasks, newest first.
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/tasks?status=completed&domain=diagnostics&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await get(query);
      expect(page.status).toBe(200);
      for (const task of page.body.data.items) seen.add(task.id);
      cursor = page.body.data.nextCursor;
    } while (cursor);
    expect(ids.every((id) => seen.has(id))).toBe(true);

    await waitForStats(
      'diagnostics',
      'succeed',
      (current) => current.totalExecutions >= before + count,
    );
    await delay(2000);
    expect((await stats('diagnostics', 'succeed')).totalExecutions).toBe(before + count);
  });

  it('stops a long sleep task that is cancelled; it ends cancelled', async () => {
    const task = await submit({ domain: 'diagnostics', action: 'sleep', params: { ms: 60_000 } });
    await waitForTask(task.id, ['running']);
    const cancelled = await post(`/api/v1/tasks/${task.id}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { data: { status: 'cancelled' } } });
    await delay(1500);
    expect((await get(`/api/v1/tasks/${task.id}`)).body.data).toMatchObject({
      status: 'cancelled',
    });
    const { body } = await get('/api/v1/agents');
    const diagnostics = body.data.filter((agent: JsonBody) => agent.domain === 'diagnostics');
    expect(diagnostics).toEqual([
      expect.objectContaining({
        status: 'online',
        tasksInFlight: 0,
        lastHeartbeatAt: expect.any(String),
      }),
    ]);
    expect((await post(`/api/v1/tasks/${task.id}/cancel`)).status).toBe(200);
    expect((await post(`/api/v1/tasks/${task.id}/retry`)).status).toBe(409);
  });

  it('records an execute command like a task run', async () => {
    const before = (await stats('diagnostics', 'ping')).totalExecutions;
    const executed = await post('/api/v1/execute', { module: 'diagnostics', action: 'ping' });
    expect(executed).toMatchObject({ status: 200, body: { data: { result: { output: 'pong' } } } });
    await waitForStats('diagnostics', 'ping', (current) => current.totalExecutions === before + 1);
  });
});
