import { setTimeout as delay } from 'node:timers/promises';
import {
  ErrorCode,
  JarvisError,
  TASK_ADVISORIES_STREAM_NAME,
  taskConsumerName,
  taskQueueSubject,
  TASKS_DLQ_STREAM,
  TASKS_STREAM,
} from '@jarvis/contracts';
import {
  createTestDatabase,
  TEST_NATS_URL,
  TestDatabase,
  uniqueSubjectPrefix,
} from '@jarvis/testing';
import { DeadLetterAdvisories } from '../src/queue/dead-letter-advisories';
import { QueueReconciler } from '../src/queue/queue-reconciler';
import { TaskCommandsService } from '../src/tasks/task-commands.service';
import { QueueHarness } from './queue-harness';

jest.setTimeout(60_000);

/** The queue layer in one process against the real PostgreSQL and NATS. */
describe('task queue', () => {
  let database: TestDatabase;
  let harness: QueueHarness;
  let commands: TaskCommandsService;

  beforeAll(async () => {
    database = await createTestDatabase();
    harness = await QueueHarness.start({
      natsUrl: TEST_NATS_URL,
      databaseUrl: database.url,
      subjectPrefix: uniqueSubjectPrefix(),
      retryDelayMs: 50,
    });
    commands = new TaskCommandsService(
      harness.tasks,
      harness.relay,
      harness.bus,
      harness.jetStream,
    );
  });

  afterAll(async () => {
    await harness?.deleteStreams();
    await harness?.stop();
    await database?.drop();
  });

  const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await delay(25);
    }
  };

  it('runs each task once, completes it and records one execution per run', async () => {
    const ran: string[] = [];
    await harness.startWorker({
      name: 'echoes',
      actions: {
        echo: (params) => {
          ran.push(String(params.n));
          return Promise.resolve({ output: params, impactScore: 0.5 });
        },
      },
    });
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, n) => harness.submit('echoes', 'echo', { params: { n } })),
    );
    const states = await harness.waitForStatus(ids, ['completed']);
    expect(states.every((state) => state.attempts === 1)).toBe(true);
    const first = states.find((state) => state.id === ids[0]);
    expect(first?.result).toEqual({ output: { n: 0 }, impactScore: 0.5 });
    expect(new Set(ran).size).toBe(50);
    await until(
      () => harness.records.filter((record) => ids.includes(record.taskId ?? '')).length >= 50,
    );
    await delay(200);
    const records = harness.records.filter((record) => ids.includes(record.taskId ?? ''));
    expect(records).toHaveLength(50);
    expect(records[0]).toMatchObject({
      phase: 'task',
      success: true,
      domain: 'echoes',
      action: 'echo',
    });
    // Each record carries its own task's correlation ID, whatever is in scope when it is made.
    const correlations: { id: string; correlation_id: string }[] = await harness.dataSource.query(
      `SELECT id::text, correlation_id FROM "orchestrator"."tasks" WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const correlationOf = new Map(correlations.map((row) => [row.id, row.correlation_id]));
    expect(records.map((record) => record.correlationId)).toEqual(
      records.map((record) => correlationOf.get(record.taskId ?? '')),
    );
    expect(new Set(records.map((record) => record.correlationId)).size).toBe(50);
    await until(async () => (await harness.outboxSize()) === 0);
  });

  it('records a quick run when it reports, and claims a long one so that it shows running', async () => {
    let finishLong: () => void = () => undefined;
    await harness.startWorker({
      name: 'paced',
      actions: {
        quick: () => Promise.resolve({ output: 'quick' }),
        long: () => new Promise((resolve) => (finishLong = () => resolve({ output: 'long' }))),
      },
    });
    const quick = await harness.submit('paced', 'quick');
    const [done] = await harness.waitForStatus([quick], ['completed']);
    expect(done).toMatchObject({ attempts: 1, result: { output: 'quick' } });
    const [row] = await harness.dataSource.query(
      `SELECT agent, stream_seq, started_at <= finished_at AS ordered
       FROM "orchestrator"."tasks" WHERE id = $1`,
      [quick],
    );
    expect(row).toMatchObject({ agent: expect.any(String), ordered: true });
    expect(Number(row.stream_seq)).toBeGreaterThan(0);

    const long = await harness.submit('paced', 'long');
    const [running] = await harness.waitForStatus([long], ['running']);
    expect(running.attempts).toBe(1);
    finishLong();
    const [finished] = await harness.waitForStatus([long], ['completed']);
    expect(finished).toMatchObject({ attempts: 1, result: { output: 'long' } });
    const recorded = harness.records.filter((r) => r.taskId === quick || r.taskId === long);
    expect(recorded).toHaveLength(2);
  });

  it('runs high before normal before low, without starving low', async () => {
    const order: string[] = [];
    const ids: string[] = [];
    for (const priority of ['low', 'normal', 'high'] as const) {
      for (let n = 0; n < 14; n++) {
        ids.push(await harness.submit('ranked', 'note', { params: { priority }, priority }));
      }
    }
    await until(async () => (await harness.outboxSize()) === 0);
    await harness.startWorker(
      {
        name: 'ranked',
        actions: {
          note: async (params) => {
            order.push(String(params.priority));
            await delay(5);
            return { output: null };
          },
        },
      },
      { concurrency: 1, prefetch: 14 },
    );
    await harness.waitForStatus(ids, ['completed']);
    const meanRank = (priority: string) => {
      const ranks = order.flatMap((p, rank) => (p === priority ? [rank] : []));
      return ranks.reduce((sum, rank) => sum + rank, 0) / ranks.length;
    };
    expect(meanRank('high')).toBeLessThan(meanRank('normal'));
    expect(meanRank('normal')).toBeLessThan(meanRank('low'));
    expect(order.indexOf('low')).toBeLessThan(order.lastIndexOf('high'));
  });

  it('retries a failing task, then kills it once with one dead letter', async () => {
    await harness.startWorker({
      name: 'flaky',
      actions: { always: () => Promise.reject(new Error('still broken')) },
    });
    const id = await harness.submit('flaky', 'always', { maxAttempts: 3 });
    const [state] = await harness.waitForStatus([id], ['dead']);
    expect(state).toMatchObject({ attempts: 3, error: 'still broken' });
    await until(async () => (await harness.outboxSize()) === 0);
    const letters = (await harness.streamMessages(TASKS_DLQ_STREAM.name)).filter(
      (letter) => (letter as { taskId: string }).taskId === id,
    );
    expect(letters).toEqual([
      expect.objectContaining({ taskId: id, attempts: 3, error: 'still broken' }),
    ]);
    // Records are handed over just after the commit that made the task dead.
    await until(() => harness.records.filter((record) => record.taskId === id).length >= 3);
    const records = harness.records.filter((record) => record.taskId === id);
    expect(records.map((record) => record.success)).toEqual([false, false, false]);
    expect(new Set(records.map((record) => record.executionId)).size).toBe(3);

    // Retry: a new dispatch with fresh attempts (it dies again: one more dead letter, of dispatch 2).
    await expect(commands.retry(id)).resolves.toMatchObject({ attempts: 0 });
    await expect(commands.retry(id)).rejects.toMatchObject({ code: ErrorCode.Conflict });
    const [again] = await harness.waitForStatus([id], ['dead']);
    expect(again).toMatchObject({ dispatch: 2, attempts: 3 });
    await until(async () => (await harness.outboxSize()) === 0);
    const allLetters = (await harness.streamMessages(TASKS_DLQ_STREAM.name)).filter(
      (letter) => (letter as { taskId: string }).taskId === id,
    );
    expect(allLetters.map((letter) => (letter as { dispatch: number }).dispatch).sort()).toEqual([
      1, 2,
    ]);
  });

  it('fails at once, without retry or dead letter, a task whose params are wrong', async () => {
    await harness.startWorker({
      name: 'strict',
      actions: {
        check: () => Promise.reject(new JarvisError(ErrorCode.ValidationFailed, 'bad params')),
      },
    });
    const id = await harness.submit('strict', 'check', { maxAttempts: 3 });
    const [state] = await harness.waitForStatus([id], ['failed']);
    expect(state).toMatchObject({ attempts: 1, error: 'bad params' });
    const unknown = await harness.submit('strict', 'nope');
    await expect(harness.waitForStatus([unknown], ['failed'])).resolves.toEqual([
      expect.objectContaining({ error: 'Agent "strict" has no action "nope"' }),
    ]);
  });

  it('times out a run that hangs, and fails the task once its attempts are spent', async () => {
    await harness.startWorker(
      { name: 'hanging', actions: { hang: () => new Promise(() => undefined) } },
      { taskTimeoutMs: 300 },
    );
    const started = Date.now();
    const id = await harness.submit('hanging', 'hang', { maxAttempts: 2 });
    const [state] = await harness.waitForStatus([id], ['dead']);
    expect(state).toMatchObject({ attempts: 2, error: 'Action timed out after 300 ms' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    await until(() => harness.records.filter((record) => record.taskId === id).length === 2);
  });

  it('stops a running task that is cancelled; it ends cancelled and is not recorded', async () => {
    let aborted = false;
    await harness.startWorker({
      name: 'sleepy',
      actions: {
        nap: async (_, context) => {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, 30_000);
            context?.signal.addEventListener('abort', () => {
              aborted = true;
              clearTimeout(timer);
              reject(new Error('aborted'));
            });
          });
          return { output: 'woke up' };
        },
      },
    });
    const id = await harness.submit('sleepy', 'nap');
    await harness.waitForStatus([id], ['running']);
    await expect(commands.cancel(id)).resolves.toMatchObject({ status: 'cancelled' });
    await until(() => aborted);
    await delay(300);
    const [state] = await harness.states([id]);
    expect(state.status).toBe('cancelled');
    expect(harness.records.filter((record) => record.taskId === id)).toEqual([]);
    await expect(commands.cancel(id)).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('takes a queued task that is cancelled off the queue; no agent runs it', async () => {
    const id = await harness.submit('later', 'work');
    await until(async () => (await harness.outboxSize()) === 0);
    const jsm = await harness.jetStream.jsm();
    const stream = harness.jetStream.streamName(TASKS_STREAM.name);
    const subject = harness.jetStream.subject(taskQueueSubject('normal', 'later', id));
    await expect(jsm.streams.getMessage(stream, { last_by_subj: subject })).resolves.toBeDefined();
    await expect(commands.cancel(id)).resolves.toMatchObject({ status: 'cancelled' });
    await expect(jsm.streams.getMessage(stream, { last_by_subj: subject })).rejects.toThrow();
    let ran = false;
    await harness.startWorker({
      name: 'later',
      actions: { work: () => ((ran = true), Promise.resolve({ output: null })) },
    });
    await until(async () => {
      const info = await jsm.consumers.info(
        harness.jetStream.streamName(TASKS_STREAM.name),
        taskConsumerName('normal', 'later'),
      );
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect(ran).toBe(false);
  });

  it('runs a task once when its message is on the queue twice', async () => {
    let runs = 0;
    const id = await harness.submit('doubled', 'once');
    await until(async () => (await harness.outboxSize()) === 0);
    const jsm = await harness.jetStream.jsm();
    const stream = harness.jetStream.streamName(TASKS_STREAM.name);
    const original = await jsm.streams.getMessage(stream, {
      last_by_subj: harness.jetStream.subject(taskQueueSubject('normal', 'doubled', id)),
    });
    // A second copy that escaped de-duplication (published again after the window).
    await harness.jetStream.publish(
      taskQueueSubject('normal', 'doubled', id),
      original.json(),
      'copy',
    );
    await harness.startWorker({
      name: 'doubled',
      actions: { once: () => ((runs += 1), Promise.resolve({ output: null })) },
    });
    await harness.waitForStatus([id], ['completed']);
    await delay(500);
    expect(runs).toBe(1);
    expect(harness.records.filter((record) => record.taskId === id)).toHaveLength(1);
  });

  it('runs the first delivery of a first attempt unclaimed, and claims anything else first', async () => {
    const fresh = await harness.submit('attempts', 'work');
    const later = await harness.submit('attempts', 'work');
    const legacy = await harness.submit('attempts', 'work');
    await until(async () => (await harness.outboxSize()) === 0);
    const jsm = await harness.jetStream.jsm();
    const stream = harness.jetStream.streamName(TASKS_STREAM.name);
    const republish = async (id: string, attempt: number | undefined) => {
      const subject = taskQueueSubject('normal', 'attempts', id);
      const original = await jsm.streams.getMessage(stream, {
        last_by_subj: harness.jetStream.subject(subject),
      });
      await harness.jetStream.purgeSubject(TASKS_STREAM.name, subject);
      await harness.jetStream.publish(
        subject,
        { ...original.json<object>(), attempt },
        `again:${id}`,
      );
    };
    // The same dispatch, as the message of a task that already made one attempt, and as a
    // message queued before messages said which attempt they are.
    await republish(later, 2);
    await republish(legacy, undefined);
    const claim = jest.spyOn(harness.ledger, 'claim');
    try {
      await harness.startWorker({
        name: 'attempts',
        actions: { work: () => Promise.resolve({ output: 'done' }) },
      });
      await harness.waitForStatus([fresh, later, legacy], ['completed']);
      const claimed = claim.mock.calls.flatMap(([command]) => command.claims.map((c) => c.taskId));
      expect(claimed.sort()).toEqual([later, legacy].sort());
    } finally {
      claim.mockRestore();
    }
  });

  it('queues again a task whose message the stream lost', async () => {
    const id = await harness.submit('orphans', 'adopt');
    await until(async () => (await harness.outboxSize()) === 0);
    const jsm = await harness.jetStream.jsm();
    await jsm.streams.purge(harness.jetStream.streamName(TASKS_STREAM.name), {
      filter: harness.jetStream.subject(taskQueueSubject('normal', 'orphans', id)),
    });
    const reconciler = new QueueReconciler(harness.ledgerStore, harness.ledger, harness.jetStream, {
      intervalMs: 60_000,
      staleAfterMs: 0,
    });
    await expect(reconciler.reconcile()).resolves.toBe(1);
    await harness.startWorker({
      name: 'orphans',
      actions: { adopt: () => Promise.resolve({ output: 'found' }) },
    });
    const [state] = await harness.waitForStatus([id], ['completed']);
    expect(state).toMatchObject({ dispatch: 2, attempts: 1 });
    await expect(reconciler.reconcile()).resolves.toBe(0);
  });

  it('kills, once, a task whose message ran out of deliveries', async () => {
    const id = await harness.submit('undeliverable', 'never');
    await until(async () => (await harness.outboxSize()) === 0);
    const advisories = new DeadLetterAdvisories(harness.jetStream, harness.ledger);
    await advisories.start();
    try {
      const jsm = await harness.jetStream.jsm();
      const stream = harness.jetStream.streamName(TASKS_STREAM.name);
      const held = await jsm.streams.getMessage(stream, {
        last_by_subj: harness.jetStream.subject(taskQueueSubject('normal', 'undeliverable', id)),
      });
      // What the server publishes when a consumer gives up on a message.
      const advisory = {
        stream,
        consumer: 'tasks-normal-undeliverable',
        stream_seq: held.seq,
        deliveries: 20,
      };
      for (let repeat = 0; repeat < 2; repeat++) {
        harness.connection.nc.publish(
          `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.tasks-normal-undeliverable`,
          new TextEncoder().encode(JSON.stringify(advisory)),
        );
      }
      const [state] = await harness.waitForStatus([id], ['dead']);
      expect(state.error).toBe('Delivered 20 times without an answer');
      await until(async () => (await harness.outboxSize()) === 0);
      await until(
        async () =>
          await jsm.streams.getMessage(stream, { seq: held.seq }).then(
            () => false,
            () => true,
          ),
      );
      const letters = (await harness.streamMessages(TASKS_DLQ_STREAM.name)).filter(
        (letter) => (letter as { taskId: string }).taskId === id,
      );
      expect(letters).toHaveLength(1);
      expect(await harness.streamMessages(TASK_ADVISORIES_STREAM_NAME)).toHaveLength(2);
    } finally {
      await advisories.stop();
    }
  });
});
