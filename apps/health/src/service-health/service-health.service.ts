import { Inject, Injectable } from '@nestjs/common';
import { CircuitBreakerManager } from '@jarvis/circuit-breaker';
import type { ServiceHealthView } from '@jarvis/contracts';
import { HEALTH_CHECK_SETTINGS, type HealthCheckSettings } from '../checks/health-check.settings';
import { HealthMetricsRepository, LatestCheck } from '../checks/health-metrics.repository';
import { HealthTarget } from '../targets/health-target';

/** The latest state of every watched target, as `GET /api/v1/health/services` shows it. */
@Injectable()
export class ServiceHealthService {
  constructor(
    @Inject(HEALTH_CHECK_SETTINGS) private readonly settings: HealthCheckSettings,
    private readonly metrics: HealthMetricsRepository,
    private readonly breakers: CircuitBreakerManager,
  ) {}

  async latest(): Promise<ServiceHealthView[]> {
    const targets = this.settings.targets;
    const latest = await this.metrics.latestOf(targets.map((target) => target.name));
    return targets.map((target) => this.viewOf(target, latest.get(target.name)));
  }

  private viewOf(target: HealthTarget, check: LatestCheck | undefined): ServiceHealthView {
    const base = {
      target: target.name,
      kind: target.kind,
      url: target.kind === 'http' ? target.url : null,
    };
    // An OPEN breaker decides, even before the next check stores it (another instance may have opened it).
    const breaker = this.breakers.getStatus(target.name);
    if (breaker?.state === 'OPEN') {
      return {
        ...base,
        status: 'down',
        latencyMs: 0,
        message: `Circuit breaker OPEN (${breaker.failureCount} failures)`,
        checkedAt: check?.checkedAt.toISOString() ?? null,
      };
    }
    if (!check) {
      return { ...base, status: 'unknown', latencyMs: null, message: null, checkedAt: null };
    }
    return {
      ...base,
      status: check.status,
      latencyMs: check.latencyMs,
      message: check.error,
      checkedAt: check.checkedAt.toISOString(),
    };
  }
}
