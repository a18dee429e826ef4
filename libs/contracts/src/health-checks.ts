import { CircuitState } from './circuit-breaker';
import { defineEvent, defineRequest } from './request-contract';

/** `degraded`: the target answered, but slowly or reporting a problem of its own. */
export const HEALTH_STATUSES = ['up', 'degraded', 'down'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** `http`: a configured URL; `app`: one of the suite's own apps, asked over NATS. */
export type HealthTargetKind = 'http' | 'app';

/** One check of one target, as stored in `health.health_metrics` and announced. */
export interface HealthCheckResult {
  target: string;
  kind: HealthTargetKind;
  status: HealthStatus;
  latencyMs: number;
  /** Why the target is not `up`; null when it is. */
  message: string | null;
  /** The target's breaker after the check. */
  breakerState: CircuitState;
  checkedAt: string;
}

export const HealthCheckCompleted = defineEvent<HealthCheckResult>('health.check.completed.v1');

/** The latest state of a target; `unknown` until its first check is stored. */
export interface ServiceHealthView {
  target: string;
  kind: HealthTargetKind;
  /** The URL of an `http` target; null for the suite's apps. */
  url: string | null;
  status: HealthStatus | 'unknown';
  latencyMs: number | null;
  message: string | null;
  checkedAt: string | null;
}

/** The health app answers with the latest check of every target it watches. */
export const HealthServicesQuery = defineRequest<Record<string, never>, ServiceHealthView[]>(
  'health.services.get.v1',
);
