import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { HealthCheckCompleted, HealthCheckResult } from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { CorrelationContext } from '@jarvis/observability';
import { HealthTarget } from '../targets/health-target';
import { HEALTH_CHECK_SETTINGS, type HealthCheckSettings } from './health-check.settings';
import { HealthMetricsRepository } from './health-metrics.repository';
import { TargetChecker } from './target-checker';

/** How long shutdown waits for checks in flight; a hanging target is not worth a slow stop. */
const SHUTDOWN_WAIT_MS = 2_000;

/**
 * Checks every target each interval, stores each check and announces it
 * (`health.check.completed`). A target whose last check is still running is skipped,
 * so a hanging target never piles up checks.
 */
@Injectable()
export class HealthCheckScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HealthCheckScheduler.name);
  private readonly running = new Map<string, Promise<void>>();
  private readonly lastStatus = new Map<string, HealthCheckResult['status']>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(HEALTH_CHECK_SETTINGS) private readonly settings: HealthCheckSettings,
    private readonly checker: TargetChecker,
    private readonly metrics: HealthMetricsRepository,
    private readonly bus: MessageBus,
    private readonly correlation: CorrelationContext,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.checkAll(), this.settings.intervalMs);
    this.checkAll();
  }

  /** Stops checking and gives the checks in flight a moment to store their result. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running.values()]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private checkAll(): void {
    for (const target of this.settings.targets) {
      if (this.running.has(target.name)) continue;
      const check = this.correlation
        .run(undefined, () => this.checkOne(target))
        .finally(() => this.running.delete(target.name));
      this.running.set(target.name, check);
    }
  }

  /** Never rejects: a check that cannot be stored or announced is logged and the next one runs. */
  private async checkOne(target: HealthTarget): Promise<void> {
    try {
      const result = await this.checker.check(target);
      await this.metrics.record(result);
      this.bus.emit(HealthCheckCompleted, result);
      this.logStatusChange(result);
    } catch (error) {
      this.logger.error({ err: error }, `Could not check, store or announce ${target.name}`);
    }
  }

  /** One line when a target changes status, not one per check. */
  private logStatusChange(result: HealthCheckResult): void {
    if (this.lastStatus.get(result.target) === result.status) return;
    this.lastStatus.set(result.target, result.status);
    const fields = { target: result.target, status: result.status, latencyMs: result.latencyMs };
    const line = `${result.target} is ${result.status}${result.message ? `: ${result.message}` : ''}`;
    if (result.status === 'up') this.logger.log(fields, line);
    else this.logger.warn(fields, line);
  }
}
