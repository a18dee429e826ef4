import { Counter, Gauge, Registry } from 'prom-client';
import { CIRCUIT_STATES } from '@jarvis/contracts';
import { CALL_OUTCOMES } from './breaker-snapshot';
import { CircuitBreaker } from './circuit-breaker';

/**
 * Prometheus metrics of an app's breakers. State and call counts are read from the
 * breakers when scraped, so a call pays for a plain counter increment, never for a
 * labelled metric update.
 */
export class CircuitBreakerMetrics {
  private readonly breakers: CircuitBreaker[] = [];
  private readonly transitions: Counter<'breaker' | 'from' | 'to'>;

  constructor(registry: Registry) {
    const breakers = this.breakers;
    new Gauge({
      name: 'jarvis_circuit_breaker_state',
      help: 'Circuit breaker state: 1 for the state each breaker is in, 0 for the others',
      labelNames: ['breaker', 'state'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const breaker of breakers) {
          const current = breaker.getState();
          for (const state of CIRCUIT_STATES) {
            this.set({ breaker: breaker.name, state }, state === current ? 1 : 0);
          }
        }
      },
    });
    new Counter({
      name: 'jarvis_circuit_breaker_calls_total',
      help: 'Calls through each circuit breaker by outcome',
      labelNames: ['breaker', 'outcome'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const breaker of breakers) {
          const counts = breaker.callCounts();
          for (const outcome of CALL_OUTCOMES) {
            this.inc({ breaker: breaker.name, outcome }, counts[outcome]);
          }
        }
      },
    });
    this.transitions = new Counter({
      name: 'jarvis_circuit_breaker_transitions_total',
      help: 'Circuit breaker state changes, local or followed from another instance',
      labelNames: ['breaker', 'from', 'to'] as const,
      registers: [registry],
    });
  }

  track(breaker: CircuitBreaker): void {
    this.breakers.push(breaker);
    breaker.onTransition((transition) =>
      this.transitions.inc({ breaker: transition.name, from: transition.from, to: transition.to }),
    );
  }
}
