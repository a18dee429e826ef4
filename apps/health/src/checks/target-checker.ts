import { Inject, Injectable } from '@nestjs/common';
import { CircuitBreakerManager, type Clock } from '@jarvis/circuit-breaker';
import { CircuitOpenError, HealthCheckResult } from '@jarvis/contracts';
import type { ProtectedCall } from '@jarvis/circuit-breaker';
import { HealthTarget, ProbeAnswer } from '../targets/health-target';
import { HttpProbe } from '../targets/http-probe';
import { SuiteAppProbe } from '../targets/suite-app-probe';
import {
  HEALTH_CHECK_CLOCK,
  HEALTH_CHECK_SETTINGS,
  type HealthCheckSettings,
} from './health-check.settings';

/**
 * Checks one target through its circuit breaker (named after the target). While the
 * breaker is OPEN the target is not called and reports `down`, latency 0 and
 * `Circuit breaker OPEN (N failures)`.
 */
@Injectable()
export class TargetChecker {
  constructor(
    private readonly breakers: CircuitBreakerManager,
    private readonly http: HttpProbe,
    private readonly apps: SuiteAppProbe,
    @Inject(HEALTH_CHECK_SETTINGS) private readonly settings: HealthCheckSettings,
    @Inject(HEALTH_CHECK_CLOCK) private readonly clock: Clock,
  ) {}

  async check(target: HealthTarget): Promise<HealthCheckResult> {
    const breaker = this.breakers.getBreaker(target.name, {
      callTimeoutMs: this.settings.checkTimeoutMs,
    });
    const started = this.clock.now();
    let outcome: Pick<HealthCheckResult, 'status' | 'latencyMs' | 'message'>;
    try {
      outcome = await breaker.execute(this.probeOf(target));
    } catch (error) {
      outcome =
        error instanceof CircuitOpenError
          ? {
              status: 'down',
              latencyMs: 0,
              message: `Circuit breaker ${error.state} (${breaker.snapshot().failureCount} failures)`,
            }
          : {
              status: 'down',
              latencyMs: Math.max(0, this.clock.now() - started),
              message: error instanceof Error ? error.message : String(error),
            };
    }
    return {
      target: target.name,
      kind: target.kind,
      ...outcome,
      breakerState: breaker.getState(),
      checkedAt: new Date(this.clock.now()).toISOString(),
    };
  }

  private probeOf(target: HealthTarget): ProtectedCall<ProbeAnswer> {
    switch (target.kind) {
      case 'http':
        return (signal) => this.http.check(target.url, signal);
      case 'app':
        return (signal) => this.apps.check(target.name, this.settings.checkTimeoutMs, signal);
    }
  }
}
