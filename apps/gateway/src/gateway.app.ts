import { CircuitBreakerModule, CircuitBreakerStateEntity } from '@jarvis/circuit-breaker';
import { AppDefinition } from '@jarvis/runtime';
import { AgentsModule } from './agents/agents.module';
import { AiModule } from './ai/ai.module';
import { ApiKeyEntity } from './auth/api-key.entity';
import { AuthModule } from './auth/auth.module';
import { CircuitBreakersModule } from './circuit-breakers/circuit-breakers.module';
import { ExecuteModule } from './execute/execute.module';
import { HealthServicesModule } from './health-services/health-services.module';
import { configureHttp } from './http/configure-http';
import { gatewayMigrations } from './migrations';
import { SuiteHealthModule } from './suite-health/suite-health.module';
import { TaskHistoryModule } from './task-history/task-history.module';
import { TasksModule } from './tasks/tasks.module';

/** The longest diagnostics wait is 60 s; `execute` waits a little longer than that. */
const EXECUTE_TIMEOUT_FLOOR_MS = 65_000;

export const gatewayApp: AppDefinition = {
  name: 'gateway',
  database: {
    schema: 'gateway',
    entities: [ApiKeyEntity, CircuitBreakerStateEntity],
    migrations: gatewayMigrations,
  },
  features: (config) => [
    AuthModule,
    CircuitBreakerModule.forApp({ app: 'gateway', defaults: config.circuitBreaker }),
    SuiteHealthModule,
    HealthServicesModule,
    CircuitBreakersModule,
    // Before any tasks module: `/tasks/history` and `/tasks/timeline` must win over `/tasks/:id`.
    TaskHistoryModule,
    // After TaskHistoryModule, for the reason above.
    TasksModule,
    AgentsModule,
    AiModule,
    ExecuteModule.forRoot({
      executeTimeoutMs: Math.max(config.nats.requestTimeoutMs, EXECUTE_TIMEOUT_FLOOR_MS),
    }),
  ],
  port: (config) => config.ports.gateway,
  configureHttp,
};
