import { Logger } from '@nestjs/common';
import { CircuitState } from '@jarvis/contracts';
import { BreakerSnapshot, describeError } from '../breaker-snapshot';
import { CircuitBreaker } from '../circuit-breaker';
import { Clock } from '../clock';
import { BreakerStateStore } from '../persistence/breaker-state.store';
import { BreakerAnnouncer } from './breaker-announcer';

export interface BreakerStateSyncSettings {
  /** How often every row is read again: the bound on following a lost announcement. */
  resyncIntervalMs: number;
  /** How long to wait before writing again after the database refused a write. */
  retryAfterMs: number;
  /** How long shutdown waits for writes still running. */
  flushTimeoutMs: number;
}

interface Waiter {
  resolve(shared: BreakerSnapshot | null): void;
  reject(error: unknown): void;
}

/** What a breaker needs written, most demanding first: a reset, its current state, its row. */
type WriteKind = 'reset' | 'state' | 'register';
const WRITE_RANK: Record<WriteKind, number> = { register: 0, state: 1, reset: 2 };

interface WriteJob {
  kind: WriteKind;
  waiters: Waiter[];
}

/** How many times a reset re-reads and retries when other instances keep writing. */
const RESET_ATTEMPTS = 8;

/**
 * Keeps an app's breakers the same on every instance. A local transition is written to
 * `circuit_breaker_state` off the call path (compare-and-set on `version`, one write at a
 * time per breaker, the latest state if several transitions queued up) and, once written,
 * announced on NATS. Another instance's newer state, heard on NATS, read back after a
 * lost race, or found by the periodic re-read, is followed. The database decides which
 * of two racing writes happened first; the other instance takes on the winner's state.
 */
export class BreakerStateSync {
  private readonly logger = new Logger('CircuitBreakerSync');
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** The latest shared state of every breaker of the app, also those this instance never created. */
  private readonly known = new Map<string, BreakerSnapshot>();
  private readonly pending = new Map<string, WriteJob>();
  private readonly draining = new Map<string, Promise<void>>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private resyncTimer: NodeJS.Timeout | undefined;
  /** A breaker whose transition is being written by a reset, not by its own listener. */
  private silenced: string | undefined;
  private stopped = false;

  constructor(
    private readonly store: BreakerStateStore,
    private readonly announcer: BreakerAnnouncer,
    private readonly clock: Clock,
    private readonly settings: BreakerStateSyncSettings,
  ) {}

  get instanceId(): string {
    return this.announcer.instanceId;
  }

  /** Hears other instances, loads the persisted states, then re-reads them periodically. */
  async start(): Promise<void> {
    this.announcer.listen((shared) => this.take(shared));
    try {
      await this.resync();
    } catch (error) {
      this.logger.warn(`Could not load circuit breaker states: ${describeError(error)}`);
    }
    this.resyncTimer = setInterval(() => {
      this.resync().catch((error: unknown) =>
        this.logger.warn(`Could not re-read circuit breaker states: ${describeError(error)}`),
      );
    }, this.settings.resyncIntervalMs);
    this.resyncTimer.unref();
  }

  /** Stops listening and waits (bounded) for the writes still running. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.announcer.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.draining.values()]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, this.settings.flushTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Shares `breaker`: it starts from the persisted state and its transitions are written. */
  attach(breaker: CircuitBreaker): void {
    this.breakers.set(breaker.name, breaker);
    const known = this.known.get(breaker.name);
    if (known) breaker.follow(known);
    breaker.onTransition((transition) => {
      if (transition.reason !== 'followed' && this.silenced !== transition.name) {
        this.enqueue(transition.name, 'state');
      }
    });
    // A breaker new to the app is registered, so that every instance can list and reset it.
    if (!known) this.enqueue(breaker.name, 'register');
  }

  /** Shared states of the app's breakers that this instance has not created. */
  sharedOnly(): BreakerSnapshot[] {
    return [...this.known.values()].filter((shared) => !this.breakers.has(shared.name));
  }

  /**
   * Closes the breaker on every instance: locally at once, then written over whatever
   * version is current and announced. Resolves to the shared state, or null when no
   * instance of the app knows the breaker.
   */
  reset(name: string): Promise<BreakerSnapshot | null> {
    const breaker = this.breakers.get(name);
    if (breaker) this.silently(name, () => breaker.reset());
    return new Promise((resolve, reject) => this.enqueue(name, 'reset', { resolve, reject }));
  }

  private enqueue(name: string, kind: WriteKind, waiter?: Waiter): void {
    const job = this.pending.get(name) ?? { kind, waiters: [] };
    if (WRITE_RANK[kind] > WRITE_RANK[job.kind]) job.kind = kind;
    if (waiter) job.waiters.push(waiter);
    this.pending.set(name, job);
    if (!this.draining.has(name)) this.draining.set(name, this.drain(name));
  }

