import { CreateHistorySchema1764000000000 } from './1764000000000-create-history-schema';
import { CreateTaskHistory1764100000000 } from './1764100000000-create-task-history';
import { CreateCircuitBreakerState1764300000000 } from './1764300000000-create-circuit-breaker-state';
import { CreateAiUsage1764600000000 } from './1764600000000-create-ai-usage';

/** In order; never edit one that has landed. */
export const historyMigrations = [
  CreateHistorySchema1764000000000,
  CreateTaskHistory1764100000000,
  CreateCircuitBreakerState1764300000000,
  CreateAiUsage1764600000000,
];
