import { Registry } from 'prom-client';
import { CircuitCallTimeoutError, CircuitOpenError, ErrorCode } from '@jarvis/contracts';
import { BreakerSnapshot, BreakerTransition } from './breaker-snapshot';
import { CircuitBreaker } from './circuit-breaker';
import { CircuitBreakerMetrics } from './circuit-breaker.metrics';
import { CircuitBreakerOptions, resolveBreakerOptions } from './circuit-breaker.options';
import { ManualClock } from './clock';

const RESET_MS = 60_000;

function breakerWith(overrides: Partial<CircuitBreakerOptions> = {}) {
  const clock = new ManualClock();
  const options = resolveBreakerOptions(
    { enabled: true, failureThreshold: 5, resetTimeoutMs: RESET_MS },
    overrides,
  );
  const breaker = new CircuitBreaker('backend', options, clock);
  const transitions: BreakerTransition[] = [];
  breaker.onTransition((transition) => transitions.push(transition));
  return { breaker, clock, transitions };
}

const succeed = () => Promise.resolve('ok');
const fail = () => Promise.reject(new Error('connection refused'));

/** A call that stays in flight until the test settles it. */
function deferredCall() {
  let resolve!: (value: string) => void;
  let reject!: (error: Error) => void;
  let signal: AbortSignal | undefined;
  const promise = new Promise<string>((ok, ko) => {
    resolve = ok;
    reject = ko;
  });
  const call = (abort?: AbortSignal) => {
    signal = abort;
    return promise;
  };
  return { call, resolve, reject, signal: () => signal };
}

async function failTimes(breaker: CircuitBreaker, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await expect(breaker.execute(fail)).rejects.toThrow('refused');
}

async function openBreaker(breaker: CircuitBreaker): Promise<void> {
  await failTimes(breaker, breaker.options.failureThreshold);
  expect(breaker.getState()).toBe('OPEN');
}

