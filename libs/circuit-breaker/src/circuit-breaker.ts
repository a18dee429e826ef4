import { CircuitCallTimeoutError, CircuitOpenError, CircuitState } from '@jarvis/contracts';
import {
  BreakerSnapshot,
  BreakerTransition,
  CallCounts,
  describeError,
  TransitionListener,
  TransitionReason,
} from './breaker-snapshot';
import { CircuitBreakerOptions } from './circuit-breaker.options';
import { Clock, systemClock } from './clock';

/** A call protected by a breaker; it receives an abort signal when the breaker has a per-call timeout. */
export type ProtectedCall<T> = (signal?: AbortSignal) => Promise<T>;

type Outcome = 'success' | 'failure' | 'timeout';

/**
 * One circuit breaker: CLOSED → OPEN after `failureThreshold` consecutive failures;
 * OPEN refuses calls until `resetTimeoutMs` has passed; then HALF_OPEN admits at most
 * `halfOpenMaxConcurrent` trials at a time, closes after `successThreshold` successful
 * trials and re-opens, with a fresh timer, on any failed one.
 *
 * The state machine holds no I/O: persistence and cross-instance coordination listen
 * to its transitions and feed it other instances' states through {@link follow}.
 */
export class CircuitBreaker {
  private state: CircuitState = 'CLOSED';
  /** CLOSED, enabled, no per-call timeout: the call needs no timer and no per-call closure. */
  private fastPath = false;
  /** Bumped on every state change, so a call that started before one does not move the circuit. */
  private generation = 0;
  private failureCount = 0;
  private successCount = 0;
  private halfOpenInFlight = 0;
  private openedAt: number | null = null;
  private nextAttemptAt: number | null = null;
  private lastFailureAt: number | null = null;
  private lastError: string | null = null;
  private version = 0;
  private readonly counts: CallCounts = {
    success: 0,
    failure: 0,
    timeout: 0,
    rejected: 0,
    ignored: 0,
  };
  private listeners: TransitionListener[] = [];

  constructor(
    readonly name: string,
    readonly options: Readonly<CircuitBreakerOptions>,
    private readonly clock: Clock = systemClock,
  ) {
    this.refreshFastPath();
  }

  /**
   * Runs `call` through the breaker. Refused at once with a `CircuitOpenError` while OPEN,
   * or while HALF_OPEN with every trial slot taken.
   */
  execute<T>(call: ProtectedCall<T>): Promise<T> {
    if (this.fastPath) {
      let pending: Promise<T>;
      try {
        pending = call();
      } catch (error) {
        this.record('failure', error, this.generation, false);
        return Promise.reject(error as Error);
      }
      // Two handlers made once per breaker: the only allocation is the promise returned.
      return pending.then(this.onClosedSuccess, this.onClosedFailure) as Promise<T>;
    }
    return this.executeGuarded(call);
  }

  getState(): CircuitState {
    return this.state;
  }

  snapshot(): BreakerSnapshot {
    return {
      name: this.name,
      state: this.state,
      failureCount: this.failureCount,
      successCount: this.successCount,
      openedAt: this.openedAt,
      nextAttemptAt: this.nextAttemptAt,
      lastFailureAt: this.lastFailureAt,
      lastError: this.lastError,
      version: this.version,
    };
  }

  /** Live counters of call outcomes (read by the metrics at scrape time). */
  callCounts(): Readonly<CallCounts> {
    return this.counts;
  }

