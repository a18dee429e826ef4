import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import {
  AgentDefinition,
  AgentWorker,
  AgentWorkerOptions,
  ensureTaskStreams,
} from '@jarvis/agent-sdk';
import { ExecutionRecord, TaskPriority, TaskStatus } from '@jarvis/contracts';
import { openMigratedDataSource } from '@jarvis/database';
import {
  JetStreamService,
  MessageBus,
  NatsConnectionHolder,
  PipelinedPublisher,
  SubjectNamer,
} from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import { LedgerStore } from '../src/ledger/ledger.store';
import { TaskLedgerService } from '../src/ledger/task-ledger.service';
import { orchestratorDatabase } from '../src/orchestrator-database';
import {
  DEFAULT_OUTBOX_RELAY_SETTINGS,
  OutboxRelay,
  OutboxRelaySettings,
} from '../src/queue/outbox-relay';
import { taskDispatchDraft, taskMessageOf } from '../src/queue/outbox-message';
import { TaskEnqueuer } from '../src/tasks/task-enqueuer';
import { NewTask, TaskStore } from '../src/tasks/task.store';

export interface HarnessSettings {
  natsUrl: string;
  databaseUrl: string;
  /** The test's own prefix; a restarted harness reuses it. */
  subjectPrefix: string;
  relay?: Partial<OutboxRelaySettings>;
  retryDelayMs?: number;
  /** Make the relay: a test may pass one that never publishes (a crash after commit). */
  makeRelay?: (
    dataSource: DataSource,
    publisher: PipelinedPublisher,
    settings: OutboxRelaySettings,
  ) => OutboxRelay;
}

export interface TaskState {
  id: string;
  status: TaskStatus;
  attempts: number;
  dispatch: number;
  error: string | null;
  result: unknown;
}

/**
 * The orchestrator's queue layer assembled by hand in the test process: task state in
 * PostgreSQL, the outbox relay, the ledger and agent workers, on a real NATS.
 */
export class QueueHarness {
  private readonly workers: AgentWorker[] = [];

  private constructor(
    /** The execution records the ledger handed over, in order. */
    readonly records: ExecutionRecord[],
    readonly dataSource: DataSource,
    readonly connection: NatsConnectionHolder,
    readonly namer: SubjectNamer,
    readonly jetStream: JetStreamService,
    readonly bus: MessageBus,
    readonly relay: OutboxRelay,
    readonly tasks: TaskStore,
    readonly ledgerStore: LedgerStore,
    readonly ledger: TaskLedgerService,
    readonly enqueuer: TaskEnqueuer,
  ) {}

  static async start(settings: HarnessSettings): Promise<QueueHarness> {
    const dataSource = await openMigratedDataSource({
      ...orchestratorDatabase,
      url: settings.databaseUrl,
      entities: [],
      applicationName: 'jarvis-queue-test',
      poolSize: 10,
    });
    const namer = new SubjectNamer(settings.subjectPrefix);
    const connection = new NatsConnectionHolder({
      servers: [settings.natsUrl],
      name: 'queue-test',
    });
    await connection.connect();
    const jetStream = new JetStreamService(connection, namer);
    await ensureTaskStreams(jetStream);
    const bus = new MessageBus(connection, namer, 2000, new MetricsService());
    const relaySettings = {
      ...DEFAULT_OUTBOX_RELAY_SETTINGS,
      sweepIntervalMs: 200,
      sweepAgeMs: 500,
      ...settings.relay,
    };
    const publisher = new PipelinedPublisher(connection, namer, 2000);
    const relay = settings.makeRelay
      ? settings.makeRelay(dataSource, publisher, relaySettings)
      : new OutboxRelay(dataSource, publisher, relaySettings);
    const tasks = new TaskStore(dataSource);
    const ledgerStore = new LedgerStore(dataSource);
    const records: ExecutionRecord[] = [];
    const ledger = new TaskLedgerService(
      ledgerStore,
      tasks,
      relay,
      { publish: (record) => records.push(record) },
      { retryDelayMs: settings.retryDelayMs ?? 50 },
    );
    const harness = new QueueHarness(
      records,
      dataSource,
      connection,
      namer,
      jetStream,
      bus,
      relay,
      tasks,
      ledgerStore,
      ledger,
      new TaskEnqueuer(tasks, relay),
    );
    relay.start();
    return harness;
  }

