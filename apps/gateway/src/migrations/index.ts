import { CreateApiKeys1764000000000 } from './1764000000000-create-api-keys';
import { CreateCircuitBreakerState1764300000000 } from './1764300000000-create-circuit-breaker-state';

/** In order; never edit one that has landed. */
export const gatewayMigrations = [
  CreateApiKeys1764000000000,
  CreateCircuitBreakerState1764300000000,
];
