import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  EXECUTIONS_STREAM,
  ExecutionRecord,
  SubmitTaskCommand,
  SubmitTaskRequest,
  TASKS_DLQ_STREAM,
  TaskStatus,
} from '@jarvis/contracts';
import {
  JetStreamService,
  MessageBus,
  NatsConnectionHolder,
  PipelinedPublisher,
  SubjectNamer,
} from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import {
  AppProcess,
  createTestDatabase,
  PrivateNatsServer,
  startAppProcess,
  startPrivateNatsServer,
  TestDatabase,
  uniqueSubjectPrefix,
} from '@jarvis/testing';
import { OutboxMessage } from '../src/queue/outbox-message';
import { OutboxRelay, OutboxRelaySettings } from '../src/queue/outbox-relay';
import { QueueHarness } from './queue-harness';

jest.setTimeout(120_000);

interface TaskRow {
  id: string;
  status: TaskStatus;
  attempts: number;
  agent: string | null;
}

/**
 * Each case runs against a nats-server it starts itself (own port and store) and a
 * database of its own, kills real processes with SIGKILL, and counts what arrived:
 * every task ends exactly once and no execution is recorded twice.
 */
describe('task queue faults', () => {
  let nats: PrivateNatsServer;
  let database: TestDatabase;
  let db: Client;
  let prefix: string;
  let connection: NatsConnectionHolder;
  let bus: MessageBus;
  let jetStream: JetStreamService;
  const apps: AppProcess[] = [];

  beforeEach(async () => {
    nats = await startPrivateNatsServer();
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    prefix = uniqueSubjectPrefix();
    connection = new NatsConnectionHolder({ servers: [nats.url], name: 'fault-test' });
    await connection.connect();
    const namer = new SubjectNamer(prefix);
    bus = new MessageBus(connection, namer, 5000, new MetricsService());
    jetStream = new JetStreamService(connection, namer);
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.kill('SIGKILL')));
    await connection.onApplicationShutdown().catch(() => undefined);
    await db.end();
    await database.drop();
    await nats.stop();
  });

  const orchestrator = async (env: NodeJS.ProcessEnv = {}) => {
    const app = await startAppProcess('orchestrator', {
      DATABASE_URL: database.url,
      NATS_URL: nats.url,
      NATS_SUBJECT_PREFIX: prefix,
      TASK_ACK_WAIT_MS: '2000',
      TASK_RETRY_DELAY_MS: '100',
      TASK_RECONCILE_INTERVAL_MS: '1000',
      TASK_DECISION_TIMEOUT_MS: '200',
      AGENT_HEARTBEAT_INTERVAL_MS: '1000',
      ...env,
    });
    apps.push(app);
    return app;
  };

  const submit = async (command: SubmitTaskCommand): Promise<string> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        return (await bus.request(SubmitTaskRequest, command, { timeoutMs: 2000 })).id;
      } catch (error) {
        // The broker or the orchestrator is down: the idempotency key makes a repeat safe.
        if (Date.now() > deadline) throw error;
        await delay(200);
      }
    }
  };

  const tasks = async (): Promise<TaskRow[]> =>
    (await db.query<TaskRow>(`SELECT id, status, attempts, agent FROM "orchestrator"."tasks"`))
      .rows;

  const waitUntilAll = async (count: number, statuses: TaskStatus[], timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await tasks();
      if (rows.length === count && rows.every((row) => statuses.includes(row.status))) return rows;
      if (Date.now() > deadline) {
        const left = rows.filter((row) => !statuses.includes(row.status));
        throw new Error(
          `${rows.length} tasks, not yet ${statuses.join('/')}: ${JSON.stringify(left.slice(0, 5))}`,
        );
      }
      await delay(200);
    }
  };

  /** Every message of a limits stream on the private server (execution records, dead letters). */
  const streamMessages = async <T>(stream: string): Promise<T[]> => {
    const jsm = await jetStream.jsm();
    const name = jetStream.streamName(stream);
    const info = await jsm.streams.info(name).catch(() => undefined);
    const found: T[] = [];
    if (!info || info.state.messages === 0) return found;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(name, { seq }).catch(() => undefined);
      if (message) found.push(message.json<T>());
    }
    return found;
  };

  const executionsByTask = async () => {
    const records = await streamMessages<ExecutionRecord>(EXECUTIONS_STREAM.name);
    const byTask = new Map<string, ExecutionRecord[]>();
    for (const record of records) {
      if (!record.taskId) continue;
      byTask.set(record.taskId, [...(byTask.get(record.taskId) ?? []), record]);
    }
    return { records, byTask };
  };

  const expectNoExecutionRecordedTwice = (
    records: ExecutionRecord[],
    byTask: Map<string, ExecutionRecord[]>,
  ) => {
    expect(new Set(records.map((record) => record.executionId)).size).toBe(records.length);
    for (const runs of byTask.values()) {
      expect(runs.filter((record) => record.success).length).toBeLessThanOrEqual(1);
    }
  };

  it('finishes every task once when a worker is killed mid-task', async () => {
    const victim = await orchestrator();
    const survivor = await orchestrator();
    const count = 24;
    for (let n = 0; n < count; n++) {
      await submit({ domain: 'diagnostics', action: 'sleep', params: { ms: 1500, n } });
    }
    const victimAgent = `${hostname()}:${victim.pid()}`;
    const deadline = Date.now() + 20_000;
    let onVictim: TaskRow[] = [];
    while (onVictim.length === 0 && Date.now() < deadline) {
      onVictim = (await tasks()).filter(
        (row) => row.status === 'running' && row.agent === victimAgent,
      );
      await delay(50);
    }
    expect(onVictim.length).toBeGreaterThan(0);
    await victim.kill('SIGKILL');

    const finished = await waitUntilAll(count, ['completed', 'failed', 'dead', 'cancelled']);
    expect(finished.every((row) => row.status === 'completed')).toBe(true);
    const survivorAgent = `${hostname()}:${survivor.pid()}`;
    for (const task of onVictim) {
      const after = finished.find((row) => row.id === task.id);
      // Redelivered after the ack wait, claimed again by the survivor as its next attempt.
      expect(after).toMatchObject({ status: 'completed', agent: survivorAgent });
      expect(after?.attempts).toBeGreaterThanOrEqual(2);
    }
    await delay(1000);
    const { records, byTask } = await executionsByTask();
    expectNoExecutionRecordedTwice(records, byTask);
    for (const task of onVictim) {
      expect(byTask.get(task.id)?.filter((record) => record.success)).toHaveLength(1);
    }
  });

  it('finishes every task once when nats-server is killed and restarted while tasks flow', async () => {
    await orchestrator();
    const count = 150;
    const submitted: Promise<string>[] = [];
    for (let n = 0; n < count; n++) {
      submitted.push(
        submit({
          domain: 'diagnostics',
          action: 'sleep',
          params: { ms: 30, n },
          idempotencyKey: `fault-${prefix}-${n}`,
        }),
      );
      if (n === 60) {
        await nats.kill('SIGKILL');
        await delay(1500);
        await nats.restart();
      }
      await delay(20);
    }
    const ids = await Promise.all(submitted);
    expect(new Set(ids).size).toBe(count);

    const finished = await waitUntilAll(count, ['completed', 'failed', 'dead', 'cancelled']);
    expect(finished.filter((row) => row.status !== 'completed')).toEqual([]);
    await delay(2000);
    const { records, byTask } = await executionsByTask();
    expectNoExecutionRecordedTwice(records, byTask);
  });

  it('puts a task that always fails on the dead-letter stream exactly once', async () => {
    const worker = await orchestrator();
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      ids.push(
        await submit({ domain: 'diagnostics', action: 'fail', params: { n }, maxAttempts: 3 }),
      );
    }
    // A restart while retries are pending: redeliveries and claims must not make a second dead letter.
    await delay(150);
    await worker.kill('SIGKILL');
    await orchestrator();

    const finished = await waitUntilAll(5, ['dead']);
    expect(finished.every((row) => row.attempts === 3)).toBe(true);
    await delay(1500);
    const letters = await streamMessages<{ taskId: string }>(TASKS_DLQ_STREAM.name);
    expect(letters.map((letter) => letter.taskId).sort()).toEqual([...ids].sort());
    const { records, byTask } = await executionsByTask();
    expectNoExecutionRecordedTwice(records, byTask);
    for (const id of ids) {
      const runs = byTask.get(id) ?? [];
      expect(runs.every((record) => !record.success)).toBe(true);
      expect(runs.length).toBeLessThanOrEqual(3);
    }
  });

  it('loses nothing when the process crashes between the commit and the publish', async () => {
    /** A relay whose process dies right after each commit: nothing it is handed gets out. */
    class CrashingRelay extends OutboxRelay {
      override start(): void {}
      override relay(): void {}
    }
    const first = await QueueHarness.start({
      natsUrl: nats.url,
      databaseUrl: database.url,
      subjectPrefix: prefix,
      makeRelay: (
        dataSource: DataSource,
        publisher: PipelinedPublisher,
        settings: OutboxRelaySettings,
      ) => new CrashingRelay(dataSource, publisher, settings),
    });
    const ids: string[] = [];
    for (let n = 0; n < 40; n++) ids.push(await first.submit('crashy', 'work', { params: { n } }));
    expect(await first.outboxSize()).toBe(40);
    // Half of them were published just before the crash, but not yet marked sent.
    const publisher = new PipelinedPublisher(first.connection, first.namer);
    publisher.start();
    const rows: OutboxMessage[] = (
      await first.dataSource.query(
        `SELECT o.id::text, o.subject, o.msg_id AS "msgId", o.correlation_id AS "correlationId",
           json_build_object('taskId', t.id, 'dispatch', o.dispatch, 'attempt', t.attempts + 1,
             'domain', t.domain, 'action', t.action, 'params', t.params, 'priority', t.priority,
             'correlationId', t.correlation_id)::text AS payload
         FROM "orchestrator"."task_outbox" o JOIN "orchestrator"."tasks" t ON t.id = o.task_id
         ORDER BY o.id LIMIT 20`,
      )
    ).map((row: OutboxMessage) => row);
    await Promise.all(
      rows.map((row) =>
        publisher.publish(row.subject, new TextEncoder().encode(row.payload), {
          messageId: row.msgId,
          correlationId: row.correlationId,
        }),
      ),
    );
    publisher.stop();
    await first.crash();

    const runs = new Map<string, number>();
    const second = await QueueHarness.start({
      natsUrl: nats.url,
      databaseUrl: database.url,
      subjectPrefix: prefix,
    });
    try {
      await second.startWorker({
        name: 'crashy',
        actions: {
          work: (params) => {
            const n = String(params.n);
            runs.set(n, (runs.get(n) ?? 0) + 1);
            return Promise.resolve({ output: n });
          },
        },
      });
      const states = await second.waitForStatus(ids, ['completed']);
      expect(states.every((state) => state.attempts === 1)).toBe(true);
      await delay(500);
      expect(runs.size).toBe(40);
      expect([...runs.values()].every((count) => count === 1)).toBe(true);
      expect(second.records).toHaveLength(40);
      expect(await second.outboxSize()).toBe(0);
    } finally {
      await second.stop();
    }
  });
});
