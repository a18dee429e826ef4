import {
  CircuitBreaker,
  CircuitBreakerManager,
  CircuitBreakerOptions,
  ManualClock,
  resolveBreakerOptions,
} from '@jarvis/circuit-breaker';
import { HealthTarget, ProbeAnswer, TargetDownError } from '../targets/health-target';
import { HttpProbe } from '../targets/http-probe';
import { SuiteAppProbe } from '../targets/suite-app-probe';
import { HealthCheckSettings } from './health-check.settings';
import { TargetChecker } from './target-checker';

const RESET_MS = 3_000;
const target: HealthTarget = { kind: 'http', name: 'music-backend', url: 'http://backend/health' };

function checkerWith(probe: (url: string, signal?: AbortSignal) => Promise<ProbeAnswer>) {
  const clock = new ManualClock();
  const breakers = new Map<string, CircuitBreaker>();
  const manager = {
    getBreaker: (name: string, options?: Partial<CircuitBreakerOptions>) => {
      const breaker =
        breakers.get(name) ??
        new CircuitBreaker(
          name,
          resolveBreakerOptions(
            { enabled: true, failureThreshold: 5, resetTimeoutMs: RESET_MS },
            options,
          ),
          clock,
        );
      breakers.set(name, breaker);
      return breaker;
    },
  } as unknown as CircuitBreakerManager;
  const settings: HealthCheckSettings = {
    targets: [target],
    intervalMs: 500,
    checkTimeoutMs: 1_000,
  };
  const checker = new TargetChecker(
    manager,
    { check: probe } as unknown as HttpProbe,
    {} as SuiteAppProbe,
    settings,
    clock,
  );
  return { checker, clock, breaker: () => breakers.get(target.name)! };
}

const up = (): Promise<ProbeAnswer> =>
  Promise.resolve({ status: 'up', latencyMs: 12, message: null });
const refused = (): Promise<ProbeAnswer> =>
  Promise.reject(new TargetDownError('connect ECONNREFUSED 127.0.0.1:9'));

describe(TargetChecker.name, () => {
  it('reports what the probe found, with the breaker state', async () => {
    const probe = jest.fn(up);
    const { checker, clock } = checkerWith(probe);
    await expect(checker.check(target)).resolves.toEqual({
      target: 'music-backend',
      kind: 'http',
      status: 'up',
      latencyMs: 12,
      message: null,
      breakerState: 'CLOSED',
      checkedAt: new Date(clock.now()).toISOString(),
    });
    expect(probe).toHaveBeenCalledWith('http://backend/health', expect.any(AbortSignal));
  });

  it('reports a target that does not answer as down, with the reason', async () => {
    const { checker } = checkerWith(jest.fn(refused));
    await expect(checker.check(target)).resolves.toMatchObject({
      status: 'down',
      message: 'connect ECONNREFUSED 127.0.0.1:9',
      breakerState: 'CLOSED',
    });
  });

  it('opens the breaker after five failed checks and then reports it without probing', async () => {
    const probe = jest.fn(refused);
    const { checker } = checkerWith(probe);
    for (let i = 0; i < 4; i++) await checker.check(target);
    await expect(checker.check(target)).resolves.toMatchObject({
      status: 'down',
      breakerState: 'OPEN',
    });
    await expect(checker.check(target)).resolves.toMatchObject({
      status: 'down',
      latencyMs: 0,
      message: 'Circuit breaker OPEN (5 failures)',
      breakerState: 'OPEN',
    });
    expect(probe).toHaveBeenCalledTimes(5);
  });

  it('closes the breaker after the timeout and two successful checks', async () => {
    const probe = jest.fn(refused);
    const { checker, clock } = checkerWith(probe);
    for (let i = 0; i < 5; i++) await checker.check(target);
    probe.mockImplementation(up);

    clock.advance(RESET_MS);
    await expect(checker.check(target)).resolves.toMatchObject({
      status: 'up',
      breakerState: 'HALF_OPEN',
    });
    await expect(checker.check(target)).resolves.toMatchObject({
      status: 'up',
      breakerState: 'CLOSED',
    });
  });

  it('fails a check that outlives its timeout', async () => {
    const { checker, clock, breaker } = checkerWith(
      jest.fn(() => new Promise<ProbeAnswer>(() => undefined)),
    );
    const pending = checker.check(target);
    clock.advance(1_000);
    await expect(pending).resolves.toMatchObject({
      status: 'down',
      latencyMs: 1_000,
      message: 'Call through circuit breaker music-backend took longer than 1000 ms',
    });
    expect(breaker().snapshot().failureCount).toBe(1);
  });
});