describe(CircuitBreaker.name, () => {
  describe('CLOSED', () => {
    it('passes results and errors through', async () => {
      const { breaker } = breakerWith();
      await expect(breaker.execute(succeed)).resolves.toBe('ok');
      await expect(breaker.execute(fail)).rejects.toThrow('connection refused');
      expect(breaker.getState()).toBe('CLOSED');
    });

    it('opens after five consecutive failures', async () => {
      const { breaker, clock, transitions } = breakerWith();
      await failTimes(breaker, 4);
      expect(breaker.getState()).toBe('CLOSED');
      await failTimes(breaker, 1);
      expect(breaker.getState()).toBe('OPEN');
      expect(breaker.snapshot()).toMatchObject({
        failureCount: 5,
        openedAt: clock.now(),
        nextAttemptAt: clock.now() + RESET_MS,
        lastError: 'connection refused',
        lastFailureAt: clock.now(),
      });
      expect(transitions).toEqual([
        expect.objectContaining({ from: 'CLOSED', to: 'OPEN', reason: 'failure-threshold' }),
      ]);
    });

    it('starts counting again after a success', async () => {
      const { breaker } = breakerWith();
      await failTimes(breaker, 4);
      await breaker.execute(succeed);
      await failTimes(breaker, 4);
      expect(breaker.getState()).toBe('CLOSED');
      expect(breaker.snapshot().failureCount).toBe(4);
    });

    it('counts a call that throws before returning a promise as a failure', async () => {
      const { breaker } = breakerWith({ failureThreshold: 1 });
      const throwing = (): Promise<string> => {
        throw new Error('bad arguments');
      };
      await expect(breaker.execute(throwing)).rejects.toThrow('bad arguments');
      expect(breaker.getState()).toBe('OPEN');
    });

    it('does not let a call that started before the circuit opened move it afterwards', async () => {
      const { breaker } = breakerWith({ failureThreshold: 2 });
      const slow = deferredCall();
      const pending = breaker.execute(slow.call);
      await openBreaker(breaker);
      slow.resolve('late');
      await expect(pending).resolves.toBe('late');
      expect(breaker.getState()).toBe('OPEN');
      expect(breaker.snapshot().failureCount).toBe(2);
    });
  });

  describe('OPEN', () => {
    it('refuses calls at once with a CircuitOpenError, without calling', async () => {
      const { breaker } = breakerWith();
      await openBreaker(breaker);
      const call = jest.fn(succeed);
      const refusal = breaker.execute(call);
      await expect(refusal).rejects.toBeInstanceOf(CircuitOpenError);
      await expect(refusal).rejects.toMatchObject({
        code: ErrorCode.CircuitOpen,
        message: 'Circuit breaker backend is OPEN (5 failures)',
        state: 'OPEN',
      });
      expect(call).not.toHaveBeenCalled();
      expect(breaker.callCounts().rejected).toBe(1);
    });

    it('keeps refusing until resetTimeoutMs has passed, then lets a trial through', async () => {
      const { breaker, clock, transitions } = breakerWith();
      await openBreaker(breaker);
      clock.advance(RESET_MS - 1);
      await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
      clock.advance(1);
      await expect(breaker.execute(succeed)).resolves.toBe('ok');
      expect(breaker.getState()).toBe('HALF_OPEN');
      expect(transitions.map((t) => [t.to, t.reason])).toEqual([
        ['OPEN', 'failure-threshold'],
        ['HALF_OPEN', 'retry-due'],
      ]);
    });
  });

  describe('HALF_OPEN', () => {
    async function halfOpen(overrides: Partial<CircuitBreakerOptions> = {}) {
      const setup = breakerWith(overrides);
      await openBreaker(setup.breaker);
      setup.clock.advance(RESET_MS);
      return setup;
    }

    it('closes after two successful trials', async () => {
      const { breaker, transitions } = await halfOpen();
      await breaker.execute(succeed);
      expect(breaker.getState()).toBe('HALF_OPEN');
      expect(breaker.snapshot().successCount).toBe(1);
      await breaker.execute(succeed);
      expect(breaker.getState()).toBe('CLOSED');
      expect(breaker.snapshot()).toMatchObject({
        failureCount: 0,
        successCount: 0,
        nextAttemptAt: null,
      });
      expect(transitions.at(-1)).toMatchObject({
        from: 'HALF_OPEN',
        to: 'CLOSED',
        reason: 'trials-succeeded',
      });
    });

    it('honours a successThreshold of three', async () => {
      const { breaker } = await halfOpen({ successThreshold: 3 });
      await breaker.execute(succeed);
      await breaker.execute(succeed);
      expect(breaker.getState()).toBe('HALF_OPEN');
      await breaker.execute(succeed);
      expect(breaker.getState()).toBe('CLOSED');
    });

    it('re-opens on a failed trial, with a fresh timer and one more failure counted', async () => {
      const { breaker, clock, transitions } = await halfOpen();
      await breaker.execute(succeed);
      clock.advance(1_000);
      await expect(breaker.execute(fail)).rejects.toThrow('refused');
      expect(breaker.getState()).toBe('OPEN');
      expect(breaker.snapshot()).toMatchObject({
        failureCount: 6,
        successCount: 0,
        openedAt: clock.now(),
        nextAttemptAt: clock.now() + RESET_MS,
      });
      expect(transitions.at(-1)).toMatchObject({ to: 'OPEN', reason: 'trial-failed' });
      await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
    });

    it('admits one trial at a time and refuses the others at once', async () => {
      const { breaker } = await halfOpen();
      const trial = deferredCall();
      const first = breaker.execute(trial.call);
      const second = jest.fn(succeed);
      const refusal = breaker.execute(second);
      await expect(refusal).rejects.toBeInstanceOf(CircuitOpenError);
      await expect(refusal).rejects.toMatchObject({ state: 'HALF_OPEN' });
      expect(second).not.toHaveBeenCalled();

      trial.resolve('ok');
      await first;
      // The slot is free again: the next trial runs and, being the second success, closes the circuit.
      await expect(breaker.execute(succeed)).resolves.toBe('ok');
      expect(breaker.getState()).toBe('CLOSED');
    });

    it('admits as many concurrent trials as halfOpenMaxConcurrent', async () => {
      const { breaker } = await halfOpen({ halfOpenMaxConcurrent: 2 });
      const trials = [deferredCall(), deferredCall()];
      const running = trials.map((trial) => breaker.execute(trial.call));
      await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
      for (const trial of trials) trial.resolve('ok');
      await Promise.all(running);
      expect(breaker.getState()).toBe('CLOSED');
    });
  });

  describe('per-call timeout', () => {
    it('fails a slow call with a timeout that counts as a failure and aborts its signal', async () => {
      const { breaker, clock } = breakerWith({ callTimeoutMs: 1_000, failureThreshold: 2 });
      const slow = deferredCall();
      const pending = breaker.execute(slow.call);
      clock.advance(999);
      expect(slow.signal()?.aborted).toBe(false);
      clock.advance(1);
      await expect(pending).rejects.toBeInstanceOf(CircuitCallTimeoutError);
      await expect(pending).rejects.toMatchObject({ code: ErrorCode.DownstreamTimeout });
      expect(slow.signal()?.aborted).toBe(true);
      expect(breaker.callCounts().timeout).toBe(1);
      expect(breaker.snapshot().failureCount).toBe(1);

      // Its late answer changes nothing.
      slow.resolve('too late');
      await Promise.resolve();
      expect(breaker.snapshot().failureCount).toBe(1);

      const again = breaker.execute(() => deferredCall().call());
      clock.advance(1_000);
      await expect(again).rejects.toBeInstanceOf(CircuitCallTimeoutError);
      expect(breaker.getState()).toBe('OPEN');
    });

    it('clears its timer when the call answers in time', async () => {
      const { breaker, clock } = breakerWith({ callTimeoutMs: 1_000 });
      await expect(breaker.execute(succeed)).resolves.toBe('ok');
      await expect(breaker.execute(fail)).rejects.toThrow('refused');
      expect(clock.pendingTimers()).toBe(0);
      expect(breaker.callCounts()).toMatchObject({ success: 1, failure: 1, timeout: 0 });
    });

    it('re-opens a HALF_OPEN circuit whose trial times out', async () => {
      const { breaker, clock } = breakerWith({ callTimeoutMs: 1_000 });
      await openBreaker(breaker);
      clock.advance(RESET_MS);
      const trial = breaker.execute(() => deferredCall().call());
      expect(breaker.getState()).toBe('HALF_OPEN');
      clock.advance(1_000);
      await expect(trial).rejects.toBeInstanceOf(CircuitCallTimeoutError);
      expect(breaker.getState()).toBe('OPEN');
    });
  });

  describe('which errors count', () => {
    class NotFound extends Error {}

    it('does not count an error the predicate rejects, and treats it as an answer', async () => {
      const { breaker } = breakerWith({
        failureThreshold: 2,
        isFailure: (error) => !(error instanceof NotFound),
      });
      await expect(breaker.execute(fail)).rejects.toThrow('refused');
      for (let i = 0; i < 3; i++) {
        await expect(breaker.execute(() => Promise.reject(new NotFound('no')))).rejects.toThrow(
          NotFound,
        );
      }
      expect(breaker.getState()).toBe('CLOSED');
      expect(breaker.snapshot().failureCount).toBe(0);
      expect(breaker.callCounts()).toMatchObject({ failure: 1, ignored: 3 });
      await failTimes(breaker, 2);
      expect(breaker.getState()).toBe('OPEN');
    });

    it('counts an error as a failure when the predicate itself throws', async () => {
      const { breaker } = breakerWith({
        failureThreshold: 1,
        isFailure: () => {
          throw new Error('predicate bug');
        },
      });
      await expect(breaker.execute(fail)).rejects.toThrow('refused');
      expect(breaker.getState()).toBe('OPEN');
    });
  });

  describe('disabled', () => {
    it('never refuses a call but still counts and reports failures', async () => {
      const { breaker, transitions } = breakerWith({ enabled: false, failureThreshold: 2 });
      await failTimes(breaker, 10);
      expect(breaker.getState()).toBe('CLOSED');
      await expect(breaker.execute(succeed)).resolves.toBe('ok');
      expect(breaker.callCounts()).toMatchObject({ success: 1, failure: 10, rejected: 0 });
      expect(breaker.snapshot()).toMatchObject({ lastError: 'connection refused' });
      expect(transitions).toEqual([]);
    });

    it('reports consecutive failures', async () => {
      const { breaker } = breakerWith({ enabled: false });
      await failTimes(breaker, 7);
      expect(breaker.snapshot().failureCount).toBe(7);
    });

    it('does not follow the state of other instances', () => {
      const { breaker } = breakerWith({ enabled: false });
      expect(breaker.follow(sharedState({ state: 'OPEN', version: 3 }))).toBe(false);
      expect(breaker.getState()).toBe('CLOSED');
    });
  });

  describe('reset', () => {
    it('closes an OPEN circuit and forgets its failures', async () => {
      const { breaker, transitions } = breakerWith();
      await openBreaker(breaker);
      expect(breaker.reset()).toBe(true);
      expect(breaker.getState()).toBe('CLOSED');
      expect(breaker.snapshot()).toMatchObject({ failureCount: 0, nextAttemptAt: null });
      expect(transitions.at(-1)).toMatchObject({ from: 'OPEN', to: 'CLOSED', reason: 'reset' });
      await expect(breaker.execute(succeed)).resolves.toBe('ok');
    });

    it('closes a HALF_OPEN circuit and abandons its trial', async () => {
      const { breaker, clock } = breakerWith();
      await openBreaker(breaker);
      clock.advance(RESET_MS);
      const trial = deferredCall();
      const pending = breaker.execute(trial.call);
      breaker.reset();
      trial.reject(new Error('late failure'));
      await expect(pending).rejects.toThrow('late failure');
      expect(breaker.getState()).toBe('CLOSED');
    });

    it('clears the failure count of a CLOSED circuit without a transition', async () => {
      const { breaker, transitions } = breakerWith();
      await failTimes(breaker, 4);
      expect(breaker.reset()).toBe(false);
      await failTimes(breaker, 4);
      expect(breaker.getState()).toBe('CLOSED');
      expect(transitions).toEqual([]);
    });
  });

  describe('shared state', () => {
    it('follows a newer state written by another instance, and ignores an older one', async () => {
      const { breaker, clock, transitions } = breakerWith();
      const opened = sharedState({
        state: 'OPEN',
        failureCount: 5,
        openedAt: clock.now(),
        nextAttemptAt: clock.now() + RESET_MS,
        version: 2,
      });
      expect(breaker.follow(opened)).toBe(true);
      expect(transitions.at(-1)).toMatchObject({ from: 'CLOSED', to: 'OPEN', reason: 'followed' });
      await expect(breaker.execute(succeed)).rejects.toMatchObject({
        message: 'Circuit breaker backend is OPEN (5 failures)',
      });
      expect(breaker.follow(sharedState({ state: 'CLOSED', version: 2 }))).toBe(false);
      expect(breaker.getState()).toBe('OPEN');
      expect(breaker.getVersion()).toBe(2);
    });

    it('lets a trial through once the followed nextAttemptAt has passed', async () => {
      const { breaker, clock } = breakerWith();
      breaker.follow(
        sharedState({
          state: 'OPEN',
          nextAttemptAt: clock.now() + 10,
          failureCount: 5,
          version: 4,
        }),
      );
      clock.advance(10);
      await expect(breaker.execute(succeed)).resolves.toBe('ok');
      expect(breaker.getState()).toBe('HALF_OPEN');
    });
  });

  describe('options', () => {
    it('fills successThreshold 2 and halfOpenMaxConcurrent 1 by default', () => {
      expect(
        resolveBreakerOptions({ enabled: true, failureThreshold: 5, resetTimeoutMs: 1000 }),
      ).toEqual({
        enabled: true,
        failureThreshold: 5,
        resetTimeoutMs: 1000,
        successThreshold: 2,
        halfOpenMaxConcurrent: 1,
      });
    });

    it.each([
      [{ failureThreshold: 0 }, /failureThreshold/],
      [{ successThreshold: 1.5 }, /successThreshold/],
      [{ halfOpenMaxConcurrent: 0 }, /halfOpenMaxConcurrent/],
      [{ callTimeoutMs: -1 }, /callTimeoutMs/],
    ])('refuses %p', (overrides, message) => {
      expect(() =>
        resolveBreakerOptions({ enabled: true, failureThreshold: 5, resetTimeoutMs: 1 }, overrides),
      ).toThrow(message);
    });
  });
});

