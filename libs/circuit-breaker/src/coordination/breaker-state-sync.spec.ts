import { setTimeout as delay } from 'node:timers/promises';
import { BreakerSnapshot } from '../breaker-snapshot';
import { CircuitBreaker } from '../circuit-breaker';
import { resolveBreakerOptions } from '../circuit-breaker.options';
import { ManualClock } from '../clock';
import { BreakerStateStore } from '../persistence/breaker-state.store';
import { BreakerAnnouncer } from './breaker-announcer';
import { BreakerStateSync } from './breaker-state-sync';

/** The table's compare-and-set rules, in memory. */
class InMemoryStore {
  readonly rows = new Map<string, BreakerSnapshot>();
  failNext = 0;

  async loadAll(): Promise<BreakerSnapshot[]> {
    return [...this.rows.values()];
  }

  async find(name: string): Promise<BreakerSnapshot | null> {
    return this.rows.get(name) ?? null;
  }

  async register(name: string): Promise<void> {
    if (!this.rows.has(name)) this.rows.set(name, { ...closed(name), version: 0 });
  }

  async compareAndSet(snapshot: BreakerSnapshot, expected: number): Promise<number | null> {
    await Promise.resolve();
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('database unavailable');
    }
    const current = this.rows.get(snapshot.name)?.version ?? 0;
    if (current !== expected) return null;
    this.rows.set(snapshot.name, { ...snapshot, version: current + 1 });
    return current + 1;
  }
}

function closed(name: string): BreakerSnapshot {
  return {
    name,
    state: 'CLOSED',
    failureCount: 0,
    successCount: 0,
    openedAt: null,
    nextAttemptAt: null,
    lastFailureAt: null,
    lastError: null,
    version: 0,
  };
}

function setup(store = new InMemoryStore()) {
  const clock = new ManualClock();
  const announced: BreakerSnapshot[] = [];
  let hear: (shared: BreakerSnapshot) => void = () => undefined;
  const announcer = {
    instanceId: 'me',
    announce: (snapshot: BreakerSnapshot) => announced.push(snapshot),
    listen: (onState: (shared: BreakerSnapshot) => void) => {
      hear = onState;
    },
    stop: () => undefined,
  } as unknown as BreakerAnnouncer;
  const sync = new BreakerStateSync(store as unknown as BreakerStateStore, announcer, clock, {
    resyncIntervalMs: 60_000,
    retryAfterMs: 5,
    flushTimeoutMs: 100,
  });
  const breaker = new CircuitBreaker(
    'payments',
    resolveBreakerOptions({ enabled: true, failureThreshold: 1, resetTimeoutMs: 1_000 }),
    clock,
  );
  return { store, sync, breaker, announced, hear: (shared: BreakerSnapshot) => hear(shared) };
}

const fail = () => Promise.reject(new Error('down'));

async function settled(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await delay(1);
}

describe(BreakerStateSync.name, () => {
  it('registers a new breaker, then writes each transition over the version it read and announces it', async () => {
    const { store, sync, breaker, announced } = setup();
    await sync.start();
    sync.attach(breaker);
    await settled(() => store.rows.has('payments'));
    expect(store.rows.get('payments')).toMatchObject({ state: 'CLOSED', version: 0 });

    await breaker.execute(fail).catch(() => undefined);
    await settled(() => announced.length === 1);
    expect(store.rows.get('payments')).toMatchObject({ state: 'OPEN', version: 1 });
    expect(announced[0]).toMatchObject({ state: 'OPEN', version: 1, failureCount: 1 });
    expect(breaker.getVersion()).toBe(1);
    await sync.stop();
  });

  it('takes on the state another instance wrote first, and announces nothing', async () => {
    const store = new InMemoryStore();
    store.rows.set('payments', { ...closed('payments'), version: 0 });
    const { sync, breaker, announced } = setup(store);
    await sync.start();
    sync.attach(breaker);
    // Another instance opened it a moment before us.
    store.rows.set('payments', {
      ...closed('payments'),
      state: 'OPEN',
      failureCount: 7,
      nextAttemptAt: 123,
      version: 1,
    });
    await breaker.execute(fail).catch(() => undefined);
    await settled(() => breaker.getVersion() === 1);
    expect(breaker.snapshot()).toMatchObject({
      state: 'OPEN',
      failureCount: 7,
      nextAttemptAt: 123,
    });
    expect(announced).toEqual([]);
    await sync.stop();
  });

  it('follows a newer announcement and ignores an older one', async () => {
    const { sync, breaker, hear } = setup();
    await sync.start();
    sync.attach(breaker);
    hear({
      ...closed('payments'),
      state: 'OPEN',
      failureCount: 5,
      nextAttemptAt: 9e15,
      version: 3,
    });
    expect(breaker.getState()).toBe('OPEN');
    hear({ ...closed('payments'), version: 2 });
    expect(breaker.getState()).toBe('OPEN');
    expect(sync.sharedOnly()).toEqual([]);
    hear({ ...closed('elsewhere'), state: 'OPEN', version: 1 });
    expect(sync.sharedOnly()).toEqual([expect.objectContaining({ name: 'elsewhere' })]);
    await sync.stop();
  });

  it('resets over whatever another instance wrote meanwhile', async () => {
    const { store, sync, breaker, announced } = setup();
    await sync.start();
    sync.attach(breaker);
    await breaker.execute(fail).catch(() => undefined);
    await settled(() => announced.length === 1);
    // Another instance re-opened it (version 2) and we have not heard yet.
    store.rows.set('payments', { ...store.rows.get('payments')!, failureCount: 9, version: 2 });

    await expect(sync.reset('payments')).resolves.toMatchObject({ state: 'CLOSED', version: 3 });
    expect(breaker.getState()).toBe('CLOSED');
    expect(store.rows.get('payments')).toMatchObject({ state: 'CLOSED', version: 3 });
    expect(announced.at(-1)).toMatchObject({ state: 'CLOSED', version: 3 });
    await expect(sync.reset('unknown')).resolves.toBeNull();
    await sync.stop();
  });

  it('writes again later when the database refused a write', async () => {
    const store = new InMemoryStore();
    const { sync, breaker, announced } = setup(store);
    await sync.start();
    sync.attach(breaker);
    await settled(() => store.rows.has('payments'));
    store.failNext = 1;
    await breaker.execute(fail).catch(() => undefined);
    await settled(() => announced.length === 1);
    expect(store.rows.get('payments')).toMatchObject({ state: 'OPEN', version: 1 });
    await sync.stop();
  });
});
