import { createCircuitBreakerStateTableV1 } from '@jarvis/circuit-breaker';

/** `history.circuit_breaker_state`: this app's breakers, shared by its instances. */
export const CreateCircuitBreakerState1764300000000 = createCircuitBreakerStateTableV1(
  'history',
  1764300000000,
);
