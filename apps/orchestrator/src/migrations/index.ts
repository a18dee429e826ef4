import { CreateOrchestratorSchema1764000000000 } from './1764000000000-create-orchestrator-schema';
import { CreateCircuitBreakerState1764300000000 } from './1764300000000-create-circuit-breaker-state';
import { CreateTasks1764500000000 } from './1764500000000-create-tasks';
import { CreateAiBudgetState1764600000000 } from './1764600000000-create-ai-budget-state';
import { OutboxTaskPayloadFromTask1764700000000 } from './1764700000000-outbox-task-payload-from-task';
import { StatusIndexWithoutCompleted1764800000000 } from './1764800000000-status-index-without-completed';

/** In order; never edit one that has landed. */
export const orchestratorMigrations = [
  CreateOrchestratorSchema1764000000000,
  CreateCircuitBreakerState1764300000000,
  CreateTasks1764500000000,
  CreateAiBudgetState1764600000000,
  OutboxTaskPayloadFromTask1764700000000,
  StatusIndexWithoutCompleted1764800000000,
];
