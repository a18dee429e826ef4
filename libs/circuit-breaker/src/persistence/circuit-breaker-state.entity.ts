import { EntitySchema } from 'typeorm';
import { CircuitState } from '@jarvis/contracts';

export interface CircuitBreakerStateRow {
  id: string;
  name: string;
  state: CircuitState;
  failureCount: number;
  successCount: number;
  openedAt: Date | null;
  nextAttemptAt: Date | null;
  lastFailureAt: Date | null;
  lastError: string | null;
  updatedAt: Date;
  /** Optimistic concurrency: a write names the version it read and bumps it; 0 = registered, never changed. */
  version: number;
}

/**
 * `circuit_breaker_state`: one row per breaker of an app. Every app has this table in
 * its own schema, so the entity names no schema: it lives in the schema of the data
 * source that registers it (each app's `database.entities`).
 */
export const CircuitBreakerStateEntity = new EntitySchema<CircuitBreakerStateRow>({
  name: 'CircuitBreakerState',
  tableName: 'circuit_breaker_state',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    name: { type: 'varchar', length: 100 },
    state: { type: 'varchar', length: 10 },
    failureCount: { name: 'failure_count', type: 'integer' },
    successCount: { name: 'success_count', type: 'integer' },
    openedAt: { name: 'opened_at', type: 'timestamptz', nullable: true },
    nextAttemptAt: { name: 'next_attempt_at', type: 'timestamptz', nullable: true },
    lastFailureAt: { name: 'last_failure_at', type: 'timestamptz', nullable: true },
    lastError: { name: 'last_error', type: 'varchar', length: 500, nullable: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    version: { type: 'integer' },
  },
  indices: [{ name: 'uq_circuit_breaker_state_name', columns: ['name'], unique: true }],
});
