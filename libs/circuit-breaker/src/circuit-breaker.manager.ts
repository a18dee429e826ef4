import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppName, BREAKER_NAME_PATTERN, CircuitBreakerStatus } from '@jarvis/contracts';
import {
  BreakerSnapshot,
  BreakerTransition,
  isoOrNull,
  TransitionListener,
} from './breaker-snapshot';
import { CircuitBreaker } from './circuit-breaker';
import { CircuitBreakerMetrics } from './circuit-breaker.metrics';
import {
  CircuitBreakerDefaults,
  CircuitBreakerOptions,
  resolveBreakerOptions,
} from './circuit-breaker.options';
import type { Clock } from './clock';
import { BreakerStateSync } from './coordination/breaker-state-sync';

export interface CircuitBreakerManagerSettings {
  app: AppName;
  defaults: CircuitBreakerDefaults;
}

export const CIRCUIT_BREAKER_SETTINGS = Symbol('CIRCUIT_BREAKER_SETTINGS');

/**
 * The app's breakers by name (built by `createCircuitBreakerManager`). It creates each breaker once with the app's defaults,
 * shares it with the app's other instances through {@link BreakerStateSync}, and
 * reports and resets them.
 */
@Injectable()
export class CircuitBreakerManager implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('CircuitBreaker');
  private readonly breakers = new Map<string, CircuitBreaker>();
  private listeners: TransitionListener[] = [];

  constructor(
    private readonly settings: CircuitBreakerManagerSettings,
    private readonly sync: BreakerStateSync,
    private readonly metrics: CircuitBreakerMetrics,
    private readonly clock: Clock,
  ) {}

  /** Loads the persisted states before the app takes traffic. */
  onModuleInit(): Promise<void> {
    return this.sync.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.sync.stop();
  }

  get instanceId(): string {
    return this.sync.instanceId;
  }

  /**
   * The breaker called `name`, created on first use with the app's defaults and
   * `options`; later calls return the same breaker and ignore `options`.
   */
  getBreaker(name: string, options?: Partial<CircuitBreakerOptions>): CircuitBreaker {
    const existing = this.breakers.get(name);
    if (existing) return existing;
    if (!BREAKER_NAME_PATTERN.test(name)) {
      throw new RangeError(
        `Circuit breaker name "${name}" must be 1-100 letters, digits, ".", "_", ":" or "-"`,
      );
    }
    const breaker = new CircuitBreaker(
      name,
      resolveBreakerOptions(this.settings.defaults, options),
      this.clock,
    );
    this.breakers.set(name, breaker);
    breaker.onTransition((transition) => this.announceLocally(transition));
    this.metrics.track(breaker);
    if (breaker.options.enabled) this.sync.attach(breaker);
    return breaker;
  }

  /** Every breaker of the app: this instance's, and those only other instances have created. */
  getAllStatuses(): CircuitBreakerStatus[] {
    const statuses = [...this.breakers.values()].map((breaker) =>
      this.toStatus(breaker.snapshot()),
    );
    for (const shared of this.sync.sharedOnly()) statuses.push(this.toStatus(shared));
    return statuses.sort((a, b) => a.name.localeCompare(b.name));
  }

  getStatus(name: string): CircuitBreakerStatus | null {
    const breaker = this.breakers.get(name);
    return breaker ? this.toStatus(breaker.snapshot()) : null;
  }

  /** Closes the breaker on every instance of the app; null when the app has no such breaker. */
  async reset(name: string): Promise<CircuitBreakerStatus | null> {
    const breaker = this.breakers.get(name);
    if (breaker && !breaker.options.enabled) {
      breaker.reset();
      return this.toStatus(breaker.snapshot());
    }
    let shared: BreakerSnapshot | null;
    try {
      shared = await this.sync.reset(name);
    } catch (error) {
      // Closed here already; the write is retried, and the other instances follow once it lands.
      if (!breaker) throw error;
      this.logger.warn({ err: error }, `Circuit breaker ${name} was reset here only for now`);
      shared = null;
    }
    if (breaker) return this.toStatus(breaker.snapshot());
    return shared ? this.toStatus(shared) : null;
  }

  /** Listens to the transitions of every breaker of the app, local or followed. */
  onTransition(listener: TransitionListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((candidate) => candidate !== listener);
    };
  }

  private announceLocally(transition: BreakerTransition): void {
    const { name, from, to, reason, snapshot } = transition;
    const line = `Circuit breaker ${name}: ${from} -> ${to} (${reason})`;
    const fields = { breaker: name, from, to, reason, failureCount: snapshot.failureCount };
    if (to === 'OPEN') this.logger.warn({ ...fields, lastError: snapshot.lastError }, line);
    else this.logger.log(fields, line);
    for (const listener of this.listeners) {
      try {
        listener(transition);
      } catch (error) {
        this.logger.error({ err: error }, `A listener of circuit breaker ${name} failed`);
      }
    }
  }

  private toStatus(snapshot: BreakerSnapshot): CircuitBreakerStatus {
    return {
      service: this.settings.app,
      name: snapshot.name,
      state: snapshot.state,
      failureCount: snapshot.failureCount,
      successCount: snapshot.successCount,
      lastFailureAt: isoOrNull(snapshot.lastFailureAt),
      lastError: snapshot.lastError,
      nextAttemptAt: isoOrNull(snapshot.nextAttemptAt),
    };
  }
}
