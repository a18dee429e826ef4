/**
 * Task queue benchmark: N no-op tasks through our queue layer (PostgreSQL task state and
 * outbox → JetStream work queue → agent worker checking and reporting through the ledger
 * → completed in PostgreSQL, then acked), against BullMQ on the local Redis with the same
 * payload, the same number of tasks in flight and completion tracked the same way.
 *
 * Uses a database of its own (created and dropped), a subject prefix of its own on the
 * local NATS, and a queue name of its own on Redis (127.0.0.1:6379; started with
 * `redis-server` when none answers). Prints a table, then one JSON line. The table gives
 * each round's CPU per task: this process's (client and worker of either queue) and that of
 * the servers each queue uses, read from `/proc` (so all their clients count; keep the
 * machine otherwise quiet).
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { AgentWorker, SettledTask } from '@jarvis/agent-sdk';
import { ExecutionRecord, TASKS_DLQ_STREAM, TASKS_STREAM } from '@jarvis/contracts';
import { openMigratedDataSource } from '@jarvis/database';
import {
  JetStreamService,
  MessageBus,
  NatsConnectionHolder,
  PipelinedPublisher,
  SubjectNamer,
} from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import { createTestDatabase, TEST_NATS_URL, uniqueSubjectPrefix } from '@jarvis/testing';
import { LedgerStore } from '../apps/orchestrator/src/ledger/ledger.store';
import { TaskLedgerService } from '../apps/orchestrator/src/ledger/task-ledger.service';
import { orchestratorDatabase } from '../apps/orchestrator/src/orchestrator-database';
import { taskDispatchDraft, taskMessageOf } from '../apps/orchestrator/src/queue/outbox-message';
import { OutboxRelay } from '../apps/orchestrator/src/queue/outbox-relay';
import { TaskEnqueuer } from '../apps/orchestrator/src/tasks/task-enqueuer';
import { CpuMeter } from './process-cpu';
import { NewTask, TaskStore } from '../apps/orchestrator/src/tasks/task.store';

const TASKS = Number(process.env.BENCH_QUEUE_TASKS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_QUEUE_CONCURRENCY ?? 64);
/**
 * Deliveries our worker fetches (and claims) ahead per priority; the slots that run tasks
 * stay at CONCURRENCY. BullMQ's worker likewise fetches its next job while it finishes one.
 */
const PREFETCH = Number(process.env.BENCH_QUEUE_PREFETCH ?? 256);
/** Submits awaiting their answer at once, on both sides. */
const SUBMIT_WINDOW = 1000;
const DOMAIN = 'bench';
const REDIS = { host: '127.0.0.1', port: 6379 };
const PAYLOAD = { note: 'x'.repeat(160) };
const TIMEOUT_MS = 300_000;

interface RunResult {
  name: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  completed: number;
  lost: number;
  duplicated: number;
  /** CPU per task, in microseconds, of this process and of each server the queue uses. */
  cpu: Record<string, number>;
  /** The share of the round this process's event loop was busy. */
  loopBusy: number;
}

/** Completion times per task id, and how many times each completed. */
class CompletionTracker {
  private readonly submittedAt = new Map<string, number>();
  private readonly completions = new Map<string, number>();
  private readonly latencies: number[] = [];
  private done: (() => void) | undefined;
  readonly allDone = new Promise<void>((resolve) => (this.done = resolve));

  constructor(private readonly expected: number) {}

  submitted(id: string): void {
    this.submittedAt.set(id, performance.now());
  }

  completed(id: string): void {
    const count = (this.completions.get(id) ?? 0) + 1;
    this.completions.set(id, count);
    if (count > 1) return;
    const started = this.submittedAt.get(id);
    if (started !== undefined) this.latencies.push(performance.now() - started);
    if (this.completions.size === this.expected) this.done?.();
  }

  result(name: string, elapsedMs: number, meter: CpuMeter): RunResult {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (fraction: number) =>
      sorted.length
        ? sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]
        : NaN;
    const duplicated = [...this.completions.values()].reduce((sum, n) => sum + (n - 1), 0);
    return {
      name,
      perSecond: Math.round((this.completions.size / elapsedMs) * 1000),
      p50Ms: Math.round(at(0.5)),
      p99Ms: Math.round(at(0.99)),
      completed: this.completions.size,
      lost: this.expected - this.completions.size,
      duplicated,
      cpu: meter.perTask(this.expected),
      loopBusy: meter.loopBusy(),
    };
  }
}

