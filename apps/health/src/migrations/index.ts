import { CreateHealthSchema1764000000000 } from './1764000000000-create-health-schema';
import { CreateCircuitBreakerState1764300000000 } from './1764300000000-create-circuit-breaker-state';
import { CreateHealthMetrics1764300001000 } from './1764300001000-create-health-metrics';

/** In order; never edit one that has landed. */
export const healthMigrations = [
  CreateHealthSchema1764000000000,
  CreateCircuitBreakerState1764300000000,
  CreateHealthMetrics1764300001000,
];
