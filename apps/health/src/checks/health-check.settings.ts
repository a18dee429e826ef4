import type { JarvisConfig } from '@jarvis/runtime';
import { HealthTarget, healthTargetsOf } from '../targets/health-target';

export interface HealthCheckSettings {
  targets: HealthTarget[];
  intervalMs: number;
  /** A check still running after this long fails (and counts against the target's breaker). */
  checkTimeoutMs: number;
}

export const HEALTH_CHECK_SETTINGS = Symbol('HEALTH_CHECK_SETTINGS');
export const HEALTH_CHECK_CLOCK = Symbol('HEALTH_CHECK_CLOCK');

const MIN_CHECK_TIMEOUT_MS = 1_000;
const MAX_CHECK_TIMEOUT_MS = 10_000;

/** A check may take up to one interval, within 1–10 s. */
export function healthCheckSettingsOf(config: JarvisConfig): HealthCheckSettings {
  return {
    targets: healthTargetsOf(config),
    intervalMs: config.health.checkIntervalMs,
    checkTimeoutMs: Math.min(
      MAX_CHECK_TIMEOUT_MS,
      Math.max(MIN_CHECK_TIMEOUT_MS, config.health.checkIntervalMs),
    ),
  };
}
