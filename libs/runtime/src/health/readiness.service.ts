import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { AppName, ReadinessReport } from '@jarvis/contracts';
import { NatsHealthIndicator } from './nats.health';

export const APP_NAME = Symbol('APP_NAME');
const CHECK_TIMEOUT_MS = 1000;

/** Whether this app can serve: its database and NATS both answer. */
@Injectable()
export class ReadinessService {
  private readonly startedAt = Date.now();
  readonly instance = `${hostname()}:${process.pid}`;

  constructor(
    @Inject(APP_NAME) private readonly app: AppName,
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly nats: NatsHealthIndicator,
  ) {}

  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
      () => this.nats.isReady('nats', CHECK_TIMEOUT_MS),
    ]);
  }

  async report(): Promise<ReadinessReport> {
    let result: HealthCheckResult;
    try {
      result = await this.check();
    } catch (error) {
      result = (error as { getResponse?: () => HealthCheckResult }).getResponse?.() ?? {
        status: 'error',
        details: {},
      };
    }
    const checks = Object.fromEntries(
      Object.entries(result.details).map(([key, value]) => [
        key,
        value.status === 'up' ? 'up' : 'down',
      ]),
    ) as ReadinessReport['checks'];
    return {
      app: this.app,
      instance: this.instance,
      status: result.status === 'ok' ? 'up' : 'down',
      checks,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }
}
