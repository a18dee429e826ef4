import { CircuitBreakerStateEntity } from '@jarvis/circuit-breaker';
import { AppSchemaSettings } from '@jarvis/database';
import { orchestratorMigrations } from './migrations';

/** The orchestrator's schema and how its sessions are set up (the app, its tests and benchmarks). */
export const orchestratorDatabase = {
  schema: 'orchestrator',
  entities: [CircuitBreakerStateEntity],
  migrations: orchestratorMigrations,
  // The task ledger updates batches of tasks by id: they must stay index lookups.
  randomPageCost: 1.1,
} satisfies AppSchemaSettings;