  /** One write at a time per breaker, so each compare-and-set starts from the last one's result. */
  private async drain(name: string): Promise<void> {
    await Promise.resolve();
    try {
      for (let job = this.pending.get(name); job; job = this.pending.get(name)) {
        this.pending.delete(name);
        try {
          const shared = await this.write(name, job.kind);
          for (const waiter of job.waiters) waiter.resolve(shared);
        } catch (error) {
          for (const waiter of job.waiters) waiter.reject(error);
          this.logger.warn(`Could not write circuit breaker ${name}: ${describeError(error)}`);
          this.retryLater(name);
        }
      }
    } finally {
      this.draining.delete(name);
    }
  }

  private write(name: string, kind: WriteKind): Promise<BreakerSnapshot | null> {
    switch (kind) {
      case 'reset':
        return this.writeReset(name);
      case 'state':
        return this.writeCurrent(name);
      case 'register':
        return this.register(name);
    }
  }

  private async register(name: string): Promise<null> {
    const breaker = this.breakers.get(name);
    if (breaker && breaker.getVersion() === 0) await this.store.register(name);
    return null;
  }

  private async writeCurrent(name: string): Promise<BreakerSnapshot | null> {
    const breaker = this.breakers.get(name);
    if (!breaker) return null;
    const previous = this.known.get(name);
    const snapshot = breaker.snapshot();
    if (previous && previous.version === snapshot.version && sameState(previous, snapshot)) {
      return previous;
    }
    const version = await this.store.compareAndSet(snapshot, snapshot.version);
    if (version !== null) return this.written(breaker, { ...snapshot, version }, previous);
    // Another instance wrote first: its state wins and ours is dropped.
    const current = await this.store.find(name);
    if (current) this.take(current);
    return current;
  }

  private async writeReset(name: string): Promise<BreakerSnapshot | null> {
    for (let attempt = 0; attempt < RESET_ATTEMPTS; attempt++) {
      const breaker = this.breakers.get(name);
      if (breaker && breaker.getState() !== 'CLOSED') {
        this.silently(name, () => breaker.reset());
      }
      const base = breaker?.snapshot() ?? this.known.get(name) ?? (await this.store.find(name));
      if (!base) return null;
      const closed = closedState(base);
      const previous = this.known.get(name);
      const version = await this.store.compareAndSet(closed, closed.version);
      if (version !== null) return this.written(breaker, { ...closed, version }, previous);
      const current = await this.store.find(name);
      if (!current) continue;
      this.take(current);
      // Another instance closed it first: the reset holds.
      if (current.state === 'CLOSED') return current;
    }
    throw new Error(`Circuit breaker ${name} kept changing while it was being reset`);
  }

  private written(
    breaker: CircuitBreaker | undefined,
    shared: BreakerSnapshot,
    previous: BreakerSnapshot | undefined,
  ): BreakerSnapshot {
    breaker?.confirmVersion(shared.version);
    this.remember(shared);
    try {
      this.announcer.announce(shared, previousStateOf(previous), this.clock.now());
    } catch (error) {
      // Written, so not lost: the other instances find it on their next re-read.
      this.logger.warn(
        `Could not announce circuit breaker ${shared.name} ${shared.state}: ${describeError(error)}`,
      );
    }
    return shared;
  }

  /** Follows a state another instance wrote, if it is newer than what we hold. */
  private take(shared: BreakerSnapshot): void {
    this.remember(shared);
    this.breakers.get(shared.name)?.follow(shared);
  }

  private remember(shared: BreakerSnapshot): void {
    const known = this.known.get(shared.name);
    if (!known || shared.version > known.version) this.known.set(shared.name, shared);
  }

  private async resync(): Promise<void> {
    for (const shared of await this.store.loadAll()) this.take(shared);
  }

  private retryLater(name: string): void {
    if (this.stopped || this.retryTimers.has(name) || !this.breakers.has(name)) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(name);
      this.enqueue(name, 'state');
    }, this.settings.retryAfterMs);
    timer.unref();
    this.retryTimers.set(name, timer);
  }

  private silently(name: string, change: () => void): void {
    this.silenced = name;
    try {
      change();
    } finally {
      this.silenced = undefined;
    }
  }
}

function sameState(a: BreakerSnapshot, b: BreakerSnapshot): boolean {
  return (
    a.state === b.state &&
    a.failureCount === b.failureCount &&
    a.successCount === b.successCount &&
    a.nextAttemptAt === b.nextAttemptAt
  );
}

function closedState(base: BreakerSnapshot): BreakerSnapshot {
  return {
    ...base,
    state: 'CLOSED',
    failureCount: 0,
    successCount: 0,
    openedAt: null,
    nextAttemptAt: null,
  };
}

function previousStateOf(previous: BreakerSnapshot | undefined): CircuitState | null {
  return previous?.state ?? null;
}