describe(CircuitBreakerMetrics.name, () => {
  it('exposes each breaker state and its calls by outcome', async () => {
    const registry = new Registry();
    const metrics = new CircuitBreakerMetrics(registry);
    const { breaker } = breakerWith({ failureThreshold: 2 });
    metrics.track(breaker);
    await breaker.execute(succeed);
    await failTimes(breaker, 2);
    await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(CircuitOpenError);

    const text = await registry.metrics();
    expect(text).toContain('jarvis_circuit_breaker_state{breaker="backend",state="OPEN"} 1');
    expect(text).toContain('jarvis_circuit_breaker_state{breaker="backend",state="CLOSED"} 0');
    expect(text).toContain(
      'jarvis_circuit_breaker_calls_total{breaker="backend",outcome="success"} 1',
    );
    expect(text).toContain(
      'jarvis_circuit_breaker_calls_total{breaker="backend",outcome="failure"} 2',
    );
    expect(text).toContain(
      'jarvis_circuit_breaker_calls_total{breaker="backend",outcome="rejected"} 1',
    );
    expect(text).toContain(
      'jarvis_circuit_breaker_transitions_total{breaker="backend",from="CLOSED",to="OPEN"} 1',
    );
  });
});

function sharedState(overrides: Partial<BreakerSnapshot>): BreakerSnapshot {
  return {
    name: 'backend',
    state: 'CLOSED',
    failureCount: 0,
    successCount: 0,
    openedAt: null,
    nextAttemptAt: null,
    lastFailureAt: null,
    lastError: null,
    version: 1,
    ...overrides,
  };
}