  async startWorker(
    agent: AgentDefinition,
    options: Partial<Omit<AgentWorkerOptions, 'agent'>> = {},
  ): Promise<AgentWorker> {
    const worker = new AgentWorker(
      {
        jetStream: this.jetStream,
        connection: this.connection,
        namer: this.namer,
        bus: this.bus,
        ledger: this.ledger,
      },
      {
        agent,
        instance: `test:${randomUUID().slice(0, 8)}`,
        concurrency: 4,
        queue: { ackWaitMs: 2000, maxAckPending: 1000 },
        taskTimeoutMs: 10_000,
        heartbeatIntervalMs: 60_000,
        shutdownGraceMs: 1000,
        ...options,
      },
    );
    await worker.start();
    this.workers.push(worker);
    return worker;
  }

  /** Records and queues a task (no decision); answers its id. */
  async submit(
    domain: string,
    action: string,
    options: {
      params?: Record<string, unknown>;
      priority?: TaskPriority;
      maxAttempts?: number;
    } = {},
  ): Promise<string> {
    const task: NewTask = {
      id: randomUUID(),
      domain,
      action,
      title: null,
      params: options.params ?? {},
      priority: options.priority ?? 'normal',
      status: 'queued',
      maxAttempts: options.maxAttempts ?? 3,
      idempotencyKey: null,
      correlationId: randomUUID(),
      decision: null,
      dispatch: null,
    };
    task.dispatch = taskDispatchDraft(taskMessageOf(task, 1, 0));
    await this.enqueuer.enqueue(task);
    return task.id;
  }

  async states(ids?: string[]): Promise<TaskState[]> {
    return this.dataSource.query(
      `SELECT id, status, attempts, dispatch, error, result FROM "orchestrator"."tasks"
       WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) ORDER BY created_at`,
      [ids ?? null],
    );
  }

  async outboxSize(): Promise<number> {
    const [{ count }] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM "orchestrator"."task_outbox"`,
    );
    return count;
  }

  /** Waits until every listed task is in one of `statuses`; answers their states. */
  async waitForStatus(
    ids: string[],
    statuses: TaskStatus[],
    timeoutMs = 30_000,
  ): Promise<TaskState[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await this.states(ids);
      if (
        states.length === ids.length &&
        states.every((state) => statuses.includes(state.status))
      ) {
        return states;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Tasks not ${statuses.join('/')} in time: ${JSON.stringify(states.filter((s) => !statuses.includes(s.status)))}`,
        );
      }
      await delay(50);
    }
  }

  /** Every message a limits stream holds, as JSON (dead letters, execution records). */
  async streamMessages(stream: string): Promise<unknown[]> {
    const jsm = await this.jetStream.jsm();
    const name = this.namer.streamName(stream);
    const info = await jsm.streams.info(name).catch(() => undefined);
    if (!info) return [];
    const messages: unknown[] = [];
    for (
      let seq = info.state.first_seq;
      seq <= info.state.last_seq && info.state.messages > 0;
      seq++
    ) {
      const message = await jsm.streams.getMessage(name, { seq }).catch(() => undefined);
      if (message) messages.push(message.json());
    }
    return messages;
  }

  /** Stops the workers and the relay and closes the connections (as a clean shutdown). */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.relay.stop();
    await this.ledgerStore.close();
    await this.connection.onApplicationShutdown();
    await this.dataSource.destroy();
  }

  /** Drops everything in hand at once, as a process killed now would (nothing is published or acked). */
  async crash(): Promise<void> {
    this.connection.nc.close().catch(() => undefined);
    await this.ledgerStore.close();
    await this.dataSource.destroy();
  }

  /** Deletes the streams of this harness's prefix (they are stored on disk). */
  async deleteStreams(): Promise<void> {
    const jsm = await this.jetStream.jsm();
    const names: string[] = [];
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(`${this.namer.prefix}_`)) names.push(name);
    }
    for (const name of names) await jsm.streams.delete(name).catch(() => undefined);
  }
}