  /** Listens to every transition, local or followed; returns the way to stop listening. */
  onTransition(listener: TransitionListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((candidate) => candidate !== listener);
    };
  }

  /** Closes the circuit and forgets its failures; true when the state changed. */
  reset(): boolean {
    if (this.state === 'CLOSED') {
      this.failureCount = 0;
      this.successCount = 0;
      return false;
    }
    this.moveTo('CLOSED', 'reset');
    return true;
  }

  /**
   * Takes on a state another instance wrote, when it is newer than ours.
   * A disabled breaker never leaves CLOSED, so it only notes the version.
   */
  follow(shared: BreakerSnapshot): boolean {
    if (shared.version <= this.version) return false;
    this.version = shared.version;
    if (!this.options.enabled) return false;
    this.failureCount = shared.failureCount;
    this.successCount = shared.successCount;
    this.openedAt = shared.openedAt;
    this.nextAttemptAt = shared.nextAttemptAt;
    if (shared.lastFailureAt !== null) {
      this.lastFailureAt = shared.lastFailureAt;
      this.lastError = shared.lastError;
    }
    if (shared.state === this.state) return false;
    this.changeState(shared.state, 'followed');
    return true;
  }

  /** Records that our current state has been written as `version`. */
  confirmVersion(version: number): void {
    if (version > this.version) this.version = version;
  }

  /** The version of the shared row our state is based on. */
  getVersion(): number {
    return this.version;
  }

  private readonly onClosedSuccess = (value: unknown): unknown => {
    this.counts.success++;
    if (this.state === 'CLOSED') this.failureCount = 0;
    return value;
  };

  /** A call admitted in CLOSED that ends in another state is counted but moves nothing (see `record`). */
  private readonly onClosedFailure = (error: unknown): never => {
    this.record('failure', error, this.generation, false);
    throw error;
  };

  private executeGuarded<T>(call: ProtectedCall<T>): Promise<T> {
    let trial = false;
    if (this.options.enabled) {
      if (this.state === 'OPEN') {
        if (this.clock.now() < (this.nextAttemptAt ?? 0)) return this.refuse('OPEN');
        this.moveTo('HALF_OPEN', 'retry-due');
      }
      if (this.state === 'HALF_OPEN') {
        // HALF_OPEN admits a bounded number of trials: concurrent ones would all hit a struggling service.
        if (this.halfOpenInFlight >= this.options.halfOpenMaxConcurrent) {
          return this.refuse('HALF_OPEN');
        }
        this.halfOpenInFlight++;
        trial = true;
      }
    }
    const generation = this.generation;
    const timeoutMs = this.options.callTimeoutMs;
    if (timeoutMs !== undefined) return this.executeWithTimeout(call, timeoutMs, generation, trial);
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (error) {
      this.record('failure', error, generation, trial);
      return Promise.reject(error as Error);
    }
    return pending.then(
      (value) => {
        this.record('success', undefined, generation, trial);
        return value;
      },
      (error: unknown) => {
        this.record('failure', error, generation, trial);
        throw error;
      },
    );
  }

  private executeWithTimeout<T>(
    call: ProtectedCall<T>,
    timeoutMs: number,
    generation: number,
    trial: boolean,
  ): Promise<T> {
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = this.clock.setTimer(() => {
        if (settled) return;
        settled = true;
        const error = new CircuitCallTimeoutError(this.name, timeoutMs);
        controller.abort(error);
        this.record('timeout', error, generation, trial);
        reject(error);
      }, timeoutMs);
      let pending: Promise<T>;
      try {
        pending = call(controller.signal);
      } catch (error) {
        pending = Promise.reject(error as Error);
      }
      void pending.then(
        (value) => {
          if (settled) return;
          settled = true;
          this.clock.clearTimer(timer);
          this.record('success', undefined, generation, trial);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          this.clock.clearTimer(timer);
          this.record('failure', error, generation, trial);
          reject(error as Error);
        },
      );
    });
  }

  private record(outcome: Outcome, error: unknown, generation: number, trial: boolean): void {
    let failed = outcome !== 'success';
    if (outcome === 'failure' && !this.countsAsFailure(error)) {
      failed = false;
      this.counts.ignored++;
    } else {
      this.counts[outcome]++;
    }
    if (failed) {
      this.lastFailureAt = this.clock.now();
      this.lastError = describeError(error);
    }
    if (!this.options.enabled) {
      this.failureCount = failed ? this.failureCount + 1 : 0;
      return;
    }
    // The circuit changed state while this call ran: its outcome is counted, but it does not move the circuit.
    if (generation !== this.generation) return;
    if (trial) this.halfOpenInFlight--;
    if (this.state === 'CLOSED') {
      if (!failed) this.failureCount = 0;
      else if (++this.failureCount >= this.options.failureThreshold) {
        this.moveTo('OPEN', 'failure-threshold');
      }
    } else if (trial) {
      if (failed) {
        this.failureCount++;
        this.moveTo('OPEN', 'trial-failed');
      } else if (++this.successCount >= this.options.successThreshold) {
        this.moveTo('CLOSED', 'trials-succeeded');
      }
    }
  }

  private countsAsFailure(error: unknown): boolean {
    if (!this.options.isFailure) return true;
    try {
      return this.options.isFailure(error);
    } catch {
      return true;
    }
  }

  private refuse<T>(state: 'OPEN' | 'HALF_OPEN'): Promise<T> {
    this.counts.rejected++;
    return Promise.reject(
      new CircuitOpenError(this.name, state, this.failureCount, this.nextAttemptAt),
    );
  }

  private moveTo(next: CircuitState, reason: TransitionReason): void {
    const now = this.clock.now();
    switch (next) {
      case 'OPEN':
        this.openedAt = now;
        this.nextAttemptAt = now + this.options.resetTimeoutMs;
        this.successCount = 0;
        break;
      case 'HALF_OPEN':
        this.successCount = 0;
        break;
      case 'CLOSED':
        this.failureCount = 0;
        this.successCount = 0;
        this.openedAt = null;
        this.nextAttemptAt = null;
        break;
    }
    this.changeState(next, reason);
  }

  private changeState(next: CircuitState, reason: TransitionReason): void {
    const from = this.state;
    this.state = next;
    this.generation++;
    this.halfOpenInFlight = 0;
    this.refreshFastPath();
    const transition: BreakerTransition = {
      name: this.name,
      from,
      to: next,
      reason,
      at: this.clock.now(),
      snapshot: this.snapshot(),
    };
    for (const listener of this.listeners) {
      try {
        listener(transition);
      } catch {
        // A listener's failure must never reach the call that caused the transition.
      }
    }
  }

  private refreshFastPath(): void {
    this.fastPath =
      this.options.enabled && this.state === 'CLOSED' && this.options.callTimeoutMs === undefined;
  }
}
