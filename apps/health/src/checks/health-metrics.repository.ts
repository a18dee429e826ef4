import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { HealthCheckResult } from '@jarvis/contracts';
import { HealthMetricEntity } from './health-metric.entity';

export interface LatestCheck {
  target: string;
  status: HealthMetricEntity['status'];
  latencyMs: number;
  error: string | null;
  checkedAt: Date;
}

/** The stored checks, `health.health_metrics`. */
@Injectable()
export class HealthMetricsRepository {
  constructor(
    @InjectRepository(HealthMetricEntity) private readonly metrics: Repository<HealthMetricEntity>,
  ) {}

  async record(result: HealthCheckResult): Promise<void> {
    await this.metrics.insert({
      target: result.target,
      status: result.status,
      latencyMs: result.latencyMs,
      error: result.message,
      checkedAt: new Date(result.checkedAt),
    });
  }

  /**
   * The latest check of each of `targets`: one probe of `ix_health_metrics_target_checked_at`
   * per target, however many checks are stored.
   */
  async latestOf(targets: string[]): Promise<Map<string, LatestCheck>> {
    const rows = (await this.metrics.query(
      `SELECT t.target, m.status, m.latency_ms, m.error, m.checked_at
       FROM unnest($1::varchar[]) AS t(target)
       CROSS JOIN LATERAL (
         SELECT status, latency_ms, error, checked_at
         FROM "health"."health_metrics"
         WHERE target = t.target
         ORDER BY checked_at DESC
         LIMIT 1
       ) m`,
      [targets],
    )) as {
      target: string;
      status: LatestCheck['status'];
      latency_ms: number;
      error: string | null;
      checked_at: Date;
    }[];
    return new Map(
      rows.map((row) => [
        row.target,
        {
          target: row.target,
          status: row.status,
          latencyMs: row.latency_ms,
          error: row.error,
          checkedAt: row.checked_at,
        },
      ]),
    );
  }
}