/** Submits every id, at most SUBMIT_WINDOW awaiting their answer at once; fails if one fails. */
async function submitAll(
  ids: string[],
  tracker: CompletionTracker,
  submit: (id: string) => Promise<unknown>,
): Promise<void> {
  let inFlight = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const settled = () => {
    inFlight -= 1;
    wake?.();
    wake = undefined;
  };
  for (const id of ids) {
    while (inFlight >= SUBMIT_WINDOW) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) break;
    tracker.submitted(id);
    inFlight += 1;
    submit(id).then(settled, (error: unknown) => {
      failure ??= error;
      settled();
    });
  }
  while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
  if (failure) throw failure;
}

async function withTimeout(promise: Promise<void>, what: string): Promise<void> {
  const timer = delay(TIMEOUT_MS, undefined, { ref: false }).then(() => {
    throw new Error(`${what} did not finish within ${TIMEOUT_MS} ms`);
  });
  await Promise.race([promise, timer]);
}

async function runOurs(): Promise<RunResult> {
  const database = await createTestDatabase();
  const dataSource = await openMigratedDataSource({
    ...orchestratorDatabase,
    url: database.url,
    entities: [],
    applicationName: 'jarvis-bench-queue',
    poolSize: 10,
  });
  const namer = new SubjectNamer(uniqueSubjectPrefix());
  const connection = new NatsConnectionHolder({ servers: [TEST_NATS_URL], name: 'bench-queue' });
  await connection.connect();
  const jetStream = new JetStreamService(connection, namer);
  const bus = new MessageBus(connection, namer, 5000, new MetricsService());
  const relay = new OutboxRelay(dataSource, new PipelinedPublisher(connection, namer));
  const taskStore = new TaskStore(dataSource);
  // Only which tasks were recorded is kept: holding 20,000 records would load the GC.
  const recorded: unknown[] = [];
  const ledgerStore = new LedgerStore(dataSource);
  const ledger = new TaskLedgerService(
    ledgerStore,
    taskStore,
    relay,
    { publish: (record: ExecutionRecord) => recorded.push(record.taskId) },
    { retryDelayMs: 1000 },
  );
  const enqueuer = new TaskEnqueuer(taskStore, relay);
  const tracker = new CompletionTracker(TASKS);
  const worker = new AgentWorker(
    { jetStream, connection, namer, bus, ledger },
    {
      agent: { name: DOMAIN, actions: { noop: () => Promise.resolve({ output: null }) } },
      instance: 'bench',
      concurrency: CONCURRENCY,
      prefetch: PREFETCH,
      queue: { ackWaitMs: 30_000, maxAckPending: 10_000 },
      taskTimeoutMs: 30_000,
      heartbeatIntervalMs: 60_000,
      onSettled: (event: SettledTask) => {
        if (event.handling === 'completed') tracker.completed(event.taskId);
      },
    },
  );
  try {
    relay.start();
    await worker.start();
    const ids = Array.from({ length: TASKS }, () => randomUUID());
    const cpu = new CpuMeter(['postgres', 'nats-server']);
    const started = performance.now();
    await submitAll(ids, tracker, (id) => enqueuer.enqueue(newTask(id)));
    await withTimeout(tracker.allDone, 'Our queue');
    const result = tracker.result(
      'ours (JetStream + PostgreSQL)',
      performance.now() - started,
      cpu,
    );
    const [{ completed }] = (await dataSource.query(
      `SELECT count(*)::int AS completed FROM "orchestrator"."tasks" WHERE status = 'completed'`,
    )) as { completed: number }[];
    if (completed !== result.completed) {
      throw new Error(
        `${result.completed} completions seen but ${completed} tasks completed in PostgreSQL`,
      );
    }
    if (recorded.length !== result.completed || new Set(recorded).size !== recorded.length) {
      throw new Error(`${result.completed} completions but ${recorded.length} execution records`);
    }
    return result;
  } finally {
    await worker.stop();
    await relay.stop();
    await ledgerStore.close();
    const jsm = await jetStream.jsm();
    for (const stream of [TASKS_STREAM.name, TASKS_DLQ_STREAM.name]) {
      await jsm.streams.delete(namer.streamName(stream)).catch(() => undefined);
    }
    await connection.onApplicationShutdown();
    await dataSource.destroy();
    await database.drop();
  }
}

/**
 * A task as the submission service makes it, written out: on Node 20 a spread followed by
 * more properties is a slow path that would weigh on our side alone.
 */
