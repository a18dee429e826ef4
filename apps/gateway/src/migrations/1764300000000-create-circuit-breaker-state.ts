import { createCircuitBreakerStateTableV1 } from '@jarvis/circuit-breaker';

/** `gateway.circuit_breaker_state`: this app's breakers, shared by its instances. */
export const CreateCircuitBreakerState1764300000000 = createCircuitBreakerStateTableV1(
  'gateway',
  1764300000000,
);
