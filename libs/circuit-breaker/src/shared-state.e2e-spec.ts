import { setTimeout as delay } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { CircuitOpenError } from '@jarvis/contracts';
import { buildDataSourceOptions, openMigratedDataSource } from '@jarvis/database';
import { MessageBus, NatsConnectionHolder, SubjectNamer } from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import {
  createTestDatabase,
  TEST_NATS_URL,
  TestDatabase,
  uniqueSubjectPrefix,
} from '@jarvis/testing';
import { CircuitBreakerManager } from './circuit-breaker.manager';
import { createCircuitBreakerManager } from './circuit-breaker.factory';
import { CircuitBreakerStateEntity } from './persistence/circuit-breaker-state.entity';
import { createCircuitBreakerStateTableV1 } from './persistence/circuit-breaker-state.migration';

jest.setTimeout(30_000);

const SCHEMA = 'breakers';
const THRESHOLD = 3;
/** Longest time a follower may take to follow an announcement in these tests. */
const FOLLOW_BOUND_MS = 5_000;

interface Instance {
  manager: CircuitBreakerManager;
  stop(): Promise<void>;
}

/** Retries `assertion` until it holds or `timeoutMs` passes (then fails with its last error). */
async function eventually(assertion: () => void | Promise<void>, timeoutMs = FOLLOW_BOUND_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(10);
    }
  }
}

const succeed = () => Promise.resolve('ok');
const fail = () => Promise.reject(new Error('connection refused'));

