import { CircuitBreakerModule, CircuitBreakerStateEntity } from '@jarvis/circuit-breaker';
import { AppDefinition } from '@jarvis/runtime';
import { AiUsageModule } from './ai-usage/ai-usage.module';
import { ExecutionIngestModule } from './execution-ingest/execution-ingest.module';
import { historyMigrations } from './migrations';
import { TaskExecutionEntity } from './task-history/task-execution.entity';
import { TaskFeedbackEntity } from './task-history/task-feedback.entity';
import { TaskHistoryModule } from './task-history/task-history.module';
import { TaskHistoryRetentionModule } from './task-history-retention/task-history-retention.module';

export const historyApp: AppDefinition = {
  name: 'history',
  database: {
    schema: 'history',
    entities: [TaskExecutionEntity, TaskFeedbackEntity, CircuitBreakerStateEntity],
    migrations: historyMigrations,
  },
  features: (config) => [
    CircuitBreakerModule.forApp({ app: 'history', defaults: config.circuitBreaker }),
    TaskHistoryModule,
    ExecutionIngestModule,
    TaskHistoryRetentionModule,
    AiUsageModule,
  ],
  port: (config) => config.ports.history,
};