function newTask(id: string): NewTask {
  const task: NewTask = {
    id,
    domain: DOMAIN,
    action: 'noop',
    title: null,
    params: PAYLOAD,
    priority: 'normal',
    status: 'queued',
    maxAttempts: 3,
    idempotencyKey: null,
    correlationId: id,
    decision: null,
    dispatch: null,
  };
  task.dispatch = taskDispatchDraft(taskMessageOf(task, 1, 0));
  return task;
}

async function runBullMq(): Promise<RunResult> {
  await ensureRedis();
  const { Queue, Worker } = await loadBullMq();
  const name = `bench-queue-${uniqueSubjectPrefix()}`;
  const queue = new Queue(name, { connection: REDIS });
  const tracker = new CompletionTracker(TASKS);
  const worker = new Worker(name, () => Promise.resolve(null), {
    connection: REDIS,
    concurrency: CONCURRENCY,
  });
  worker.on('completed', (job: { id?: string }) => {
    if (job.id) tracker.completed(job.id);
  });
  try {
    await worker.waitUntilReady();
    const ids = Array.from({ length: TASKS }, () => randomUUID());
    const cpu = new CpuMeter(['redis-server']);
    const started = performance.now();
    await submitAll(ids, tracker, (id) =>
      queue.add(
        'noop',
        {
          taskId: id,
          dispatch: 1,
          domain: DOMAIN,
          action: 'noop',
          params: PAYLOAD,
          priority: 'normal',
          correlationId: id,
        },
        { jobId: id, attempts: 3, removeOnComplete: true },
      ),
    );
    await withTimeout(tracker.allDone, 'BullMQ');
    return tracker.result('BullMQ (Redis)', performance.now() - started, cpu);
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** BullMQ 6 loads `ioredis` only when a queue is made: check before any round runs. */
async function loadBullMq(): Promise<typeof import('bullmq')> {
  try {
    // At run time, not at bundle time: webpack would resolve a plain require.resolve itself.
    createRequire(__filename).resolve('ioredis');
  } catch {
    throw new Error('BullMQ needs the ioredis package (npm install --save-dev ioredis)');
  }
  return import('bullmq');
}

async function ensureRedis(): Promise<void> {
  if (await answers(REDIS.port)) return;
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    REDIS.host,
    '--port',
    String(REDIS.port),
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  for (let attempt = 0; attempt < 50 && !(await answers(REDIS.port)); attempt++) await delay(100);
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: REDIS.host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function printTable(results: RunResult[]): void {
  const rows = [
    [
      'queue',
      'jobs/s',
      'p50 ms',
      'p99 ms',
      'completed',
      'lost',
      'duplicated',
      'loop busy',
      'CPU µs/task',
    ],
    ...results.map((r) => [
      r.name,
      String(r.perSecond),
      String(r.p50Ms),
      String(r.p99Ms),
      String(r.completed),
      String(r.lost),
      String(r.duplicated),
      `${Math.round(r.loopBusy * 100)}%`,
      Object.entries(r.cpu)
        .map(([program, us]) => `${program} ${us}`)
        .join(', '),
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows)
    console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
}

/** The round with the median rate (rounds alternate between the two, so both see the same noise). */
function medianOf(results: RunResult[]): RunResult {
  const sorted = [...results].sort((a, b) => a.perSecond - b.perSecond);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  await loadBullMq();
  console.log(
    `${TASKS} no-op tasks, ${CONCURRENCY} in flight (prefetch ${PREFETCH}), submits ${SUBMIT_WINDOW} at a time, ` +
      `${ROUNDS} alternating rounds each (medians below)`,
  );
  const ours: RunResult[] = [];
  const bullmq: RunResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    ours.push({ ...(await runOurs()), name: `ours, round ${round}` });
    bullmq.push({ ...(await runBullMq()), name: `BullMQ, round ${round}` });
  }
  const oursMedian = { ...medianOf(ours), name: 'ours (JetStream + PostgreSQL), median' };
  const bullmqMedian = { ...medianOf(bullmq), name: 'BullMQ (Redis), median' };
  printTable([...ours, ...bullmq, oursMedian, bullmqMedian]);
  const ratio = Math.round((oursMedian.perSecond / bullmqMedian.perSecond) * 100) / 100;
  const sum = (results: RunResult[], key: 'lost' | 'duplicated') =>
    results.reduce((total, result) => total + result[key], 0);
  console.log(
    JSON.stringify({
      bench: 'queue',
      ours_per_s: oursMedian.perSecond,
      bullmq_per_s: bullmqMedian.perSecond,
      ratio,
      lost: sum(ours, 'lost') + sum(bullmq, 'lost'),
      duplicated: sum(ours, 'duplicated') + sum(bullmq, 'duplicated'),
    }),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