describe('circuit breakers shared by the instances of an app', () => {
  let database: TestDatabase;
  let reader: DataSource;
  const prefix = uniqueSubjectPrefix();
  const running: Instance[] = [];

  async function startInstance(
    options: { subjectPrefix?: string; resyncIntervalMs?: number } = {},
  ): Promise<Instance> {
    const dataSource = await new DataSource(
      buildDataSourceOptions({
        url: database.url,
        schema: SCHEMA,
        entities: [CircuitBreakerStateEntity],
        migrations: [],
        applicationName: 'breaker-test',
        poolSize: 2,
      }),
    ).initialize();
    const connection = new NatsConnectionHolder({ servers: [TEST_NATS_URL], name: 'breaker-test' });
    await connection.connect();
    const namer = new SubjectNamer(options.subjectPrefix ?? prefix);
    const manager = createCircuitBreakerManager({
      app: 'health',
      defaults: { enabled: true, failureThreshold: THRESHOLD, resetTimeoutMs: 60_000 },
      dataSource,
      bus: new MessageBus(connection, namer, 1000, new MetricsService()),
      connection,
      namer,
      registry: new Registry(),
      // Long by default: these tests show that NATS alone carries a transition.
      sync: { resyncIntervalMs: options.resyncIntervalMs ?? 600_000 },
    });
    await manager.onModuleInit();
    const instance: Instance = {
      manager,
      stop: async () => {
        running.splice(running.indexOf(instance), 1);
        await manager.beforeApplicationShutdown();
        await connection.onApplicationShutdown();
        await dataSource.destroy();
      },
    };
    running.push(instance);
    return instance;
  }

  async function row(name: string): Promise<{ state: string; version: number } | undefined> {
    const rows = (await reader.query(
      `SELECT state, version FROM "${SCHEMA}"."circuit_breaker_state" WHERE name = $1`,
      [name],
    )) as { state: string; version: number }[];
    return rows[0];
  }

  async function openThrough(instance: Instance, name: string): Promise<void> {
    const breaker = instance.manager.getBreaker(name);
    for (let i = 0; i < THRESHOLD; i++) await expect(breaker.execute(fail)).rejects.toThrow();
    expect(breaker.getState()).toBe('OPEN');
  }

  /** Both instances and the table hold the same state at the same version. */
  async function expectAgreement(name: string, a: Instance, b: Instance) {
    await eventually(async () => {
      const stored = await row(name);
      const first = a.manager.getBreaker(name);
      const second = b.manager.getBreaker(name);
      expect(first.getVersion()).toBe(stored?.version);
      expect(second.getVersion()).toBe(stored?.version);
      expect(first.getState()).toBe(stored?.state);
      expect(second.getState()).toBe(stored?.state);
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    reader = await openMigratedDataSource({
      url: database.url,
      schema: SCHEMA,
      entities: [CircuitBreakerStateEntity],
      migrations: [createCircuitBreakerStateTableV1(SCHEMA, 1764100000000)],
      applicationName: 'breaker-test-reader',
      poolSize: 1,
    });
  });

  afterAll(async () => {
    for (const instance of [...running]) await instance.stop();
    await reader?.destroy();
    await database?.drop();
  });

  it('refuses calls on the second instance once the first opens the breaker', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const followed = b.manager.getBreaker('payments');
    await eventually(async () =>
      expect(await row('payments')).toEqual({ state: 'CLOSED', version: 0 }),
    );

    await openThrough(a, 'payments');

    await eventually(() => expect(followed.getState()).toBe('OPEN'));
    await expect(followed.execute(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(followed.snapshot()).toMatchObject({
      failureCount: THRESHOLD,
      lastError: 'connection refused',
      nextAttemptAt: a.manager.getBreaker('payments').snapshot().nextAttemptAt,
    });
    expect(await row('payments')).toEqual({ state: 'OPEN', version: 1 });
  });

  it('starts a restarted instance OPEN when its breaker was OPEN', async () => {
    const a = await startInstance();
    await openThrough(a, 'inventory');
    await eventually(async () => expect((await row('inventory'))?.state).toBe('OPEN'));
    await a.stop();

    const restarted = await startInstance();
    const breaker = restarted.manager.getBreaker('inventory');
    expect(breaker.getState()).toBe('OPEN');
    await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('catches up by re-reading the table when it missed the announcement', async () => {
    const a = await startInstance();
    const deaf = await startInstance({
      subjectPrefix: uniqueSubjectPrefix(),
      resyncIntervalMs: 100,
    });
    const breaker = deaf.manager.getBreaker('ledger');
    await eventually(async () => expect(await row('ledger')).toBeDefined());
    await openThrough(a, 'ledger');
    await eventually(() => expect(breaker.getState()).toBe('OPEN'));
  });

  it('closes the breaker on every instance when one resets it', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    b.manager.getBreaker('search');
    await openThrough(a, 'search');
    await eventually(() => expect(b.manager.getBreaker('search').getState()).toBe('OPEN'));

    const status = await b.manager.reset('search');
    expect(status).toMatchObject({ service: 'health', name: 'search', state: 'CLOSED' });
    await eventually(() => expect(a.manager.getBreaker('search').getState()).toBe('CLOSED'));
    await expectAgreement('search', a, b);
    await expect(a.manager.getBreaker('search').execute(succeed)).resolves.toBe('ok');
  });

  it('lists and resets a breaker that only another instance has created', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    await openThrough(a, 'only-on-a');
    await eventually(() =>
      expect(b.manager.getAllStatuses()).toContainEqual(
        expect.objectContaining({ name: 'only-on-a', state: 'OPEN', failureCount: THRESHOLD }),
      ),
    );
    await expect(b.manager.reset('only-on-a')).resolves.toMatchObject({ state: 'CLOSED' });
    await eventually(() => expect(a.manager.getBreaker('only-on-a').getState()).toBe('CLOSED'));
    await expect(b.manager.reset('never-created')).resolves.toBeNull();
  });

  it('ends in one state when two instances open the breaker at once', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    a.manager.getBreaker('race-open');
    b.manager.getBreaker('race-open');
    await eventually(async () => expect(await row('race-open')).toBeDefined());

    await Promise.all([openThrough(a, 'race-open'), openThrough(b, 'race-open')]);

    await expectAgreement('race-open', a, b);
    expect(a.manager.getBreaker('race-open').snapshot()).toEqual(
      b.manager.getBreaker('race-open').snapshot(),
    );
    expect(await row('race-open')).toEqual({ state: 'OPEN', version: 1 });
  });

  it('ends in one state when resets and opens race', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    a.manager.getBreaker('race-reset');
    b.manager.getBreaker('race-reset');
    await eventually(async () => expect(await row('race-reset')).toBeDefined());

    const failThrough = async (instance: Instance) => {
      const breaker = instance.manager.getBreaker('race-reset');
      for (let i = 0; i < THRESHOLD; i++) await breaker.execute(fail).catch(() => undefined);
    };
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        failThrough(a),
        b.manager.reset('race-reset'),
        a.manager.reset('race-reset'),
        failThrough(b),
      ]);
      await expectAgreement('race-reset', a, b);
    }
    await Promise.all([a.manager.reset('race-reset'), b.manager.reset('race-reset')]);
    await expectAgreement('race-reset', a, b);
    expect((await row('race-reset'))?.state).toBe('CLOSED');
  });
});
