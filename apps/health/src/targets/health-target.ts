import { APP_NAMES, AppName, HealthStatus } from '@jarvis/contracts';
import type { JarvisConfig } from '@jarvis/runtime';

/** Something the health app watches; its name is also the name of its circuit breaker. */
export type HealthTarget =
  { kind: 'http'; name: string; url: string } | { kind: 'app'; name: AppName };

/** The configured `HEALTH_TARGETS`, then the suite's own apps. */
export function healthTargetsOf(config: JarvisConfig): HealthTarget[] {
  return [
    ...config.health.targets.map(({ name, url }) => ({ kind: 'http' as const, name, url })),
    ...APP_NAMES.map((app) => ({ kind: 'app' as const, name: app })),
  ];
}

/** What a probe learned from a target that answered; a target that did not answer makes the probe throw. */
export interface ProbeAnswer {
  status: Exclude<HealthStatus, 'down'>;
  latencyMs: number;
  message: string | null;
}

/** An answer slower than this is `degraded`, not `up`. */
export const DEGRADED_LATENCY_MS = 2_000;

/** Thrown by a probe when the target is down: the breaker counts it as a failure. */
export class TargetDownError extends Error {}
